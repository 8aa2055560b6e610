"""Evaluation as link prediction, and fitting the weights from recorded partnerships.

For each held-out partnership (a, b), both directions are ranked: all
organisations except the source and its training partners are scored for the
source, and the rank of the true partner is recorded. A partner tied with others
gets the expected rank among them, so ties never count in anyone's favour.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np

from .core import MatchingEngine
from .features import distances_km, signals_for
from .model import ScoringModel, fit_scoring_model
from .profiles import OrganisationProfile


def fit_from_partnerships(
    engine: MatchingEngine,
    partnerships: Sequence[tuple[str, str]],
    *,
    folds: int = 5,
    negatives_per_positive: int = 10,
    seed: int = 0,
    max_positives: int = 20_000,
) -> ScoringModel:
    """Fit the signal weights on recorded partnerships by k-fold: the graph
    signals of each held-out fold are computed on the other folds only, as they
    will be for a partnership that does not exist yet."""
    pairs = [(a, b) for a, b in partnerships if a in engine.index and b in engine.index and a != b]
    if len(pairs) < 10:
        return ScoringModel.default()
    rng = random.Random(seed)
    rng.shuffle(pairs)
    pairs = pairs[:max_positives]
    n = len(engine.profiles)
    positives, negatives = [], []
    for fold in range(folds):
        held_out = pairs[fold::folds]
        kept = [p for i, p in enumerate(pairs) if i % folds != fold]
        fold_engine = engine.with_partnerships(kept)
        by_source: dict[int, list[int]] = defaultdict(list)
        for a, b in held_out:
            if rng.random() < 0.5:
                a, b = b, a
            by_source[engine.index[a]].append(engine.index[b])
        for a, targets in by_source.items():
            signals = signals_for(fold_engine.matrices, fold_engine.graph, a)
            positives.append(signals[targets])
            forbidden = set(targets) | {a} | set(fold_engine.graph.neighbours(a))
            wanted = negatives_per_positive * len(targets)
            sampled = [
                c for c in (rng.randrange(n) for _ in range(wanted * 2)) if c not in forbidden
            ][:wanted]
            if sampled:
                negatives.append(signals[sampled])
    return fit_scoring_model(np.vstack(positives), np.vstack(negatives), source="fitted")


def expected_rank(scores: np.ndarray, candidates: np.ndarray, target: int) -> float:
    """1-based rank of `target` among `candidates`, ties resolved to their mean rank."""
    values = scores[candidates]
    value = scores[target]
    higher = int(np.count_nonzero(values > value))
    tied = int(np.count_nonzero(values == value))  # includes the target itself
    return higher + (tied + 1) / 2.0


def _metrics(ranks: list[float]) -> dict:
    if not ranks:
        return {"recall@10": 0.0, "recall@50": 0.0, "mrr": 0.0, "n": 0}
    r = np.asarray(ranks)
    return {
        "recall@10": round(float(np.mean(r <= 10)), 4),
        "recall@50": round(float(np.mean(r <= 50)), 4),
        "mrr": round(float(np.mean(1.0 / r)), 4),
        "n": len(ranks),
    }


def _rank_all(
    engine: MatchingEngine,
    train: Sequence[tuple[str, str]],
    test: Sequence[tuple[str, str]],
    score_for: Callable[[int], np.ndarray],
) -> list[float]:
    n = len(engine.profiles)
    train_partners: dict[int, set[int]] = defaultdict(set)
    for a, b in train:
        if a in engine.index and b in engine.index:
            train_partners[engine.index[a]].add(engine.index[b])
            train_partners[engine.index[b]].add(engine.index[a])
    queries: dict[int, list[int]] = defaultdict(list)
    for a, b in test:
        if a in engine.index and b in engine.index and a != b:
            ia, ib = engine.index[a], engine.index[b]
            queries[ia].append(ib)
            queries[ib].append(ia)
    ranks = []
    everyone = np.arange(n)
    for source in sorted(queries):
        scores = np.nan_to_num(score_for(source).astype(np.float64), nan=-np.inf)
        excluded = train_partners[source] | {source}
        keep = np.ones(n, dtype=bool)
        keep[list(excluded)] = False
        candidates = everyone[keep]
        for target in queries[source]:
            if target in excluded:
                continue  # also a training partnership: nothing to predict
            ranks.append(expected_rank(scores, candidates, target))
    return ranks


def baselines(engine: MatchingEngine, seed: int) -> dict[str, Callable[[int], np.ndarray]]:
    """Simple rankers the engine must beat."""
    m = engine.matrices
    rng = np.random.default_rng(seed)
    degree = engine.graph.degree.astype(float)
    return {
        "random": lambda a: rng.random(m.n),
        "nearest": lambda a: -distances_km(m, a),
        "population": lambda a: -np.abs(m.log_population - m.log_population[a]),
        "most-connected": lambda a: degree,
    }


def evaluate(
    profiles: Sequence[OrganisationProfile],
    train: Sequence[tuple[str, str]],
    test: Sequence[tuple[str, str]],
    *,
    backend=None,
    theme_parents=None,
    seed: int = 0,
    fit: bool = True,
) -> dict:
    """Recall@10, recall@50 and MRR of the engine and of the baselines."""
    engine = MatchingEngine(profiles, train, backend=backend, theme_parents=theme_parents)
    if fit:
        engine = engine.with_model(fit_from_partnerships(engine, train, seed=seed))
    results = {
        "engine": _metrics(
            _rank_all(engine, train, test, lambda a: engine.scores(engine.profiles[a].id))
        )
    }
    results["baselines"] = {
        name: _metrics(_rank_all(engine, train, test, scorer))
        for name, scorer in baselines(engine, seed).items()
    }
    results["model"] = {"source": engine.model.source, "version": engine.model.version}
    return results


def split_pairs(pairs: Sequence[tuple[str, str]], *, seed: int = 0, test_share: float = 0.2):
    """A seeded 80/20 split of partnerships into train and test."""
    shuffled = list(pairs)
    random.Random(seed).shuffle(shuffled)
    cut = round(len(shuffled) * (1 - test_share))
    return shuffled[:cut], shuffled[cut:]
