"""A consortium for a partner search: the search's own filters (countries or
groups, types, population range) narrow the partners, on top of the linked
call's rules, and never apply to the search's owner, who leads."""

import pytest

from conftest import make_user
from municipia.accounts.enums import Role
from municipia.directory.enums import OrganisationType
from municipia.directory.models import Expertise
from municipia.funding import consortium_builder
from municipia.funding.consortium.rules import (
    Candidate,
    ConsortiumRules,
    check_consortium,
    validate_rules,
)
from municipia.funding.consortium.solver import propose
from municipia.funding.models import PartnerSearch
from municipia.matching import selectors as matching_selectors
from municipia.taxonomy.models import Theme

from .conftest import grant, make_call, make_org

# -- the rules alone (no database) -------------------------------------------------------------

LEAD = Candidate(
    id=1, country="DE", kind="municipality", score=0.0, name="Bonn", population=300_000
)


def _candidate(pk, country, kind="municipality", population=50_000, score=0.5):
    return Candidate(
        id=pk, country=country, kind=kind, score=score, name=f"C{pk}", population=population
    )


def test_search_filters_bind_the_partners_not_the_lead():
    rules = ConsortiumRules(
        min_partners=3,
        max_partners=3,
        partner_countries=frozenset({"FR", "PL"}),
        partner_types=frozenset({"municipality"}),
        partner_population_min=10_000,
        partner_population_max=100_000,
    )
    assert check_consortium(rules, LEAD, [_candidate(2, "FR"), _candidate(3, "PL")]) == []
    found = check_consortium(
        rules,
        LEAD,
        [
            _candidate(2, "IT"),
            _candidate(3, "PL", kind="region"),
            _candidate(4, "FR", population=500_000),
            _candidate(5, "FR", population=None),
        ],
    )
    assert {(v.code, v.partner) for v in found} >= {
        ("country_not_sought", 2),
        ("type_not_sought", 3),
        ("population_not_sought", 4),
        ("population_unknown", 5),
    }
    assert not any(v.partner == LEAD.id for v in found)


def test_the_solver_keeps_to_what_the_search_seeks():
    rules = ConsortiumRules(
        min_partners=3, max_partners=3, min_countries=3, partner_countries=frozenset({"FR", "PL"})
    )
    pool = [
        _candidate(2, "IT", score=0.9),
        _candidate(3, "FR", score=0.4),
        _candidate(4, "PL", score=0.3),
        _candidate(5, "ES", score=0.8),
    ]
    proposal = propose(rules, LEAD, pool)
    assert {p.id for p in proposal.best.partners} == {3, 4}
    assert proposal.left_out == 2


def test_search_filters_that_contradict_the_call_are_refused():
    codes = {
        p.code
        for p in validate_rules(
            ConsortiumRules(
                min_partners=2,
                max_partners=4,
                min_countries=4,
                eligible_countries=frozenset({"FR", "DE", "IT", "PL"}),
                eligible_types=frozenset({"municipality"}),
                partner_countries=frozenset({"CH"}),
                partner_types=frozenset({"network"}),
                partner_population_min=10,
                partner_population_max=5,
            )
        )
    }
    assert codes == {
        "sought_countries_not_eligible",
        "sought_types_not_eligible",
        "population_range_reversed",
    }
    problems = validate_rules(
        ConsortiumRules(
            min_partners=4,
            max_partners=4,
            min_countries=4,
            partner_countries=frozenset({"FR", "PL"}),
        )
    )
    assert [p.code for p in problems] == ["too_few_sought_countries"]


# -- through the builder, on a real engine -----------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_engine():
    matching_selectors.forget_engine()
    yield
    matching_selectors.forget_engine()


@pytest.fixture
def places(db):
    """Bonn (the owner) and organisations working on waste in six countries, of
    several types and sizes."""
    waste = Theme.objects.get(code="waste-and-circular-economy")
    bonn = make_org("Bonn", "DE", population=330_000, working_languages=",de,en,")
    found = {"Bonn": bonn}
    for name, country, kind, population in [
        ("Lyon", "FR", OrganisationType.MUNICIPALITY, 520_000),
        ("Annecy", "FR", OrganisationType.MUNICIPALITY, 130_000),
        ("Riga", "LV", OrganisationType.MUNICIPALITY, 600_000),
        ("Gdańsk", "PL", OrganisationType.MUNICIPALITY, 470_000),
        ("Sopot", "PL", OrganisationType.MUNICIPALITY, 35_000),
        ("Pomerania", "PL", OrganisationType.REGION, 2_300_000),
        ("Torino", "IT", OrganisationType.MUNICIPALITY, 850_000),
        ("Skopje", "MK", OrganisationType.MUNICIPALITY, 530_000),
    ]:
        org = make_org(name, country, kind=kind, population=population, working_languages=",en,")
        offer = Expertise.objects.create(
            organisation=org,
            title="District heating",
            text="Renovating district heating networks and recovering waste heat.",
            language="en",
        )
        offer.themes.add(waste)
        found[name] = org
    return found


@pytest.fixture
def owner_editor(places):
    return grant(make_user("bonn@example.org"), Role.ORGANISATION_EDITOR, places["Bonn"])


