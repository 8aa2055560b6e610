"""The consortium builder's Django side: the candidate pool from the matching
engine (eligibility, top candidates per country, visibility), its optimality for
the whole directory, reasons and translated findings."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from conftest import make_user
from municipia.directory.enums import OrganisationType, Visibility
from municipia.directory.models import Challenge, Expertise, Organisation
from municipia.funding import consortium_pool
from municipia.funding.consortium import (
    Candidate,
    ConsortiumRules,
    GroupMinimum,
    RuleViolation,
    check_consortium,
    propose,
)
from municipia.matching import selectors as matching
from municipia.matching.countries import EU_MEMBER_STATES
from municipia.taxonomy.models import Theme

EU2 = GroupMinimum("EU member states", EU_MEMBER_STATES, 2)

# Real places; the challenges and expertise are GENERATED for the tests.
PLACES = [
    ("Tartu", "EE", 97000),
    ("Riga", "LV", 605000),
    ("Jelgava", "LV", 55000),
    ("Liepāja", "LV", 67000),
    ("Espoo", "FI", 300000),
    ("Vantaa", "FI", 240000),
    ("Lyon", "FR", 520000),
    ("Grenoble", "FR", 158000),
    ("Köln", "DE", 1080000),
    ("Leipzig", "DE", 600000),
    ("Kraków", "PL", 800000),
    ("Lviv", "UA", 720000),
    ("Chișinău", "MD", 640000),
    ("Bergen", "NO", 285000),
]


@pytest.fixture(autouse=True)
def _fresh_engine():
    matching.forget_engine()
    yield
    matching.forget_engine()


@pytest.fixture
def places(db):
    waste = Theme.objects.get(code="waste-and-circular-economy")
    made = {}
    for name, country, population in PLACES:
        made[name] = Organisation.objects.create(
            name=name,
            slug=name.lower(),
            kind=OrganisationType.MUNICIPALITY,
            country=country,
            population=population,
        )
    need = Challenge.objects.create(
        organisation=made["Tartu"],
        title="District heating",
        text="Our district heating network is old and loses heat.",
        language="en",
    )
    need.themes.add(waste)
    for name in ("Riga", "Espoo", "Lviv", "Leipzig"):
        offer = Expertise.objects.create(
            organisation=made[name],
            title="District heating",
            text="Renovating district heating networks and waste heat recovery.",
            language="en",
        )
        offer.themes.add(waste)
    return made


@pytest.fixture
def viewer(db):
    return make_user("officer@tartu.ee")


def all_candidates(engine, lead, rules):
    """Every eligible organisation of the engine, scored: what the pool stands for."""
    scores = engine.scores(str(lead.pk))
    found = []
    for i, profile in enumerate(engine.profiles):
        candidate = Candidate(int(profile.id), profile.country or None, profile.kind, scores[i])
        if profile.looking_for_partners and profile.id != str(lead.pk):
            found.append(candidate)
    return found


def test_pool_keeps_the_best_per_country_within_the_rules(places):
    engine = matching.current_engine()
    lead = places["Tartu"]
    rules = ConsortiumRules(3, 3, eligible_countries=EU_MEMBER_STATES)
    pool = consortium_pool.pool_from_engine(engine, str(lead.pk), rules, depth=2)
    countries = [c.country for c in pool]
    assert "UA" not in countries and "NO" not in countries and "MD" not in countries
    assert max(countries.count(c) for c in set(countries)) == 2  # Latvia has three
    latvians = [c for c in pool if c.country == "LV"]
    assert latvians[0].name == "Riga"  # offers what Tartu needs
    assert lead.pk not in {c.id for c in pool}
    assert [c.score for c in pool] == sorted((c.score for c in pool), reverse=True)


def test_pool_filters_types_population_and_who_is_not_looking(places):
    places["Riga"].is_looking_for_partners = False
    places["Riga"].save()
    places["Espoo"].kind = OrganisationType.REGION
    places["Espoo"].save()
    engine = matching.current_engine(rebuild=True)
    rules = ConsortiumRules(2, 5, eligible_types=frozenset({"municipality"}))
    pool = consortium_pool.pool_from_engine(
        engine, str(places["Tartu"].pk), rules, depth=4, population_min=100_000
    )
    names = {c.name for c in pool}
    assert "Riga" not in names and "Espoo" not in names and "Jelgava" not in names
    assert "Lviv" in names


def test_pool_depth_follows_the_rules():
    assert consortium_pool.pool_depth(ConsortiumRules(4, 10)) == 9
    assert consortium_pool.pool_depth(ConsortiumRules(4, 10, max_per_country=2)) == 2
    assert consortium_pool.pool_depth(ConsortiumRules(4, 10), size=5) == 4
    assert consortium_pool.pool_depth(ConsortiumRules(4, None)) == 11


@pytest.mark.parametrize(
    "rules",
    [
        ConsortiumRules(4, 4, 4, (EU2,)),
        ConsortiumRules(3, 5, 3, max_per_country=1),
        ConsortiumRules(5, 6, 2, (GroupMinimum("Baltic", frozenset({"EE", "LV", "LT"}), 4),)),
        ConsortiumRules(4, 4, 2),
    ],
)
def test_the_pool_loses_nothing_the_directory_would_give(places, rules):
    """An optimal consortium of the pool is optimal among all organisations."""
    engine = matching.current_engine()
    lead = places["Tartu"]
    depth = consortium_pool.pool_depth(rules)
    pool = consortium_pool.pool_from_engine(engine, str(lead.pk), rules, depth=depth)
    lead_candidate = consortium_pool.lead_candidate(lead)
    from_pool = propose(rules, lead_candidate, pool)
    everyone = all_candidates(engine, lead, rules)
    from_all = propose(rules, lead_candidate, everyone)
    assert from_pool.status == from_all.status == "OPTIMAL"
    assert from_pool.best.size == from_all.best.size
    assert from_pool.best.objective == pytest.approx(from_all.best.objective, abs=1e-3)


def test_proposal_with_reasons(places, viewer):
    rules = ConsortiumRules(4, 6, 4, (EU2,))
    found = consortium_pool.propose_consortium(lead=places["Tartu"], rules=rules, viewer=viewer)
    assert found.problems == []
    assert found.proposal.optimal
    best = found.best
    assert best.size == 4 and len(best.countries) == 4
    assert check_consortium(rules, found.pool.lead, best.partners) == []
    by_name = {p.name: p for p in best.partners}
    assert "Riga" in by_name
    assert "offers_expertise" in {r.code for r in by_name["Riga"].reasons}
    assert len(found.alternatives) == 2
    assert all(set(a.ids) != set(best.ids) for a in found.alternatives)
    assert all(p.id in found.pool.organisations for p in best.partners)


def test_infeasible_proposal_says_why(places, viewer):
    rules = ConsortiumRules(4, 6, 4, eligible_countries=frozenset({"EE", "LV", "FI"}))
    found = consortium_pool.propose_consortium(lead=places["Tartu"], rules=rules, viewer=viewer)
    assert found.best is None
    assert found.proposal.status == "INVALID_RULES"
    assert found.problems == ["Only 3 countries are eligible, fewer than the 4 required."]
    no_eu = ConsortiumRules(3, 6, 1, (EU2,), eligible_countries=frozenset({"EE", "UA", "MD"}))
    found = consortium_pool.propose_consortium(lead=places["Tartu"], rules=no_eu, viewer=viewer)
    assert found.problems == [
        "Only 1 possible partners from EU member states (lead included), 2 required."
    ]


def test_only_profiles_the_viewer_may_see(places):
    places["Riga"].visibility = Visibility.MEMBERS
    places["Riga"].save()
    rules = ConsortiumRules(3, 3, eligible_countries=frozenset({"LV", "FI"}))
    anonymous = consortium_pool.propose_consortium(
        lead=places["Tartu"], rules=rules, viewer=AnonymousUser()
    )
    member = consortium_pool.propose_consortium(
        lead=places["Tartu"], rules=rules, viewer=make_user("member@example.org")
    )
    assert "Riga" not in {c.name for c in anonymous.pool.candidates}
    assert "Riga" in {c.name for c in member.pool.candidates}


def test_a_lead_the_engine_does_not_match(places, viewer):
    network = Organisation.objects.create(
        name="Energy Cities", slug="energy-cities", kind=OrganisationType.NETWORK, country="FR"
    )
    found = consortium_pool.propose_consortium(
        lead=network, rules=ConsortiumRules(3, 4), viewer=viewer
    )
    assert found.best is None
    assert "is not in the matching engine yet" in found.problems[0]


def test_a_consortium_edited_by_hand(places):
    rules = ConsortiumRules(
        4, 5, 4, (EU2,), eligible_countries=EU_MEMBER_STATES | {"UA"}, max_per_country=1
    )
    lead = places["Tartu"]
    good = [places["Riga"], places["Lviv"], places["Lyon"]]
    assert consortium_pool.check_partners(rules=rules, lead=lead, partners=good) == []
    bad = [places["Riga"], places["Jelgava"], places["Bergen"]]
    assert consortium_pool.check_partners(rules=rules, lead=lead, partners=bad) == [
        "Bergen is in Norway, which is not an eligible country.",
        "The consortium covers 3 countries; at least 4 are required.",
        "2 partners are from Latvia; at most 1 from one country are allowed.",
    ]


def test_every_finding_has_words():
    """Each code the pure module can produce is phrased by the Django side (not
    left to the module's English fallback)."""
    source = "".join(
        (Path(consortium_pool.__file__).parent / "consortium" / name).read_text()
        for name in ("rules.py", "explain.py", "solver.py")
    )
    codes = set(re.findall(r'(?:RuleViolation\(|RuleProblem\(|problem\()\s*"([a-z_]+)"', source))
    assert len(codes) > 25
    params = {
        "name": "Lviv", "country": "UA", "countries": "FR, DE", "kind": "region",
        "kinds": "municipality", "count": 2, "min": 4, "max": 5, "per": 1, "most": 3,
        "needed": 3, "group": "EU member states", "size": 7, "seconds": 1.5,
        "population": 5000, "low": 10000, "high": 50000,
        "conflict": (("max_partners", {"max": 5}), ("min_countries", {"min": 6})),
    }  # fmt: skip
    for code in sorted(codes):
        text = consortium_pool.violation_text(RuleViolation(code, "rule", "UNPHRASED", params))
        assert text != "UNPHRASED", code


def test_findings_in_words():
    conflict = RuleViolation(
        "conflicting_rules",
        "max_partners",
        "",
        {"conflict": (("max_partners", {"max": 5}), ("min_countries", {"min": 6}))},
    )
    assert consortium_pool.violation_text(conflict) == (
        "These rules cannot all be met with the candidates available: at most 5 partners; "
        "at least 6 countries."
    )
    found = propose(ConsortiumRules(3, 4), Candidate(1, "UA", "region", 0), [], size=6)
    assert [consortium_pool.violation_text(v) for v in found.infeasible] == [
        "A consortium of 6 partners is outside the call's range (3 to 4, lead included)."
    ]
    lead = Candidate(1, "UA", "region", 0, name="Lviv Oblast")
    rules = ConsortiumRules(
        2, 3, lead_countries=frozenset({"FR"}), lead_types=frozenset({"municipality"})
    )
    assert [consortium_pool.violation_text(v) for v in propose(rules, lead, []).infeasible] == [
        "The lead partner must be based in France; Lviv Oblast is in Ukraine.",
        "The lead partner must be one of: Municipality; Lviv Oblast is a region.",
    ]
