"""Switching the interface language with the header's language switcher, by keyboard."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_switching_to_french_shows_french_pages(page, live_server):
    page.goto("/en/")
    english_heading = page.get_by_role("heading", level=1).inner_text()
    switcher = page.locator("header").get_by_label("Language")
    expect(switcher).to_have_value("en")

    # Reach the switcher with Tab from the top of the page, as a keyboard user would.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "header-language":
            break
    expect(switcher).to_be_focused()
    page.keyboard.type("Fr")  # a closed <select> picks the option whose name starts so
    expect(switcher).to_have_value("fr")
    page.keyboard.press("Tab")
    change = page.locator("header").get_by_role("button", name="Change")
    expect(change).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    # Located by id: the label itself is translated.
    expect(page.locator("#header-language")).to_have_value("fr")
    expect(page.locator("#header-language option:checked")).to_have_text("Français")

    # The header's links now lead to French pages; allauth ships its own French strings.
    page.locator('header a[href="/fr/accounts/login/"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/fr/")

    # Needs municipia's own French catalogue (compiled by `make messages`): the home page's
    # heading is translated, not left in English.
    expect(
        page.get_by_role("heading", level=1),
        "Home page heading still in English: is the French catalogue compiled (make messages)?",
    ).not_to_have_text(english_heading)