def _search(owner, **fields):
    fields.setdefault("partners_sought", 2)
    return PartnerSearch.objects.create(
        owner=owner, title="Heating partners", purpose="District heating.", **fields
    )


def _names(built):
    return {m.organisation.name for m in built.members}


@pytest.mark.django_db
def test_a_search_linked_to_a_call_narrows_its_countries(places, owner_editor):
    call = make_call(min_partners=2, max_partners=6, eligible_groups=["eu", "candidates"])
    search = _search(places["Bonn"], call=call, countries=["PL", "LV"])
    built = consortium_builder.propose(actor=owner_editor, lead=places["Bonn"], search=search)
    assert built.problems == []
    assert built.size == 3  # the owner and the two partners sought, within the call's range
    assert {m.organisation.country for m in built.members} <= {"PL", "LV"}
    for alternative in built.alternatives:
        assert {m.organisation.country for m in alternative} <= {"PL", "LV"}


@pytest.mark.django_db
def test_a_search_linked_to_a_call_narrows_types_and_sizes(places, owner_editor):
    call = make_call(min_partners=2, max_partners=6, eligible_groups=["eu"])
    search = _search(
        places["Bonn"],
        call=call,
        partners_sought=1,
        kinds=[OrganisationType.MUNICIPALITY],
        country_groups=["eu"],
        countries=[],
        population_max=200_000,
    )
    built = consortium_builder.propose(actor=owner_editor, lead=places["Bonn"], search=search)
    assert built.problems == []
    assert _names(built) <= {"Annecy", "Sopot"} and len(built.members) == 1
    assert all(m.organisation.name in {"Annecy", "Sopot"} for m in built.pool)


@pytest.mark.django_db
def test_a_search_for_a_region_finds_the_region(places, owner_editor):
    search = _search(places["Bonn"], partners_sought=1, kinds=[OrganisationType.REGION])
    built = consortium_builder.propose(actor=owner_editor, lead=places["Bonn"], search=search)
    assert _names(built) == {"Pomerania"}


@pytest.mark.django_db
def test_the_owner_need_not_be_what_its_search_seeks(places, owner_editor):
    """Bonn (Germany) seeks partners in Poland: Bonn still leads."""
    search = _search(places["Bonn"], countries=["PL"], population_min=100_000)
    built = consortium_builder.propose(actor=owner_editor, lead=places["Bonn"], search=search)
    assert built.problems == []
    assert _names(built) == {"Gdańsk", "Pomerania"}


@pytest.mark.django_db
def test_a_hand_edited_consortium_is_checked_against_the_search(places, owner_editor):
    call = make_call(min_partners=2, max_partners=6, eligible_groups=["eu", "candidates"])
    search = _search(places["Bonn"], call=call, countries=["PL", "LV"], population_max=1_000_000)
    built = consortium_builder.check(
        actor=owner_editor,
        lead=places["Bonn"],
        partners=[places["Torino"], places["Pomerania"]],
        search=search,
    )
    assert "Torino is in Italy; the search seeks partners from Latvia, Poland." in built.problems
    assert any(
        p.startswith("Pomerania has 2,300,000 inhabitants; the search seeks 0 to 1,000,000.")
        for p in built.problems
    )
    ok = consortium_builder.check(
        actor=owner_editor,
        lead=places["Bonn"],
        partners=[places["Riga"], places["Sopot"]],
        search=search,
    )
    assert ok.problems == []


@pytest.mark.django_db
def test_a_search_that_the_call_cannot_allow_is_explained(places, owner_editor):
    call = make_call(min_partners=2, max_partners=6, eligible_groups=["eu"])
    search = _search(places["Bonn"], call=call, countries=["MK"])
    built = consortium_builder.propose(actor=owner_editor, lead=places["Bonn"], search=search)
    assert built.members == []
    assert built.problems == ["None of the countries the search seeks is eligible for the call."]


@pytest.mark.django_db
def test_a_search_outside_the_calls_range_keeps_the_calls_range(places, owner_editor):
    call = make_call(min_partners=4, max_partners=6, min_countries=3, eligible_groups=["eu"])
    search = _search(places["Bonn"], call=call, partners_sought=1)
    rules = consortium_builder.rules_for_search(search)
    assert (rules.min_partners, rules.max_partners) == (4, 6)
    built = consortium_builder.propose(actor=owner_editor, lead=places["Bonn"], search=search)
    assert built.problems == [] and built.size == 4


@pytest.mark.django_db
def test_api_consortium_of_a_search_keeps_to_its_filters(client, places, owner_editor):
    call = make_call(min_partners=2, max_partners=6, eligible_groups=["eu", "candidates"])
    search = _search(places["Bonn"], call=call, countries=["PL"], kinds=["municipality"])
    client.force_login(owner_editor)
    url = f"/api/funding/partner-searches/{search.pk}/consortium/"
    data = client.post(url, {"lead": "bonn"}, content_type="application/json").json()
    assert data["problems"] == []
    assert {p["organisation"]["slug"] for p in data["partners"]} == {"gdansk", "sopot"}
    checked = client.post(
        url, {"lead": "bonn", "partners": ["pomerania", "sopot"]}, content_type="application/json"
    ).json()
    assert checked["problems"] == ["Pomerania is a region; the search seeks: Municipality."]
