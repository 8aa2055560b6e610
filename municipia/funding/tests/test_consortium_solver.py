"""The consortium solver (pure module, no database): optimal against brute force,
every rule honoured, alternatives, infeasibility explained, determinism."""

import dataclasses
import itertools
import random

import pytest

from municipia.funding.consortium import (
    Candidate,
    ConsortiumRules,
    GroupMinimum,
    check_consortium,
    propose,
)
from municipia.funding.consortium.rules import membership_problems
from municipia.funding.consortium.solver import DIVERSITY_BONUS
from municipia.matching.countries import EU_MEMBER_STATES

EU2 = GroupMinimum("EU member states", EU_MEMBER_STATES, 2)
COUNTRIES = ["FR", "DE", "IT", "PL", "UA", "MD", "NO", None]


def org(id, country, kind="municipality", score=0.5):
    return Candidate(id=id, country=country, kind=kind, score=score, name=f"Org {id}")


def random_pool(seed, n=11, kinds=("municipality", "region")):
    rng = random.Random(seed)
    # Scores on the solver's 1/10,000 grid, so brute force and solver agree exactly.
    return [
        org(i, rng.choice(COUNTRIES), rng.choice(kinds), round(rng.random(), 4))
        for i in range(2, 2 + n)
    ]


def objective(lead, partners, bonus=DIVERSITY_BONUS):
    countries = {m.country for m in (lead, *partners) if m.country} - {lead.country}
    return sum(p.score for p in partners) + bonus * len(countries)


def brute_force(rules, lead, pool, size=None):
    """(fewest partners, best objective) over every subset meeting the rules."""
    eligible = [c for c in pool if not membership_problems(rules, c)]
    high = rules.max_partners or len(eligible) + 1
    sizes = [size] if size else range(max(rules.min_partners, 1), high + 1)
    for n in sizes:
        best = None
        for partners in itertools.combinations(eligible, n - 1):
            if check_consortium(rules, lead, list(partners)):
                continue
            value = objective(lead, partners)
            best = value if best is None else max(best, value)
        if best is not None:
            return n, best
    return None


