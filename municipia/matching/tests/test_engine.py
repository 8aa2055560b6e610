"""The pure engine: each signal and its reason, reciprocity, exclusions, ranking."""

import numpy as np
import pytest

from municipia.matching.engine import (
    DistancePreference,
    MatchingEngine,
    OrganisationProfile,
    SearchPreferences,
)
from municipia.matching.engine.evaluation import evaluate, expected_rank, split_pairs
from municipia.matching.engine.features import INDEX

THEME_PARENTS = {"waste-and-circular-economy": "climate", "climate-and-energy": "climate"}


def org(id, **fields):
    defaults = {"name": id.title(), "country": "DE", "latitude": 50.0, "longitude": 7.0}
    defaults.update(fields)
    return OrganisationProfile(id=id, **defaults)


def engine(*profiles, partnerships=(), **kwargs):
    return MatchingEngine(profiles, partnerships, theme_parents=THEME_PARENTS, **kwargs)


def reason_codes(suggestion):
    return [r.code for r in suggestion.reasons]


def test_shared_challenge_ranks_first_and_says_which():
    e = engine(
        org(
            "riga",
            challenges=("District heating. Modernise the district heating network of the city.",),
        ),
        org(
            "espoo",
            challenges=("District heating renewal with heat pumps in the heating network.",),
        ),
        org("lampedusa", challenges=("Reception of migrants arriving by sea.",)),
        org("kutaisi", challenges=("Digital literacy for older citizens.",)),
    )
    first = e.suggest("riga", limit=3)[0]
    assert first.organisation_id == "espoo"
    reason = next(r for r in first.reasons if r.code == "shared_challenge")
    assert reason.facts["challenge"] == "District heating"


def test_complementary_expertise_both_ways():
    e = engine(
        org("pereshchepyne", challenges=("Rebuild water supply after shelling damage.",)),
        org("munich", expertise=("Water supply engineering and network rebuilding after damage.",)),
        org("other", expertise=("Tourism marketing campaigns.",)),
    )
    best = e.suggest("pereshchepyne", limit=1)[0]
    assert best.organisation_id == "munich"
    assert "offers_expertise" in reason_codes(best)
    back = e.suggest("munich", limit=1)[0]
    assert back.organisation_id == "pereshchepyne"
    assert "needs_your_expertise" in reason_codes(back)


def test_same_working_group_counts_more_than_same_community():
    e = engine(
        org("a", themes=frozenset({"waste-and-circular-economy"})),
        org("same-group", themes=frozenset({"waste-and-circular-economy"})),
        org("same-community", themes=frozenset({"climate-and-energy"})),
        org("unrelated", themes=frozenset({"gender-equality"})),
    )
    signals = e.signals("a")
    group, community, unrelated = (
        e.index[i] for i in ("same-group", "same-community", "unrelated")
    )
    assert signals[group, INDEX["same_working_group"]] == 1.0
    assert signals[community, INDEX["same_working_group"]] == 0.0
    assert signals[community, INDEX["same_community"]] == 1.0
    assert signals[unrelated, INDEX["same_community"]] == 0.0
    scores = e.scores("a")
    assert scores[group] > scores[community] > scores[unrelated]
    reason = next(r for r in e.suggest("a")[0].reasons if r.code == "same_working_group")
    assert reason.facts == {"themes": ["waste-and-circular-economy"]}


def test_size_distance_and_languages_signals():
    e = engine(
        org("a", population=50_000, languages=frozenset({"de", "en"})),
        org("twin", population=48_000, latitude=50.1, languages=frozenset({"en"})),
        org(
            "big-far",
            population=5_000_000,
            latitude=60.0,
            longitude=25.0,
            languages=frozenset({"fi"}),
        ),
        org("unknown"),
    )
    s = e.signals("a")
    twin, big, unknown = e.index["twin"], e.index["big-far"], e.index["unknown"]
    assert s[twin, INDEX["similar_size"]] > 0.95 > s[big, INDEX["similar_size"]]
    assert s[unknown, INDEX["similar_size"]] == 0.5  # missing data is neutral, not excluded
    assert s[twin, INDEX["nearness"]] > s[big, INDEX["nearness"]]
    assert s[twin, INDEX["shared_languages"]] == 1.0 and s[big, INDEX["shared_languages"]] == 0.0
    reasons = {r.code: r for r in e.suggest("a", limit=1)[0].reasons}
    assert reasons["similar_size"].facts == {"population": 50_000, "candidate_population": 48_000}


def test_sizes_three_times_apart_are_not_called_similar():
    e = engine(
        org("a", population=1_000_000),
        org("third", population=320_000),
        org("close", population=600_000),
    )
    by_code = {
        s.organisation_id: {r.code for r in s.reasons} for s in e.suggest("a", limit=5, diversity=0)
    }
    assert "similar_size" not in by_code["third"]
    assert "similar_size" in by_code["close"]


def test_common_partners_reason_names_them():
    partnerships = [
        ("a", "p1"),
        ("a", "p2"),
        ("a", "p3"),
        ("espoo", "p1"),
        ("espoo", "p2"),
        ("espoo", "p3"),
    ]
    e = engine(
        *(org(i) for i in ("a", "p1", "p2", "p3", "espoo", "stranger")), partnerships=partnerships
    )
    best = e.suggest("a", limit=1)[0]
    assert best.organisation_id == "espoo"
    reason = next(r for r in best.reasons if r.code == "common_partners")
    assert reason.facts == {"count": 3, "partners": ["p1", "p2", "p3"]}


