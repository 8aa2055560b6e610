"""The shortcuts the engine takes for speed give the same answers as the plain
computation: the reciprocal score, filters on unknown codes, cached text vectors."""

import numpy as np

from municipia.matching.engine import OrganisationProfile, SearchPreferences
from municipia.matching.engine.core import _sigmoid
from municipia.matching.engine.features import DIRECTIONAL_PAIR, INDEX, signals_for

from .test_engine import engine, org


def test_reciprocal_score_equals_scoring_the_reversed_signals():
    e = engine(
        org("a", challenges=("Fernwärme aus Abwärme",), expertise=("Radwege bauen",)),
        org("b", challenges=("Radwege und Radverkehr",), expertise=("Fernwärme aus Abwärme",)),
        org("c", challenges=("Jugendbeteiligung",)),
        org("d", country="FR", latitude=48.8, longitude=2.3),
        partnerships=[("b", "c"), ("c", "d")],
    )
    a = e.index["a"]
    signals = signals_for(e.matrices, e.graph, a)
    reverse = signals.copy()
    i, j = DIRECTIONAL_PAIR
    reverse[:, i], reverse[:, j] = signals[:, j], signals[:, i]
    reverse[:, INDEX["candidate_partners"]] = np.log1p(e.graph.degree[a])
    forward, backward = _sigmoid(e.model.score(signals)), _sigmoid(e.model.score(reverse))
    expected = 2 * forward * backward / (forward + backward)

    np.testing.assert_allclose(e.scores("a"), expected, rtol=1e-5)
    # The expertise signals are directional: the shortcut must not make them symmetric.
    assert signals[e.index["b"], i] != signals[e.index["b"], j]


def test_filters_on_codes_nobody_has():
    e = engine(org("a"), org("b", country="FR", kind="municipality"))

    def ids(**preferences):
        return [
            s.organisation_id for s in e.suggest("a", preferences=SearchPreferences(**preferences))
        ]

    assert ids(countries_wanted=frozenset({"XX"})) == []
    assert ids(countries_excluded=frozenset({"XX"})) == ["b"]
    assert ids(kinds=frozenset({"region"})) == []
    assert ids(population_min=1) == []  # unknown population never passes a population filter


def test_explanations_from_cached_vectors_match_fresh_ones():
    profiles = [
        OrganisationProfile(
            id=str(k),
            country="DE",
            challenges=("Wir suchen Lösungen für Fernwärme.", "Radwege fehlen.")[: 1 + k % 2],
            expertise=("Wir haben Erfahrung mit Fernwärme.",),
        )
        for k in range(6)
    ]
    e = engine(*profiles)
    first = e.suggest("0", limit=3)
    assert e._embedder._cache  # the texts of the list were embedded once, in a batch
    e._embedder._cache.clear()
    again = e.suggest("0", limit=3)
    assert [s.reasons for s in first] == [s.reasons for s in again]
    assert any(r.code == "offers_expertise" for s in first for r in s.reasons)
