"""How far can the engine's signals go on a data set? MRR (and recall@10/50) of
link prediction for:

- the engine as `evaluate_matching` runs it (linear, fitted on the training pairs);
- a gradient-boosted ranker (scikit-learn's HistGradientBoostingClassifier) fitted
  the same way, k-fold on the training pairs only, on the same signals plus the
  source's partner count and both populations, scored both ways and combined
  by the sum of the two log-probabilities (a method: it never sees test pairs);
- two **ceilings, not methods**: a logistic regression and the same boosted
  model fitted on the held-out pairs themselves, cross-fitted in two folds of
  sources (a source's rankings are scored by the model fitted on the other
  fold's), so they show what a weighting of these signals could reach if it
  knew the held-out pairs' distribution;
- the evaluation's baselines.

Run it on the validation sets (`convert_evaluation_data … --validation`), never
to choose anything on the test pairs:

    python benchmarks/matching_ceiling.py --organisations /tmp/urbact_val/organisations.csv \
        --pairs /tmp/urbact_val/pairs.csv [--seeds 0,1,2]

Figures and conclusions are in docs/matching.md ("A nonlinear ceiling").
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from municipia.matching.engine.core import MatchingEngine
from municipia.matching.engine.datasets import read_organisations, read_pairs
from municipia.matching.engine.evaluation import (
    _fold_of_pairs,
    _metrics,
    _rank_all,
    _sample_others,
    baselines,
    fit_from_partnerships,
    held_out_queries,
    split_pairs,
)
from municipia.matching.engine.features import (
    DIRECTIONAL_PAIR,
    FEATURES,
    INDEX,
    signals_for,
)
from municipia.taxonomy.data import theme_rows

# Columns after the engine's signals: the source's partner count (log), the
# candidate's and the source's population (log, -1 when unknown).
SOURCE_PARTNERS, CANDIDATE_SIZE, SOURCE_SIZE = range(len(FEATURES), len(FEATURES) + 3)


def boosted() -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        max_iter=300, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=40, random_state=0
    )


def columns(engine: MatchingEngine, a: int) -> np.ndarray:
    """The signals from `a` to every organisation, with the context columns."""
    n = len(engine.profiles)
    size = np.nan_to_num(engine.matrices.log_population, nan=-1.0)
    context = np.column_stack(
        [
            np.full(n, np.log1p(engine.graph.degree[a])),
            size,
            np.full(n, size[a]),
        ]
    )
    return np.hstack([signals_for(engine.matrices, engine.graph, a).astype(np.float64), context])


def backward(forward: np.ndarray) -> np.ndarray:
    """The same pairs seen from the candidate: directional signals, partner
    counts and populations swap."""
    swapped = forward.copy()
    i, j = DIRECTIONAL_PAIR
    c = INDEX["candidate_partners"]
    for x, y in ((i, j), (c, SOURCE_PARTNERS), (CANDIDATE_SIZE, SOURCE_SIZE)):
        swapped[:, [x, y]] = forward[:, [y, x]]
    return swapped


def training_rows(engine, train, seed, *, folds=5, negatives=10):
    """Rows as `fit_from_partnerships` makes them (k-fold on single pairs, the
    held-out fold's graph signals computed without it), both directions of each
    held-out pair, `negatives` random non-partners per positive."""
    rng = random.Random(seed)
    pairs = list(train)
    rng.shuffle(pairs)
    fold_of = _fold_of_pairs(pairs, {}, folds, rng)
    n = len(engine.profiles)
    features, labels = [], []
    for fold in range(folds):
        kept = [p for p, f in zip(pairs, fold_of, strict=True) if f != fold]
        fold_engine = engine.with_partnerships(kept)
        targets_of = defaultdict(list)
        for (a, b), f in zip(pairs, fold_of, strict=True):
            if f == fold:
                ia, ib = engine.index[a], engine.index[b]
                targets_of[ia].append(ib)
                targets_of[ib].append(ia)
        for a, targets in targets_of.items():
            rows = columns(fold_engine, a)
            forbidden = set(targets) | {a} | set(fold_engine.graph.neighbours(a))
            others = _sample_others(n, forbidden, negatives * len(targets), rng)
            features += [rows[targets], rows[others]]
            labels += [1] * len(targets) + [0] * len(others)
    return np.vstack(features), np.asarray(labels)


def ceilings(engine, train, test, seed):
    """Logistic regression and the boosted model fitted on the held-out pairs,
    two folds of sources: each source is scored by the other fold's models."""
    queries, excluded = held_out_queries(engine, train, test)
    sources = sorted(queries)
    rng = np.random.default_rng(seed)
    fold_of = {s: k % 2 for k, s in enumerate(rng.permutation(sources))}
    rows = {s: columns(engine, s) for s in sources}
    n = len(engine.profiles)
    models = {}
    for held_out in (0, 1):  # models[k] never saw the sources of fold k
        features, labels = [], []
        for s in sources:
            if fold_of[s] == held_out:
                continue
            positives = [t for t in queries[s] if t not in excluded[s] | {s}]
            allowed = np.setdiff1d(np.arange(n), [s, *excluded[s], *positives])
            negatives = rng.choice(allowed, size=min(len(allowed), 60), replace=False)
            features += [rows[s][positives], rows[s][negatives]]
            labels += [1] * len(positives) + [0] * len(negatives)
        x, y = np.vstack(features), np.asarray(labels)
        scaler = StandardScaler().fit(x)
        linear = LogisticRegression(max_iter=2000).fit(scaler.transform(x), y)
        tree = boosted().fit(x, y)
        models[held_out] = {
            "linear": lambda m, scaler=scaler, linear=linear: linear.decision_function(
                scaler.transform(m)
            ),
            "boosted": lambda m, tree=tree: tree.predict_proba(m)[:, 1],
        }
    return {
        f"ceiling: {kind}": lambda a, kind=kind: models[fold_of[a]][kind](rows[a])
        for kind in ("linear", "boosted")
    }


def run(organisations: Path, pairs: Path, seed: int) -> dict[str, dict]:
    profiles = read_organisations(organisations)
    train, test, everything = read_pairs(pairs)
    if test is None:
        train, test = split_pairs(everything, seed=seed)
    parents = {row["code"]: row["parent_code"] for row in theme_rows() if row["parent_code"]}
    engine = MatchingEngine(profiles, train, theme_parents=parents)
    fitted = engine.with_model(fit_from_partnerships(engine, train, seed=seed))
    x, y = training_rows(engine, train, seed)
    ranker = boosted().fit(x, y)

    def boosted_reciprocal(a):
        forward = columns(engine, a)
        return np.log(ranker.predict_proba(forward)[:, 1]) + np.log(
            ranker.predict_proba(backward(forward))[:, 1]
        )

    scorers = {
        "engine (linear, fitted)": lambda a: fitted.scores(fitted.profiles[a].id),
        "boosted, fitted on training pairs": boosted_reciprocal,
        **ceilings(engine, train, test, seed),
        **{f"baseline: {name}": f for name, f in baselines(engine, seed).items()},
    }
    return {name: _metrics(_rank_all(engine, train, test, f)) for name, f in scorers.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", required=True, type=Path)
    parser.add_argument("--pairs", required=True, type=Path)
    parser.add_argument("--seeds", default="0", help="fitting seeds, comma-separated")
    options = parser.parse_args()
    for seed in (int(s) for s in options.seeds.split(",")):
        started = time.perf_counter()
        results = run(options.organisations, options.pairs, seed)
        best = max(v["mrr"] for k, v in results.items() if k.startswith("baseline"))
        print(f"{options.pairs.parent.name}, seed {seed} ({time.perf_counter() - started:.0f} s)")
        print(f"{'ranker':<36}{'recall@10':>10}{'recall@50':>10}{'MRR':>8}{'× best':>8}{'n':>6}")
        for name, m in results.items():
            ratio = m["mrr"] / best if best else float("nan")
            print(
                f"{name:<36}{m['recall@10']:>10.4f}{m['recall@50']:>10.4f}"
                f"{m['mrr']:>8.4f}{ratio:>8.2f}{m['n']:>6}"
            )


if __name__ == "__main__":
    main()
