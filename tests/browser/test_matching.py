"""The partnership swipe deck with the keyboard only: pass one candidate, like one whose
editors already liked back, hear the match announced, open the matches, write to the new
partner, and the partner's editor reads it. axe-core checks every page and htmx update."""

import re

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from municipia.accounts import services as account_services
from municipia.accounts.enums import Role
from municipia.accounts.models import User
from municipia.directory import services as directory_services
from municipia.matching import selectors
from municipia.matching import services as matching_services

from .keyboard import focus_by_keyboard
from .taxonomy_data import ensure_taxonomy

pytestmark = pytest.mark.browser


def make_editor(email: str, organisation):
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email=email, password="x-Secret-42")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    account_services.grant_role(
        actor=None, user=user, role=Role.ORGANISATION_EDITOR, organisation=organisation
    )
    return user


@pytest.fixture
def places(transactional_db):
    ensure_taxonomy()
    selectors.forget_engine()
    tartu = directory_services.create_organisation(
        actor=None, name="Tartu", kind="municipality", country="EE", population=97_000,
        latitude=58.38, longitude=26.72,
    )  # fmt: skip
    others = [
        directory_services.create_organisation(
            actor=None,
            name=name,
            kind="municipality",
            country=country,
            population=population,
            latitude=latitude,
            longitude=longitude,
        )
        for name, country, population, latitude, longitude in [
            ("Riga", "LV", 605_000, 56.95, 24.11),
            ("Espoo", "FI", 300_000, 60.2, 24.65),
            ("Lyon", "FR", 520_000, 45.76, 4.83),
            ("Gdańsk", "PL", 486_000, 54.35, 18.65),
        ]
    ]
    directory_services.add_challenge(
        actor=None, organisation=tartu, title="District heating",
        text="Our district heating network is old and loses heat.", language="en",
        themes=["waste-and-circular-economy"],
    )  # fmt: skip
    directory_services.add_expertise(
        actor=None, organisation=others[0], title="District heating",
        text="Renovating district heating networks and waste heat recovery.", language="en",
        themes=["waste-and-circular-economy"],
    )  # fmt: skip
    yield tartu, others
    selectors.forget_engine()


def test_keyboard_swipes_to_a_match_and_a_first_message(page, live_server, log_in, places):
    tartu, _others = places
    editor = make_editor("tartu@example.org", tartu)
    deck = selectors.suggestions_for_organisation(
        organisation=tartu, viewer=editor, limit=5, exclude_swiped=True
    )
    # The first card is passed; the second has already liked Tartu.
    first, liker = deck[0].organisation, deck[1].organisation
    liker_editor = make_editor("partner@example.org", liker)
    matching_services.swipe(
        actor=liker_editor, organisation=liker, candidate=tartu, decision="like"
    )

    log_in(editor)
    page.goto(f"/en/matching/{tartu.slug}/deck/")
    card = page.locator("#deck-card")
    expect(card.get_by_role("heading", level=2)).to_have_text(first.name)
    page.keyboard.press("p")
    expect(page.locator("#deck-status")).to_have_text(f"You passed on {first.name}.")
    expect(card.get_by_role("heading", level=2)).to_have_text(liker.name)
    # The new card's heading has the focus, so the keyboard keeps working.
    expect(card.get_by_role("link", name=liker.name)).to_be_focused()

    focus_by_keyboard(page, "Like")
    page.keyboard.press("Enter")
    expect(page.locator("#deck-status")).to_contain_text(
        f"It's a match: {liker.name} likes you too!"
    )
    focus_by_keyboard(page, "See your matches", key="Shift+Tab")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/en/matching/{tartu.slug}/matches/$"))
    matches = page.locator(".matches")
    expect(matches.get_by_role("link", name=liker.name, exact=True)).to_be_visible()
    swipes = {s.candidate_id: s.decision for s in tartu.swipes.all()}
    assert swipes == {first.pk: "pass", liker.pk: "like"}

    try:
        reverse("partnerships:conversation", kwargs={"pk": 1})
    except NoReverseMatch:
        return  # matches without the partnerships app have no conversation to follow
    focus_by_keyboard(page, f"Write to {liker.name}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(liker.name)
    page.get_by_label("Your message").focus()
    page.keyboard.type("Hello from Tartu: shall we talk about district heating?")
    focus_by_keyboard(page, "Send")
    page.keyboard.press("Enter")
    expect(page.locator(".message-list")).to_contain_text("shall we talk about district heating?")
    page.wait_for_load_state()  # the next use of the page lets axe check the loaded conversation
    # Without the "#latest" fragment, so that going there is a real page load.
    conversation_url = page.url.split("#")[0]

    page.context.clear_cookies()
    log_in(liker_editor)
    page.goto(conversation_url)
    message = page.locator(".message-list li").last
    expect(message).to_contain_text("Tartu")
    expect(message).to_contain_text("Hello from Tartu: shall we talk about district heating?")
