"""Evaluation as link prediction, and fitting the weights from recorded partnerships.

For each held-out partnership (a, b), both directions are ranked: all
organisations except the source and its training partners are scored for the
source, and the rank of the true partner is recorded. A partner tied with others
gets the expected rank among them, so ties never count in anyone's favour.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from .core import MatchingEngine
from .features import distances_km, signals_for
from .model import ScoringModel, fit_pairwise_ranker, fit_scoring_model
from .profiles import OrganisationProfile


def _sample_others(n, forbidden, count, rng) -> list[int]:
    """`count` random organisations outside `forbidden` (with replacement)."""
    found = [c for c in (rng.randrange(n) for _ in range(count * 2)) if c not in forbidden]
    if len(found) < count:  # a small directory: draw from what is allowed
        allowed = [c for c in range(n) if c not in forbidden]
        found += rng.choices(allowed, k=count - len(found)) if allowed else []
    return found[:count]


class _Rows:
    """Training rows: partners and random non-partners of the same sources
    (pointwise), and the pairs (better, worse) of the same source (pairwise)."""

    def __init__(self):
        self.positives, self.negatives, self.better, self.worse = [], [], [], []

    def add(self, signals, targets, others, per_target):
        """`others`: `per_target` non-partners for each target, in order."""
        if not targets or not others:
            return
        self.positives.append(signals[targets])
        self.negatives.append(signals[others])
        if len(others) == per_target * len(targets):
            self.better.append(np.repeat(signals[targets], per_target, axis=0))
            self.worse.append(signals[others])

    def add_pairs(self, signals, better, worse):
        if better and worse:
            self.better.append(signals[better])
            self.worse.append(signals[worse])


def _fold_of_pairs(pairs, groups, folds, rng) -> list[int]:
    """The fold of each pair: pairs of the same group (a network, a project)
    share one, so that a held-out partnership is not predicted from the other
    members of its own network; pairs without a group are spread one by one."""
    names = sorted({groups[p] for p in pairs if p in groups})
    rng.shuffle(names)
    fold_of_group = {name: i % folds for i, name in enumerate(names)}
    return [
        fold_of_group[groups[p]] if p in groups else (len(names) + i) % folds
        for i, p in enumerate(pairs)
    ]


def _partnership_rows(engine, pairs, rows, *, folds, negatives_per_positive, rng, groups=None):
    """Rows of recorded partnerships and random non-partners of the same source,
    by k-fold: the graph signals of each held-out fold are computed on the other
    folds only, as they will be for a partnership that does not exist yet."""
    n = len(engine.profiles)
    fold_of = _fold_of_pairs(pairs, groups or {}, folds, rng)
    for fold in range(folds):
        held_out = [p for p, f in zip(pairs, fold_of, strict=True) if f == fold]
        kept = [p for p, f in zip(pairs, fold_of, strict=True) if f != fold]
        fold_engine = engine.with_partnerships(kept)
        by_source: dict[int, list[int]] = defaultdict(list)
        for a, b in held_out:
            if rng.random() < 0.5:
                a, b = b, a
            by_source[engine.index[a]].append(engine.index[b])
        for a, targets in by_source.items():
            signals = signals_for(fold_engine.matrices, fold_engine.graph, a)
            forbidden = set(targets) | {a} | set(fold_engine.graph.neighbours(a))
            others = _sample_others(n, forbidden, negatives_per_positive * len(targets), rng)
            rows.add(signals, targets, others, negatives_per_positive)


def _decision_rows(engine, likes, passes, rows, *, negatives_per_positive, rng):
    """Rows of swipe decisions (source → candidate) on the current graph: a like
    is a positive against random other candidates of the same source, and is
    ranked above each pass of the same source; a pass is a negative."""
    n = len(engine.profiles)
    liked: dict[int, list[int]] = defaultdict(list)
    passed: dict[int, list[int]] = defaultdict(list)
    for decisions, by_source in ((likes, liked), (passes, passed)):
        for a, b in decisions:
            by_source[engine.index[a]].append(engine.index[b])
    for a in sorted(set(liked) | set(passed)):
        signals = signals_for(engine.matrices, engine.graph, a)
        targets = liked.get(a, [])
        if targets:
            forbidden = set(targets) | {a} | set(engine.graph.neighbours(a))
            others = _sample_others(n, forbidden, negatives_per_positive * len(targets), rng)
            rows.add(signals, targets, others, negatives_per_positive)
        if a in passed:
            rows.negatives.append(signals[passed[a]])
            pairs = [(b, c) for b in targets for c in passed[a]]
            rows.add_pairs(signals, [b for b, _ in pairs], [c for _, c in pairs])


def _known_pairs(engine, pairs):
    return [(a, b) for a, b in pairs if a in engine.index and b in engine.index and a != b]


def fit_from_partnerships(
    engine: MatchingEngine,
    partnerships: Sequence[tuple[str, str]],
    *,
    folds: int = 5,
    negatives_per_positive: int = 10,
    seed: int = 0,
    max_positives: int = 20_000,
    likes: Sequence[tuple[str, str]] = (),
    passes: Sequence[tuple[str, str]] = (),
    pairwise: bool = True,
    groups: Mapping[tuple[str, str], str] | None = None,
) -> ScoringModel:
    """Fit the signal weights on recorded partnerships (k-fold, see
    `_partnership_rows`) and swipe outcomes: a like (or a match) is a positive
    of its direction, a pass a negative. By default a pairwise ranker (each
    partner above non-partners of the same source, see `fit_pairwise_ranker`);
    `pairwise=False` fits pointwise logistic regression. `groups` (pair → the
    network or project it came from) makes the folds group-aware. Hand-set weights when
    there are fewer than 10 partnerships and likes together."""
    pairs = _known_pairs(engine, partnerships)
    likes, passes = _known_pairs(engine, likes), _known_pairs(engine, passes)
    if len(pairs) + len(likes) < 10:
        return ScoringModel.default()
    rng = random.Random(seed)
    rng.shuffle(pairs)
    pairs = pairs[:max_positives]
    rows = _Rows()
    _partnership_rows(
        engine,
        pairs,
        rows,
        folds=folds,
        negatives_per_positive=negatives_per_positive,
        rng=rng,
        groups=groups,
    )
    _decision_rows(
        engine, likes, passes, rows, negatives_per_positive=negatives_per_positive, rng=rng
    )
    positives, negatives = np.vstack(rows.positives), np.vstack(rows.negatives)
    if pairwise and rows.better:
        return fit_pairwise_ranker(
            np.vstack(rows.better), np.vstack(rows.worse), positives, negatives
        )
    return fit_scoring_model(positives, negatives, source="fitted")


# Fewer recorded partnerships and likes than this: the hand-set weights stay.
MIN_OUTCOMES_TO_FIT = 30


def fit_with_evaluation(
    engine: MatchingEngine,
    partnerships: Sequence[tuple[str, str]],
    *,
    likes: Sequence[tuple[str, str]] = (),
    passes: Sequence[tuple[str, str]] = (),
    seed: int = 0,
    holdout_share: float = 0.2,
    min_outcomes: int = MIN_OUTCOMES_TO_FIT,
) -> ScoringModel:
    """A scoring model fitted on everything recorded, with evaluation figures:
    a first fit without a seeded 20 % of the partnerships is compared with the
    hand-set weights on ranking those held-out partnerships (recall@10/50, MRR).

    The model's `evaluation["use"]` says whether it should replace the hand-set
    weights: only when there was enough data and it ranked the held-out
    partnerships at least as well."""
    pairs = _known_pairs(engine, partnerships)
    likes, passes = _known_pairs(engine, likes), _known_pairs(engine, passes)
    counts = {"partnerships": len(pairs), "likes": len(likes), "passes": len(passes)}
    if len(pairs) + len(likes) < min_outcomes or len(pairs) < 10:
        return ScoringModel(
            weights=ScoringModel.default().weights,
            evaluation={
                **counts,
                "use": False,
                "why": f"too little data: fewer than {min_outcomes} partnerships and likes, "
                "or fewer than 10 partnerships",
            },
        )
    train, test = split_pairs(pairs, seed=seed, test_share=holdout_share)
    train_engine = engine.with_partnerships(train)
    trial = fit_from_partnerships(train_engine, train, seed=seed, likes=likes, passes=passes)
    hand_set = train_engine.with_model(ScoringModel.default())
    fitted_engine = train_engine.with_model(trial)
    figures = {
        name: _metrics(_rank_all(e, train, test, lambda a, e=e: e.scores(e.profiles[a].id)))
        for name, e in (("fitted", fitted_engine), ("hand_set", hand_set))
    }
    final = fit_from_partnerships(engine, pairs, seed=seed, likes=likes, passes=passes)
    use = figures["fitted"]["mrr"] >= figures["hand_set"]["mrr"]
    evaluation = {
        **counts,
        "held_out_partnerships": len(test),
        **figures,
        "use": use,
        "why": "ranks held-out partnerships at least as well as the hand-set weights"
        if use
        else "ranks held-out partnerships worse than the hand-set weights",
    }
    return ScoringModel(
        weights=final.weights,
        means=final.means,
        scales=final.scales,
        intercept=final.intercept,
        source="fitted",
        evaluation=evaluation,
    )


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


def held_out_queries(
    engine: MatchingEngine,
    train: Sequence[tuple[str, str]],
    test: Sequence[tuple[str, str]],
) -> tuple[dict[int, list[int]], dict[int, set[int]]]:
    """What link prediction ranks: source → its held-out partners (both
    directions of each test pair), and source → its training partners (left out
    of its ranking), by index in the engine."""
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
    return queries, train_partners


def _rank_all(
    engine: MatchingEngine,
    train: Sequence[tuple[str, str]],
    test: Sequence[tuple[str, str]],
    score_for: Callable[[int], np.ndarray],
) -> list[float]:
    n = len(engine.profiles)
    queries, train_partners = held_out_queries(engine, train, test)
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
    pairwise: bool = True,
    groups: Mapping[tuple[str, str], str] | None = None,
) -> dict:
    """Recall@10, recall@50 and MRR of the engine and of the baselines. `groups`
    (train pair → its network or project) makes the fitting folds group-aware;
    test pairs are never looked at while fitting."""
    engine = MatchingEngine(profiles, train, backend=backend, theme_parents=theme_parents)
    if fit:
        model = fit_from_partnerships(engine, train, seed=seed, pairwise=pairwise, groups=groups)
        engine = engine.with_model(model)
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
