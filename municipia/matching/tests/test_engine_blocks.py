"""The full recompute in blocks ranks exactly as the per-source path, on
profiles with every kind of missing value and a model that uses every signal."""

import numpy as np
import pytest

from municipia.matching.engine import (
    MatchingEngine,
    OrganisationProfile,
    ScoringModel,
    blocks,
    core,
)
from municipia.matching.engine.blocks import ranked_candidates, top_candidates_for_all
from municipia.matching.engine.features import FEATURES

TOPICS = [
    "district heating network renewal",
    "waste sorting and circular economy",
    "cycling lanes and public transport",
    "reception of refugees and integration",
    "digital services for citizens",
    "youth participation in local politics",
]


def generated_profiles(count: int, seed: int = 3) -> list[OrganisationProfile]:
    """Generated test profiles (not real organisations): random attributes, with
    missing places, populations, countries, languages and texts mixed in."""
    rng = np.random.default_rng(seed)
    profiles = []
    for i in range(count):
        located = rng.random() > 0.1
        profiles.append(
            OrganisationProfile(
                id=f"o{i}",
                country="" if rng.random() < 0.05 else str(rng.choice(["DE", "FR", "PL", "IT"])),
                latitude=float(rng.uniform(38, 60)) if located else None,
                longitude=float(rng.uniform(-5, 25)) if located else None,
                population=int(rng.integers(800, 900_000)) if rng.random() > 0.1 else None,
                kind="" if rng.random() < 0.05 else str(rng.choice(["municipality", "region"])),
                languages=frozenset(rng.choice(["de", "fr", "pl", "it", "en"], rng.integers(0, 3))),
                themes=frozenset(rng.choice(["waste", "energy", "mobility"], rng.integers(0, 3))),
                sdgs=frozenset(int(x) for x in rng.choice(17, rng.integers(0, 3)) + 1),
                interests=frozenset(rng.choice(["twinning", "peer"], rng.integers(0, 2))),
                challenges=tuple(rng.choice(TOPICS, rng.integers(0, 3))),
                expertise=tuple(rng.choice(TOPICS, rng.integers(0, 3))),
                networks=frozenset(rng.choice(["cemr", "uclg"], rng.integers(0, 2))),
                looking_for_partners=bool(rng.random() > 0.1),
            )
        )
    return profiles


def every_signal_model(seed: int = 5) -> ScoringModel:
    rng = np.random.default_rng(seed)
    return ScoringModel(
        weights=tuple(float(w) for w in rng.uniform(0.1, 2.0, len(FEATURES))),
        means=tuple(float(m) for m in rng.uniform(-0.2, 0.2, len(FEATURES))),
        scales=tuple(float(s) for s in rng.uniform(0.5, 2.0, len(FEATURES))),
        intercept=-1.0,
    )


def build(count, *, dense_text, model, monkeypatch):
    if dense_text:  # the latent (LSA) text vectors of large directories
        monkeypatch.setattr(core, "LATENT_THRESHOLD", 10)
    profiles = generated_profiles(count)
    rng = np.random.default_rng(9)
    pairs = [(f"o{a}", f"o{b}") for a, b in rng.integers(0, count, (count // 2, 2)) if a != b]
    return MatchingEngine(profiles, pairs, model=model)


@pytest.mark.parametrize("dense_text", [False, True])
@pytest.mark.parametrize("model", [None, every_signal_model()], ids=["hand-set", "every-signal"])
def test_blocks_rank_as_the_per_source_path(dense_text, model, monkeypatch):
    e = build(240, dense_text=dense_text, model=model, monkeypatch=monkeypatch)
    assert not isinstance(e.matrices.challenges, np.ndarray) or dense_text
    top = top_candidates_for_all(e, k=20, block=16, workers=2)
    assert top.candidates.shape == (240, 20)
    for a in range(240):
        expected, scores = ranked_candidates(e, a, 20)
        np.testing.assert_allclose(top.scores[a][: len(scores)], scores, rtol=2e-5, atol=1e-6)
        if not np.array_equal(top.candidates[a][: len(expected)], expected):
            # Only candidates with the same score (to float32 rounding) may swap.
            gaps = np.abs(np.diff(scores))
            assert gaps.min() < 1e-5, a


def test_blocks_never_offer_partners_itself_or_those_not_looking(monkeypatch):
    e = build(120, dense_text=False, model=None, monkeypatch=monkeypatch)
    top = top_candidates_for_all(e, k=119, block=32, workers=1)
    for a in range(120):
        offered = set(top.candidates[a][top.candidates[a] >= 0].tolist())
        assert a not in offered
        assert not offered & set(e.graph.neighbours(a).tolist())
        assert all(e.profiles[b].looking_for_partners for b in offered)
        # Everyone else who may be suggested is there: rows are padded, not cut.
        allowed = np.flatnonzero(e.candidate_mask(a, core.SearchPreferences()))
        assert offered == set(allowed.tolist())


def test_a_subset_of_sources_and_one_worker_give_the_same_rows(monkeypatch):
    e = build(90, dense_text=True, model=None, monkeypatch=monkeypatch)
    everyone = top_candidates_for_all(e, k=10, block=7, workers=2)
    some = top_candidates_for_all(e, k=10, sources=np.array([5, 40, 89]), workers=1)
    np.testing.assert_array_equal(some.candidates, everyone.candidates[[5, 40, 89]])


@pytest.mark.parametrize("n", [50, 3000])  # 3,000 columns: through the group maxima
def test_best_of_rows_is_a_sort_of_each_row(n):
    rng = np.random.default_rng(n)
    score = rng.integers(0, 40, (6, n)).astype(np.float32)  # many ties
    score[rng.random((6, n)) < 0.3] = -np.inf  # may not be suggested
    score[1, :] = -np.inf
    score[2, :] = -np.inf
    score[2, [7, 3, 11]] = [1.0, 2.0, 2.0]  # fewer than k: padded
    labels = rng.permutation(n) + 1000
    for given in (None, labels):
        candidates, scores = blocks.best_of_rows(score, 10, labels=given)
        names = np.arange(n) if given is None else given
        for row in range(6):
            finite = np.flatnonzero(np.isfinite(score[row]))
            order = finite[np.lexsort((names[finite], -score[row][finite]))][:10]
            expected = np.full(10, -1)
            expected[: len(order)] = names[order]
            np.testing.assert_array_equal(candidates[row], expected)
            np.testing.assert_array_equal(scores[row][: len(order)], score[row][order])
            assert np.isneginf(scores[row][len(order) :]).all()


def test_small_chunks_of_candidates_give_the_same_rows(monkeypatch):
    # Chunks of 16 candidates: some hold only organisations without texts (their
    # text products are skipped), some a mix, some only ones with texts.
    e = build(150, dense_text=True, model=every_signal_model(), monkeypatch=monkeypatch)
    rows = np.arange(150)
    whole = blocks.BlockScorer(e).top(rows, 15)
    small = blocks.BlockScorer(e, chunk=16)
    assert not small.col_challenges[:16].any() and small.col_challenges[-16:].all()
    chunked = small.top(rows, 15)
    np.testing.assert_array_equal(chunked[0], whole[0])
    np.testing.assert_allclose(chunked[1], whole[1], rtol=2e-5)  # float32 products
