"""The directory in the browser: finding Köln by typing "koln", reading its profile, and an
editor changing a challenge; axe-core checks every page and every htmx update on the way."""

import re

import pytest
from playwright.sync_api import expect

from municipia.accounts import services as account_services
from municipia.accounts.enums import Role
from municipia.accounts.models import User
from municipia.directory import services
from municipia.directory.models import Challenge

from .taxonomy_data import ensure_taxonomy

pytestmark = pytest.mark.browser


@pytest.fixture
def koln(transactional_db):
    ensure_taxonomy()
    association = services.create_organisation(
        actor=None,
        name="Rat der Gemeinden und Regionen Europas – Deutsche Sektion",
        kind="national_association",
        country="DE",
    )
    koln = services.create_organisation(
        actor=None,
        name="Köln",
        kind="municipality",
        country="DE",
        population=1_024_621,
        region_code="DE.07",
        region_name="Nordrhein-Westfalen",
        latitude=50.93333,
        longitude=6.95,
        member_of=[association],
    )
    services.set_other_names(actor=None, organisation=koln, names=[("en", "Cologne")])
    for name, population in [("Kolín", 31_000), ("Bonn", 330_000), ("Koblenz", 112_000)]:
        services.create_organisation(
            actor=None, name=name, kind="municipality", country="DE", population=population
        )
    services.add_challenge(
        actor=None,
        organisation=koln,
        title="Digitale Bürgerschaft",
        text="Junge Menschen für die lokale Demokratie gewinnen.",
        language="de",
        themes=["digital", "youth-engagement"],
        sdgs=[16],
    )
    return koln


@pytest.fixture
def koln_editor(koln):
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email="editor@example.org", password="x-Secret-42")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    account_services.grant_role(
        actor=None, user=user, role=Role.ORGANISATION_EDITOR, organisation=koln
    )
    return user


def test_find_koln_by_typing_koln(page, live_server, koln):
    page.goto("/en/")
    page.locator("header").get_by_role("link", name="Directory").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Directory of local and regional governments"
    )
    search = page.get_by_role("searchbox", name="Name")
    search.press_sequentially("koln", delay=40)
    # htmx updates the results as one types, and the address follows.
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Köln")).to_be_visible()
    expect(results.get_by_role("link", name="Bonn")).to_have_count(0)
    expect(page.locator("#result-count")).to_have_text("1 organisation found")
    expect(page).to_have_url(re.compile(r"/en/directory/\?q=koln"))

    results.get_by_role("link", name="Köln").click()
    expect(page).to_have_url(f"{live_server.url}/en/directory/{koln.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Köln")
    expect(page.get_by_text("Nordrhein-Westfalen").first).to_be_visible()
    challenge = page.locator("article[lang=de]")
    expect(challenge.get_by_role("heading", name="Digitale Bürgerschaft")).to_be_visible()
    # Visitors see no editing links.
    expect(page.get_by_role("link", name="Edit the profile")).to_have_count(0)


def test_search_without_javascript_filters(page, live_server, koln):
    page.goto("/en/directory/?q=cologne&country=DE")
    expect(page.locator("#results").get_by_role("link", name="Köln")).to_be_visible()
    page.goto("/en/directory/?q=ko&sort=name")
    links = page.locator("#results tbody th a")
    expect(links).to_have_text(["Koblenz", "Kolín", "Köln"])


def test_editor_edits_a_challenge(page, live_server, log_in, koln, koln_editor):
    log_in(koln_editor)
    page.goto(f"/en/directory/{koln.slug}/")
    page.get_by_role("link", name="Edit Digitale Bürgerschaft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the challenge")
    page.get_by_label("Title").fill("Digitale Bürgerschaft für alle Generationen")
    page.get_by_label("Description").fill(
        "Schulen, Jugendräte und Stadtteiltreffs <b>verbinden</b>."
    )
    page.get_by_role("checkbox", name="Gender Equality", exact=True).check()
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(rf"/en/directory/{koln.slug}/#challenge$"))
    expect(page.get_by_text("The challenge was saved.")).to_be_visible()
    heading = page.get_by_role("heading", name="Digitale Bürgerschaft für alle Generationen")
    expect(heading).to_be_visible()
    # What the editor typed as HTML is shown as text.
    expect(page.get_by_text("<b>verbinden</b>", exact=False)).to_be_visible()
    challenge = Challenge.objects.get(organisation=koln)
    assert challenge.title == "Digitale Bürgerschaft für alle Generationen"
    assert sorted(challenge.themes.values_list("code", flat=True)) == [
        "digital",
        "gender-equality",
        "youth-engagement",
    ]


def test_editor_sees_field_errors(page, live_server, log_in, koln, koln_editor):
    log_in(koln_editor)
    page.goto(f"/en/directory/{koln.slug}/challenges/add/")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    page.goto(f"/en/directory/{koln.slug}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the profile of Köln")