RULE_SETS = [
    ConsortiumRules(4, 6, 4, (EU2,)),
    ConsortiumRules(3, 5, 3, max_per_country=1),
    ConsortiumRules(4, 4, 3, (GroupMinimum("EU", EU_MEMBER_STATES, 3),), max_per_country=2),
    ConsortiumRules(
        3,
        5,
        3,
        eligible_countries=frozenset({"FR", "DE", "IT", "UA", "MD"}),
        eligible_types=frozenset({"municipality"}),
    ),
    ConsortiumRules(2, None, 4, (GroupMinimum("Eastern Partnership", frozenset({"UA", "MD"}), 2),)),
]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("rules", RULE_SETS)
def test_optimal_against_brute_force(rules, seed):
    pool = random_pool(seed)
    lead = org(1, ["FR", "UA"][seed % 2])
    expected = brute_force(rules, lead, pool)
    proposal = propose(rules, lead, pool)
    if expected is None:
        assert proposal.best is None and proposal.infeasible
        return
    assert proposal.status == "OPTIMAL" and proposal.optimal
    assert check_consortium(rules, lead, proposal.partners) == []
    size, value = expected
    assert proposal.best.size == size
    assert proposal.best.objective == pytest.approx(value, abs=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_optimal_for_a_requested_size(seed):
    rules = ConsortiumRules(3, 6, 3, (EU2,))
    pool, lead = random_pool(seed, n=10), org(1, "DE")
    proposal = propose(rules, lead, pool, size=5)
    size, value = brute_force(rules, lead, pool, size=5)
    assert proposal.best.size == size == 5
    assert proposal.best.objective == pytest.approx(value, abs=1e-9)


def test_four_partners_from_four_countries_with_two_from_the_eu():
    lead = org(1, "UA")
    pool = [
        org(2, "FR", score=0.9),
        org(3, "FR", score=0.85),
        org(4, "UA", score=0.95),
        org(5, "MD", score=0.4),
        org(6, "DE", score=0.3),
        org(7, "NO", score=0.2),
    ]
    proposal = propose(ConsortiumRules(4, 10, 4, (EU2,)), lead, pool)
    assert proposal.best.size == 4
    assert set(proposal.best.countries) >= {"UA", "FR", "DE"} and len(proposal.best.countries) == 4
    assert [p.id for p in proposal.partners] == [2, 5, 6]


def test_diversity_bonus_prefers_a_new_country_unless_clearly_worse():
    lead = org(1, "FR")
    rules = ConsortiumRules(3, 3)
    close = [org(2, "DE", score=0.8), org(3, "DE", score=0.75), org(4, "IT", score=0.7)]
    assert {p.id for p in propose(rules, lead, close).partners} == {2, 4}
    far = [org(2, "DE", score=0.8), org(3, "DE", score=0.75), org(4, "IT", score=0.2)]
    assert {p.id for p in propose(rules, lead, far).partners} == {2, 3}
    no_bonus = propose(rules, lead, close, diversity_bonus=0)
    assert {p.id for p in no_bonus.partners} == {2, 3}


def test_cap_per_country_and_eligibility_are_honoured():
    lead = org(1, "FR")
    pool = [org(i, "DE", score=0.9) for i in range(2, 6)] + [
        org(6, "IT", score=0.1),
        org(7, "GB", score=0.99),
        org(8, "PL", kind="partner", score=0.99),
    ]
    rules = ConsortiumRules(
        4,
        4,
        eligible_countries=EU_MEMBER_STATES,
        eligible_types=frozenset({"municipality"}),
        max_per_country=2,
    )
    proposal = propose(rules, lead, pool)
    ids = [p.id for p in proposal.partners]
    assert ids[:2] == [2, 3] and ids[2] == 6
    assert proposal.left_out == 2  # the British and the non-municipality


def test_the_lead_is_never_its_own_partner():
    lead = org(1, "FR")
    proposal = propose(
        ConsortiumRules(2, 2), lead, [dataclasses.replace(lead, score=1.0), org(2, "DE")]
    )
    assert [p.id for p in proposal.partners] == [2]


def test_alternatives_differ_and_are_next_best():
    rules = ConsortiumRules(4, 5, 4, (EU2,))
    pool, lead = random_pool(3, n=12), org(1, "FR")
    proposal = propose(rules, lead, pool, alternatives=3)
    consortia = [proposal.best, *proposal.alternatives]
    assert len(consortia) == 4
    sets = [frozenset(c.ids) for c in consortia]
    assert len(set(sets)) == 4
    for consortium in consortia:
        assert check_consortium(rules, lead, consortium.partners) == []
    # Next-best: never better than the one before (same size, objective not rising),
    # and the first alternative is the best consortium other than the proposal.
    values = [(-c.size, c.objective) for c in consortia]
    assert values == sorted(values, reverse=True)
    eligible = list(pool)
    others = [
        objective(lead, partners)
        for partners in itertools.combinations(eligible, proposal.best.size - 1)
        if frozenset(p.id for p in partners) != sets[0]
        and not check_consortium(rules, lead, list(partners))
    ]
    assert consortia[1].objective == pytest.approx(max(others), abs=1e-9)


def test_fewer_alternatives_when_the_pool_has_no_more():
    lead = org(1, "FR")
    proposal = propose(
        ConsortiumRules(3, 3), lead, [org(2, "DE"), org(3, "IT"), org(4, "PL")], alternatives=5
    )
    assert len(proposal.alternatives) == 2


def test_deterministic_whatever_the_input_order():
    rules = ConsortiumRules(4, 6, 4, (EU2,))
    pool, lead = random_pool(5, n=40), org(1, "FR")
    # Ties everywhere: many candidates share a score.
    pool = [dataclasses.replace(c, score=round(c.score, 1)) for c in pool]
    first = propose(rules, lead, pool, alternatives=2)
    for seed in range(3):
        shuffled = pool[:]
        random.Random(seed).shuffle(shuffled)
        again = propose(rules, lead, shuffled, alternatives=2)
        assert [c.ids for c in (again.best, *again.alternatives)] == [
            c.ids for c in (first.best, *first.alternatives)
        ]


# -- infeasibility, explained ---------------------------------------------------------------


def only(proposal):
    assert proposal.best is None and proposal.status == "INFEASIBLE"
    return [(v.code, v.rule) for v in proposal.infeasible]


def test_contradictory_rules_are_refused_before_solving():
    proposal = propose(ConsortiumRules(5, 3), org(1, "FR"), random_pool(1))
    assert proposal.status == "INVALID_RULES"
    assert [p.code for p in proposal.problems] == ["max_below_min"]
    assert proposal.infeasible[0].code == "max_below_min"


def test_not_enough_eligible_countries_among_candidates():
    pool = [org(2, "DE"), org(3, "DE"), org(4, "IT")]
    proposal = propose(ConsortiumRules(4, 6, 4), org(1, "FR"), pool)
    assert only(proposal) == [("not_enough_countries", "min_countries")]
    assert proposal.infeasible[0].text == (
        "Only 3 eligible countries among the candidates (the lead's included), 4 required."
    )


def test_no_candidate_from_the_group():
    pool = [org(2, "UA"), org(3, "MD"), org(4, "NO")]
    proposal = propose(ConsortiumRules(3, 6, 1, (EU2,)), org(1, "UA"), pool)
    assert only(proposal) == [("no_candidate_from_group", "min_from_group")]
    assert "No candidate from EU member states" in proposal.infeasible[0].text


def test_not_enough_from_the_group():
    pool = [org(2, "UA"), org(3, "FR"), org(4, "NO")]
    proposal = propose(ConsortiumRules(3, 6, 1, (EU2,)), org(1, "UA"), pool)
    assert only(proposal) == [("not_enough_from_group", "min_from_group")]


def test_too_few_candidates_and_ineligible_ones_left_out():
    pool = [org(2, "DE"), org(3, "GB"), org(4, "IT", kind="network")]
    rules = ConsortiumRules(
        4, 6, eligible_countries=EU_MEMBER_STATES, eligible_types=frozenset({"municipality"})
    )
    proposal = propose(rules, org(1, "FR"), pool)
    assert only(proposal) == [("not_enough_candidates", "min_partners")]
    assert proposal.left_out == 2 and proposal.pool_size == 1


def test_lead_that_may_not_lead():
    rules = ConsortiumRules(2, 4, lead_countries=EU_MEMBER_STATES, lead_types=frozenset({"region"}))
    proposal = propose(rules, org(1, "UA"), random_pool(2))
    assert only(proposal) == [
        ("lead_country_not_allowed", "lead_countries"),
        ("lead_type_not_allowed", "lead_types"),
    ]


def test_cap_per_country_blocks_the_size():
    pool = [org(2, "FR"), org(3, "DE"), org(4, "DE"), org(5, "DE")]
    proposal = propose(ConsortiumRules(5, 6, max_per_country=1), org(1, "FR"), pool)
    assert only(proposal) == [("per_country_cap_blocks", "max_per_country")]


def test_group_minimum_leaves_no_room_for_a_lead_outside_it():
    pool = [org(i, c) for i, c in enumerate(["FR", "DE", "IT", "PL"], start=2)]
    rules = ConsortiumRules(4, 4, 4, (GroupMinimum("EU", EU_MEMBER_STATES, 4),))
    assert only(propose(rules, org(1, "UA"), pool)) == [("group_leaves_no_room", "min_from_group")]


def test_rules_that_only_conflict_together_are_named():
    """Each rule can be met alone; at most 5 partners, 5 countries and 4 from
    France or Germany cannot hold together (the group covers two countries)."""
    pool = [org(i, c) for i, c in enumerate(["FR", "DE", "DE", "IT", "PL", "ES", "FR"], start=2)]
    group = GroupMinimum("France and Germany", frozenset({"FR", "DE"}), 4)
    rules = ConsortiumRules(3, 5, 5, (group,), max_per_country=3)
    proposal = propose(rules, org(1, "FR"), pool)
    assert only(proposal) == [("conflicting_rules", "max_partners")]
    violation = proposal.infeasible[0]
    # Minimal: the cap per country and the minimum of partners play no part.
    assert [rule for rule, _ in violation.params["conflict"]] == [
        "max_partners",
        "min_countries",
        "min_from_group",
    ]
    assert violation.text == (
        "These rules cannot all be met with the candidates available: at most 5 partners; "
        "at least 5 countries; at least 4 from France and Germany."
    )


def test_a_requested_size_outside_the_call():
    proposal = propose(ConsortiumRules(3, 5), org(1, "FR"), random_pool(1), size=7)
    assert only(proposal) == [("size_outside_rules", "size")]


def ranked_consortia(rules, lead, pool, size=None):
    """Every consortium meeting the rules, as (size, objective), best first."""
    eligible = [c for c in pool if not membership_problems(rules, c)]
    high = rules.max_partners or len(eligible) + 1
    sizes = [size] if size else range(max(rules.min_partners, 1), high + 1)
    found = [
        (n, objective(lead, partners))
        for n in sizes
        for partners in itertools.combinations(eligible, n - 1)
        if not check_consortium(rules, lead, list(partners))
    ]
    return sorted(found, key=lambda item: (item[0], -item[1]))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("rules", RULE_SETS)
def test_alternatives_are_the_next_best_against_brute_force(rules, seed):
    pool, lead = random_pool(seed + 20, n=10), org(1, ["DE", "MD"][seed % 2])
    proposal = propose(rules, lead, pool, alternatives=3)
    expected = ranked_consortia(rules, lead, pool)[:4]
    got = [(c.size, c.objective) for c in (proposal.best, *proposal.alternatives) if c]
    assert len(got) == len(expected)
    for (size, value), (expected_size, expected_value) in zip(got, expected, strict=True):
        assert size == expected_size
        assert value == pytest.approx(expected_value, abs=1e-9)
    assert len({frozenset(c.ids) for c in (proposal.best, *proposal.alternatives) if c}) == len(got)


def test_a_larger_consortium_is_the_alternative_when_no_other_of_the_size_exists():
    lead = org(1, "FR")
    pool = [org(2, "DE", score=0.9), org(3, "IT", score=0.8), org(4, "FR", score=0.5)]
    proposal = propose(ConsortiumRules(3, 4, 3), lead, pool, alternatives=2)
    assert proposal.best.ids == (2, 3)
    assert [a.ids for a in proposal.alternatives] == [(2, 3, 4)]


def test_a_consortium_not_proven_optimal_is_reported_as_such(monkeypatch):
    """When CP-SAT stops at its time limit with a consortium but no proof, the
    proposal says it is not optimal and claims no next-best alternatives."""
    from ortools.sat.python import cp_model

    from municipia.funding.consortium import solver

    solve = solver._Model.solve

    def out_of_time(self, time_limit, part=None):
        status, found = solve(self, time_limit, part)
        return (cp_model.FEASIBLE if status == cp_model.OPTIMAL else status), found

    monkeypatch.setattr(solver._Model, "solve", out_of_time)
    proposal = propose(ConsortiumRules(4, 6, 4, (EU2,)), org(1, "FR"), random_pool(4, n=12))
    assert proposal.best is not None
    assert proposal.status == "FEASIBLE" and not proposal.optimal
    assert proposal.alternatives == ()