def test_current_partners_self_and_not_looking_are_never_suggested():
    e = engine(
        org("a"),
        org("partner"),
        org("resting", looking_for_partners=False),
        org("free"),
        partnerships=[("a", "partner")],
    )
    assert [s.organisation_id for s in e.suggest("a", limit=10)] == ["free"]


def test_filters_countries_kinds_population():
    e = engine(
        org("a"),
        org("fr-town", country="FR", population=20_000, kind="municipality"),
        org("pl-region", country="PL", population=5_000_000, kind="region"),
        org("de-town", country="DE", population=30_000, kind="municipality"),
    )

    def ids(**preferences):
        suggestions = e.suggest("a", preferences=SearchPreferences(**preferences))
        return {s.organisation_id for s in suggestions}

    assert ids(countries_excluded=frozenset({"DE"})) == {"fr-town", "pl-region"}
    assert ids(countries_wanted=frozenset({"PL"})) == {"pl-region"}
    assert ids(kinds=frozenset({"municipality"}), population_max=25_000) == {"fr-town"}


def test_country_groups_filter():
    e = engine(
        org("a"),
        org("kyiv", country="UA"),
        org("paris", country="FR"),
        country_groups={"eastern_partnership": frozenset({"UA", "GE", "MD"})},
    )
    chosen = e.suggest(
        "a", preferences=SearchPreferences(country_groups_wanted=frozenset({"eastern_partnership"}))
    )
    assert [s.organisation_id for s in chosen] == ["kyiv"]


def test_nearby_preference_reorders():
    e = engine(org("a"), org("near", latitude=50.2), org("far", latitude=58.0, country="SE"))
    nearby = e.suggest("a", preferences=SearchPreferences(distance=DistancePreference.NEARBY))
    assert nearby[0].organisation_id == "near"


def test_reciprocity_penalises_one_sided_fit():
    # B's expertise answers A's challenge, but C's challenge is answered by nobody:
    # A→C is one-sided, A↔B is good both ways when B needs what A offers.
    e = engine(
        org(
            "a",
            challenges=("Energy renovation of schools.",),
            expertise=("Youth participation councils.",),
        ),
        org(
            "b",
            expertise=("Energy renovation of public schools.",),
            challenges=("Youth participation in local democracy.",),
        ),
        org("c", expertise=("Energy renovation of school buildings.",)),
    )
    scores = e.scores("a")
    assert scores[e.index["b"]] > scores[e.index["c"]]


def test_diversity_mixes_countries():
    profiles = [org("a", themes=frozenset({"climate-and-energy"}))]
    profiles += [org(f"de{i}", themes=frozenset({"climate-and-energy"})) for i in range(5)]
    profiles += [org("fr", country="FR", themes=frozenset({"climate-and-energy"}), latitude=48.0)]
    e = engine(*profiles)
    top3 = [s.organisation_id for s in e.suggest("a", limit=3, diversity=0.5)]
    assert "fr" in top3
    plain = [s.organisation_id for s in e.suggest("a", limit=3, diversity=1.0)]
    assert "fr" not in plain


def test_exposure_damps_popular_and_boosts_partnerless():
    e = engine(org("a"), org("popular"), org("quiet"), org("p"), partnerships=[("popular", "p")])
    damped = e.suggest("a", exposure={"popular": 1000})
    assert damped[0].organisation_id == "quiet"
    assert "no_partner_yet" in reason_codes(damped[0])


def test_expected_rank_counts_ties_fairly():
    scores = np.array([0.9, 0.5, 0.5, 0.5, 0.1])
    candidates = np.arange(5)
    assert expected_rank(scores, candidates, 0) == 1.0
    assert expected_rank(scores, candidates, 2) == 3.0  # tied with 1 and 3: ranks 2,3,4 → 3
    assert expected_rank(np.zeros(5), candidates, 4) == 3.0


def test_evaluation_reports_engine_and_baselines():
    rng = np.random.default_rng(0)
    profiles, pairs = [], []
    # Two regions whose towns partner among themselves: geography and themes predict.
    for region, (lat, theme) in enumerate(
        [(40.0, "waste-and-circular-economy"), (60.0, "climate-and-energy")]
    ):
        for i in range(15):
            profiles.append(
                org(
                    f"r{region}-{i}",
                    latitude=lat + rng.normal(0, 0.5),
                    longitude=10 + rng.normal(0, 0.5),
                    themes=frozenset({theme}),
                    population=int(rng.integers(1_000, 100_000)),
                )
            )
        pairs += [
            (f"r{region}-{i}", f"r{region}-{(i + k) % 15}") for i in range(15) for k in (1, 2)
        ]
    train, test = split_pairs(pairs, seed=1)
    result = evaluate(profiles, train, test, theme_parents=THEME_PARENTS)
    assert set(result["baselines"]) == {"random", "nearest", "population", "most-connected"}
    assert result["engine"]["n"] == 2 * len(test)
    assert result["engine"]["mrr"] > result["baselines"]["random"]["mrr"]
    assert 0 <= result["engine"]["recall@10"] <= result["engine"]["recall@50"] <= 1


@pytest.mark.parametrize("documents", [[], ["", "   "], ["the and of"]])
def test_lexical_backend_without_usable_text_gives_no_text_signal(documents):
    e = engine(org("a", challenges=tuple(documents)), org("b", challenges=tuple(documents)))
    assert e.signals("a")[:, INDEX["shared_challenges"]].max() == 0.0
