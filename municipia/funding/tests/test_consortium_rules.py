"""The consortium rules on their own: contradictions refused, every rule checked
on a consortium edited by hand (pure module, no database)."""

import dataclasses

from municipia.funding.consortium import (
    Candidate,
    ConsortiumRules,
    GroupMinimum,
    check_consortium,
    validate_rules,
)
from municipia.matching.countries import EU_MEMBER_STATES

EU = GroupMinimum("EU member states", EU_MEMBER_STATES, 2)


def org(id, country, kind="municipality", score=0.5):
    return Candidate(id=id, country=country, kind=kind, score=score, name=f"Org {id}")


def codes(found):
    return sorted(item.code for item in found)


def test_sound_rules_have_no_problem():
    rules = ConsortiumRules(4, 10, 4, (EU,), eligible_countries=frozenset({"FR", "DE", "IT", "UA"}))
    assert validate_rules(rules) == []


def test_minimum_above_maximum_is_refused():
    (problem,) = validate_rules(ConsortiumRules(min_partners=6, max_partners=4))
    assert problem.code == "max_below_min"
    assert problem.rules == ("min_partners", "max_partners")
    assert problem.text == "The maximum number of partners (4) is below the minimum (6)."


def test_more_countries_than_partners_is_refused():
    (problem,) = validate_rules(ConsortiumRules(2, 3, min_countries=4))
    assert problem.code == "countries_above_max"
    assert "4 different countries" in problem.text


def test_group_minimum_above_maximum_is_refused():
    rules = ConsortiumRules(2, 3, min_from_group=(GroupMinimum("EU", EU_MEMBER_STATES, 4),))
    assert codes(validate_rules(rules)) == ["group_minimum_above_max"]


def test_eligible_countries_fewer_than_required():
    rules = ConsortiumRules(4, 8, 4, eligible_countries=frozenset({"FR", "DE", "IT"}))
    (problem,) = validate_rules(rules)
    assert problem.code == "too_few_eligible_countries"
    assert problem.text == "Only 3 countries are eligible, fewer than the 4 required."


def test_group_without_eligible_country_is_refused():
    rules = ConsortiumRules(2, 5, min_from_group=(EU,), eligible_countries=frozenset({"UA", "MD"}))
    assert codes(validate_rules(rules)) == ["group_not_eligible"]


def test_lead_conditions_that_no_eligible_organisation_meets():
    rules = ConsortiumRules(
        2,
        5,
        eligible_countries=frozenset({"FR", "DE"}),
        eligible_types=frozenset({"municipality"}),
        lead_countries=frozenset({"UA"}),
        lead_types=frozenset({"region"}),
    )
    assert codes(validate_rules(rules)) == ["lead_country_impossible", "lead_type_impossible"]


def test_cap_per_country_too_low_for_the_minimum():
    rules = ConsortiumRules(5, 8, max_per_country=2, eligible_countries=frozenset({"FR", "DE"}))
    assert codes(validate_rules(rules)) == ["per_country_cap_too_low"]
    group = GroupMinimum("Benelux", frozenset({"BE", "NL", "LU"}), 4)
    assert codes(
        validate_rules(ConsortiumRules(4, 8, min_from_group=(group,), max_per_country=1))
    ) == ["group_cap_too_low"]


def test_no_maximum_is_no_contradiction():
    assert validate_rules(ConsortiumRules(4, None, 4, (EU,))) == []


RULES = ConsortiumRules(
    min_partners=4,
    max_partners=5,
    min_countries=4,
    min_from_group=(EU,),
    eligible_countries=frozenset({"FR", "DE", "IT", "ES", "UA", "NO"}),
    eligible_types=frozenset({"municipality", "region"}),
    lead_countries=frozenset({"FR", "DE", "IT", "ES"}),
    lead_types=frozenset({"municipality"}),
    max_per_country=2,
)
LEAD = org(1, "FR")


def test_a_consortium_meeting_every_rule():
    assert check_consortium(RULES, LEAD, [org(2, "DE"), org(3, "UA"), org(4, "NO")]) == []


def test_too_few_and_too_many_partners_count_the_lead():
    found = check_consortium(RULES, LEAD, [org(2, "DE"), org(3, "UA")])
    assert "too_few_partners" in codes(found)
    assert next(v for v in found if v.code == "too_few_partners").params == {"count": 3, "min": 4}
    many = [org(i, c) for i, c in zip(range(2, 7), ["DE", "IT", "ES", "UA", "NO"], strict=True)]
    assert codes(check_consortium(RULES, LEAD, many)) == ["too_many_partners"]


def test_too_few_countries():
    found = check_consortium(RULES, LEAD, [org(2, "FR"), org(3, "DE"), org(4, "DE")])
    assert codes(found) == ["too_few_countries"]
    assert found[0].text == "The consortium covers 2 countries; at least 4 are required."


def test_too_few_from_the_group():
    found = check_consortium(RULES, LEAD, [org(2, "UA"), org(3, "NO"), org(4, "UA"), org(5, "NO")])
    # The lead's France is the only EU member state; Ukraine and Norway are not.
    assert codes(found) == ["too_few_countries", "too_few_from_group"]


def test_group_minimum_alone():
    rules = ConsortiumRules(3, 5, min_from_group=(EU,))
    found = check_consortium(rules, org(1, "UA"), [org(2, "FR"), org(3, "MD")])
    assert codes(found) == ["too_few_from_group"]
    assert found[0].params["count"] == 1


def test_ineligible_country_type_and_missing_country():
    found = check_consortium(
        RULES, LEAD, [org(2, "GB"), org(3, "DE", kind="partner"), org(4, None), org(5, "IT")]
    )
    by_partner = {(v.code, v.partner) for v in found}
    assert ("country_not_eligible", 2) in by_partner
    assert ("type_not_eligible", 3) in by_partner
    assert ("country_unknown", 4) in by_partner


def test_lead_conditions():
    lead = org(1, "UA", kind="region")
    found = check_consortium(RULES, lead, [org(2, "DE"), org(3, "IT"), org(4, "ES")])
    assert codes(found) == ["lead_country_not_allowed", "lead_type_not_allowed"]


def test_cap_per_country():
    rules = dataclasses.replace(RULES, min_countries=3)
    found = check_consortium(rules, LEAD, [org(2, "FR"), org(3, "FR"), org(4, "DE"), org(5, "UA")])
    assert codes(found) == ["too_many_from_country"]
    assert found[0].params == {"count": 3, "country": "FR", "max": 2}


def test_a_partner_twice_or_the_lead_again():
    found = check_consortium(
        RULES, LEAD, [LEAD, org(2, "DE"), org(2, "DE"), org(3, "UA"), org(4, "NO")]
    )
    assert codes(found) == ["duplicate_partner", "duplicate_partner"]


def test_no_restriction_admits_organisations_without_country():
    rules = ConsortiumRules(2, 3)
    assert check_consortium(rules, org(1, None), [org(2, None)]) == []
    assert codes(check_consortium(ConsortiumRules(2, 3, 2), org(1, None), [org(2, "FR")])) == [
        "too_few_countries"
    ]


def test_the_rules_and_solver_need_no_django():
    """The pure module runs (and is benchmarked) without Django set up."""
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[3])

    code = (
        "import sys, municipia.funding.consortium as c; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": root}, cwd=root)
