"""Suggesting themes from a challenge's text, with the keyboard only: an editor types a French
challenge about waste sorting, has its themes suggested (nothing saved yet), then saves it.
axe-core checks every page (conftest), the form showing the suggestion included."""

import re

import pytest
from playwright.sync_api import expect

from municipia.directory.models import Challenge

from .keyboard import focus_button, tab_to
from .test_directory import koln, koln_editor  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

TITLE = "Tri sélectif des déchets ménagers"
TEXT = (
    "Nous voulons améliorer le tri des déchets dans tous les quartiers, développer le "
    "recyclage des emballages et réduire les ordures envoyées en décharge."
)


def test_editor_has_themes_suggested_then_saves(page, live_server, log_in, koln, koln_editor):  # noqa: F811
    log_in(koln_editor)
    page.goto(f"/en/directory/{koln.slug}/")
    focus_button(page, "Add a challenge")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/en/directory/{koln.slug}/challenges/add/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a challenge")

    form = page.locator("main form")
    tab_to(page, form.get_by_label("Title"))
    page.keyboard.type(TITLE)
    page.keyboard.press("Tab")
    page.keyboard.type(TEXT)
    page.keyboard.press("Tab")
    language = form.get_by_label("Language")
    expect(language).to_be_focused()
    page.keyboard.type("French")  # a closed <select> picks the option whose name starts so
    expect(language).to_have_value("fr")

    waste = page.get_by_role("checkbox", name="Waste and Circular Economy", exact=True)
    expect(waste).not_to_be_checked()
    focus_button(page, "Suggest themes from the text")
    page.keyboard.press("Space")

    # The same form comes back with the suggestion checked and announced; nothing is saved.
    status = page.get_by_role("status")
    expect(status).to_contain_text("Themes suggested from your text are now checked as well")
    expect(status.get_by_role("listitem")).to_contain_text(["Waste and Circular Economy"])
    expect(waste).to_be_checked()
    expect(form.get_by_label("Title")).to_have_value(TITLE)
    expect(form.get_by_label("Description")).to_have_value(TEXT)
    expect(language).to_have_value("fr")
    assert not Challenge.objects.filter(title=TITLE).exists()

    # From the top of the reloaded page, Shift+Tab goes back from the end to Save.
    focus_button(page, "Save", key="Shift+Tab")
    # axe checked the empty form and, again, the form showing the suggestion.
    add_url = f"{live_server.url}/en/directory/{koln.slug}/challenges/add/"
    assert page._axe_checked_urls.count(add_url) == 2
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/en/directory/{koln.slug}/#challenge$"))
    expect(page.get_by_text("The challenge was saved.")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    challenge = Challenge.objects.get(organisation=koln, title=TITLE)
    assert challenge.text == TEXT
    assert challenge.language == "fr"
    assert "waste-and-circular-economy" in challenge.themes.values_list("code", flat=True)
