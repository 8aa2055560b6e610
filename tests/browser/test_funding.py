"""An officer opens a funding call, asks for a consortium, gets four partners (lead
included) from four countries with reasons, and publishes a partner search from it
that invites them. axe-core checks every page on the way."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from municipia.directory import services as directory_services
from municipia.funding import services as funding_services
from municipia.funding.models import PartnerSearch
from municipia.matching import selectors

from .taxonomy_data import ensure_taxonomy
from .test_matching import make_editor

pytestmark = pytest.mark.browser


@pytest.fixture
def network(transactional_db):
    ensure_taxonomy()
    selectors.forget_engine()
    lead = directory_services.create_organisation(
        actor=None, name="Tartu", kind="municipality", country="EE", population=97_000,
        latitude=58.38, longitude=26.72,
    )  # fmt: skip
    directory_services.add_challenge(
        actor=None, organisation=lead, title="District heating",
        text="Our district heating network is old and loses heat.", language="en",
        themes=["waste-and-circular-economy"],
    )  # fmt: skip
    for name, country, population in [
        ("Riga", "LV", 605_000), ("Espoo", "FI", 300_000), ("Lyon", "FR", 520_000),
        ("Gdańsk", "PL", 486_000), ("Bergen", "NO", 285_000),
    ]:  # fmt: skip
        partner = directory_services.create_organisation(
            actor=None, name=name, kind="municipality", country=country, population=population
        )
        directory_services.add_expertise(
            actor=None, organisation=partner, title="District heating",
            text="Renovating district heating networks and waste heat recovery.",
            language="en", themes=["waste-and-circular-economy"],
        )  # fmt: skip
    call = funding_services.publish_call(
        actor=None,
        funder="European Commission",
        programme="CERV – Networks of towns (browser test)",
        title="Networks of towns on district heating",
        summary="Generated test call.",
        deadline=timezone.now() + datetime.timedelta(days=40),
        status="open",
        eligible_groups=["eu"],
        eligible_types=["municipality"],
        min_partners=4,
        max_partners=4,
        min_countries=4,
        min_from_group="eu",
        min_from_group_count=2,
        themes=["waste-and-circular-economy"],
    )
    yield lead, call
    selectors.forget_engine()


def test_officer_builds_a_consortium_and_publishes_a_partner_search(page, log_in, network):
    lead, call = network
    officer = make_editor("officer@tartu.example.org", lead)
    log_in(officer)

    page.goto("/en/funding/")
    page.get_by_role("link", name=call.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(call.title)
    expect(page.get_by_text("may apply and lead.")).to_be_visible()

    page.get_by_role("link", name="Build a consortium").click()
    expect(page).to_have_url(re.compile(rf"/en/funding/calls/{call.pk}/consortium/"))
    expect(page.get_by_role("status")).to_contain_text("4 partners from 4 countries")
    members = page.locator("tr.consortium-member")
    expect(members).to_have_count(3)
    countries = {members.nth(i).locator("td").first.inner_text() for i in range(3)}
    assert "Norway" not in countries and "Estonia" not in countries and len(countries) == 3
    for i in range(3):
        expect(members.nth(i).locator(".reasons li").first).to_be_visible()

    page.get_by_label("What you propose to do together").fill("Heat plans for old networks.")
    page.get_by_role("button", name="Publish the partner search").click()
    expect(page).to_have_url(re.compile(r"/en/funding/partner-searches/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Consortium for {call.title}")
    expect(page.get_by_role("cell", name="Invited")).to_have_count(3)

    search = PartnerSearch.objects.get()
    assert search.call_id == call.pk and search.owner_id == lead.pk
    assert search.interests.filter(status="invited").count() == 3
