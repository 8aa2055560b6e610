"""The consortium builder page, service side and API: a proposal that meets every
rule with reasons, the unmet rule when none exists, hand edits checked again,
publishing a partner search from a consortium; permissions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import make_user
from municipia.accounts.enums import Role
from municipia.directory.models import Challenge, Expertise
from municipia.funding import consortium_builder
from municipia.funding.enums import InterestStatus
from municipia.funding.models import PartnerSearch
from municipia.matching import selectors as matching_selectors
from municipia.taxonomy.models import Theme

from .conftest import grant, make_call, make_org

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_engine():
    matching_selectors.forget_engine()
    yield
    matching_selectors.forget_engine()


@pytest.fixture
def network(db):
    """Bonn (the lead) and municipalities in five other countries working on waste,
    one of them outside the EU (Skopje)."""
    waste = Theme.objects.get(code="waste-and-circular-economy")
    lead = make_org("Bonn", "DE", population=1080000, working_languages=",de,en,")
    need = Challenge.objects.create(
        organisation=lead, title="District heating", text="Old heating network.", language="en"
    )
    need.themes.add(waste)
    places = {}
    for name, country in [
        ("Lyon", "FR"), ("Riga", "LV"), ("Gdańsk", "PL"), ("Torino", "IT"), ("Skopje", "MK"),
        ("Graz", "AT"),
    ]:  # fmt: skip
        org = make_org(name, country, population=400000, working_languages=",en,")
        offer = Expertise.objects.create(
            organisation=org,
            title="District heating",
            text="Renovating district heating networks and recovering waste heat.",
            language="en",
        )
        offer.themes.add(waste)
        places[name] = org
    return lead, places


@pytest.fixture
def lead_editor(network):
    return grant(make_user("bonn@example.org"), Role.ORGANISATION_EDITOR, network[0])


def test_proposal_meets_every_rule_with_reasons(network, lead_editor):
    lead, _places = network
    call = make_call(min_partners=4, max_partners=4, min_countries=4, eligible_groups=["eu"])
    built = consortium_builder.propose(actor=lead_editor, lead=lead, call=call)
    assert built.problems == []
    assert built.size == 4 and len(built.countries) == 4
    assert "MK" not in built.countries  # Skopje is not in the EU
    assert built.optimal
    for member in built.members:
        assert any(r["sentence"] for r in member.reasons)
    assert built.alternatives and all(
        {m.organisation.pk for m in alt} != {m.organisation.pk for m in built.members}
        for alt in built.alternatives
    )


def test_infeasible_call_says_which_rule_and_why(network, lead_editor):
    lead, _places = network
    call = make_call(
        min_partners=4, max_partners=6, min_countries=4, eligible_countries=["DE", "FR", "LV", "EE"]
    )
    built = consortium_builder.propose(actor=lead_editor, lead=lead, call=call)
    assert built.members == []
    assert any("Only 3 eligible countries among the candidates" in p for p in built.problems)


def test_hand_edited_consortium_is_checked_again(network, lead_editor):
    lead, places = network
    call = make_call(
        min_partners=4, max_partners=4, min_countries=4, eligible_groups=["eu", "candidates"],
        min_from_group="candidates", min_from_group_count=1,
    )  # fmt: skip
    built = consortium_builder.check(
        actor=lead_editor, lead=lead, partners=[places["Lyon"], places["Riga"]], call=call
    )
    assert any("at least 4 are required" in p for p in built.problems)
    assert any("EU candidate" in p for p in built.problems)
    ok = consortium_builder.check(
        actor=lead_editor,
        lead=lead,
        partners=[places["Lyon"], places["Riga"], places["Skopje"]],
        call=call,
    )
    assert ok.problems == []
    assert all(m.score > 0 for m in ok.members)


def test_only_editors_of_the_lead_build_consortia(network, member_user, staff_user):
    lead, _places = network
    call = make_call(min_partners=2, min_countries=2)
    with pytest.raises(PermissionDenied):
        consortium_builder.propose(actor=member_user, lead=lead, call=call)
    assert consortium_builder.propose(actor=staff_user, lead=lead, call=call).members


def test_page_proposes_edits_and_publishes_a_search(client, network, lead_editor):
    lead, places = network
    call = make_call(
        title="Networks of towns", min_partners=4, max_partners=4, min_countries=4,
        eligible_groups=["eu"],
    )  # fmt: skip
    client.force_login(lead_editor)
    url = reverse("funding:consortium", kwargs={"pk": call.pk})
    page = client.get(url).content.decode()
    assert "every rule met" in page and page.count('class="consortium-member"') == 3
    removed = client.get(url, {"edited": 1, "member": [places["Lyon"].pk], "lead": lead.slug})
    assert "at least 4 are required" in removed.content.decode()
    members = [places[n].pk for n in ("Lyon", "Riga", "Torino")]
    response = client.post(
        reverse("funding:consortium_publish", kwargs={"pk": call.pk}),
        {"lead": lead.slug, "member": members, "purpose": "Heat plans together."},
    )
    search = PartnerSearch.objects.get()
    assert response.status_code == 302 and response["Location"] == search.get_absolute_url()
    assert search.call == call and search.owner == lead
    invited = search.interests.filter(status=InterestStatus.INVITED)
    assert sorted(invited.values_list("organisation_id", flat=True)) == sorted(members)


def test_page_is_forbidden_to_those_who_do_not_edit_an_organisation(client, plain_user):
    call = make_call()
    client.force_login(plain_user)
    assert client.get(reverse("funding:consortium", kwargs={"pk": call.pk})).status_code == 403


def test_api_proposal_and_check(client, network, lead_editor):
    lead, places = network
    call = make_call(min_partners=3, max_partners=3, min_countries=3, eligible_groups=["eu"])
    client.force_login(lead_editor)
    url = f"/api/funding/calls/{call.pk}/consortium/"
    data = client.post(url, {"lead": lead.slug}, content_type="application/json").json()
    assert data["size"] == 3 and len(data["countries"]) == 3 and data["problems"] == []
    assert all(p["reasons"] for p in data["partners"])
    data = client.post(
        url,
        {"lead": lead.slug, "partners": [places["Skopje"].slug]},
        content_type="application/json",
    ).json()
    assert any("not an eligible country" in p for p in data["problems"])
    response = client.post(url, {"lead": "nobody"}, content_type="application/json")
    assert response.status_code == 404
