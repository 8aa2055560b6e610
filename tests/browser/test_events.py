"""A participant registers for a retreat like the CEMR one in the seeds, picks sessions with the
keyboard, is warned of a clash, cannot see the principals-only reception's link, and downloads
the agenda; the organiser approves a pending registration and exports the list. axe-core checks
every page state."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from municipia.accounts import services as account_services
from municipia.accounts.enums import Role
from municipia.accounts.models import User
from municipia.directory.models import Organisation
from municipia.events import services
from municipia.events.enums import EventKind, RegistrationStatus, SessionAudience, SessionKind
from municipia.events.models import Event, Registration

from .keyboard import focus_button

pytestmark = pytest.mark.browser

MADRID = ZoneInfo("Europe/Madrid")


def make_user(email: str, **fields) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email=email, password="x-Secret-42", **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def retreat(transactional_db):
    """A generated retreat shaped like the seed's CEMR Strategic Retreat (Barcelona)."""
    organiser = make_user("organiser@example.org")
    account_services.grant_role(actor=None, user=organiser, role=Role.EVENT_ORGANISER)
    cemr = Organisation.objects.create(name="CEMR", slug="cemr", kind="network", country="BE")
    koln = Organisation.objects.create(name="Köln", slug="koln", kind="municipality", country="DE")
    first = timezone.localdate() + datetime.timedelta(days=30)

    def at(day, hour, minute=0):
        d = first + datetime.timedelta(days=day)
        return datetime.datetime(d.year, d.month, d.day, hour, minute, tzinfo=MADRID)

    event = services.create_event(
        actor=organiser,
        organisers=[cemr],
        slug="strategic-retreat",
        title="Strategic Retreat",
        kind=EventKind.RETREAT,
        venue_name="Hotel Barcelona Princess",
        city="Barcelona",
        country="ES",
        time_zone="Europe/Madrid",
        starts_on=first,
        ends_on=first + datetime.timedelta(days=2),
        languages=["en", "fr"],
        is_published=True,
        capacity=50,
        registration_fields=["position", "organisation", "consent"],
    )
    room = services.save_room(actor=organiser, event=event, name="Sala Diagonal", capacity=80)
    for title, start, end, extra in [
        ("Opening plenary", at(1, 9, 30), at(1, 11), {"room": room}),
        ("Workshop: Impact Communities", at(1, 10, 30), at(1, 12), {"place_name": "Sala Mar"}),
        (
            "Reception at the City Hall",
            at(1, 19),
            at(1, 21),
            {
                "place_name": "Ajuntament de Barcelona",
                "place_tbc": True,
                "time_tbc": True,
                "kind": SessionKind.RECEPTION,
                "audience": SessionAudience.PRINCIPALS,
                "online_url": "https://meet.example.org/principals-only",
            },
        ),
    ]:
        services.save_session(
            actor=organiser,
            event=event,
            title=title,
            starts_at=start,
            ends_at=end,
            **{"kind": SessionKind.PLENARY, **extra},
        )
    return event, organiser, koln


def test_register_pick_sessions_clash_and_organiser_approves(page, log_in, retreat):
    event, organiser, koln = retreat
    participant = make_user("officer@koeln.example", display_name="Olga Officer")
    account_services.grant_role(actor=None, user=participant, role=Role.MEMBER, organisation=koln)

    log_in(participant)
    page.goto("/en/events/")
    page.get_by_role("link", name="Strategic Retreat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategic Retreat")
    page.get_by_role("link", name="Register", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Register")
    page.get_by_label(re.compile(r"^Name:?$")).fill("Olga Officer")
    page.get_by_label(re.compile(r"^Organisation:?$")).select_option(label="Köln")
    page.get_by_label(re.compile(r"^Position:?$")).select_option("officer")
    page.get_by_label(re.compile("I agree")).check()
    page.get_by_role("button", name="Register").press("Enter")

    expect(page.locator(".messages")).to_contain_text("You are registered.")
    expect(page.locator(".registration-box .status")).to_have_text("Confirmed")

    page.get_by_role("link", name="Programme by day").click()
    expect(page.get_by_text("place to be confirmed")).to_be_visible()
    # The principals-only reception offers no button and never its link.
    reception = page.locator(".session", has_text="Reception at the City Hall")
    expect(reception.get_by_role("button")).to_have_count(0)
    assert "principals-only" not in page.content()

    page.locator("body").focus()
    focus_button(page, "Add to my agenda “Opening plenary”")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("“Opening plenary” is in your agenda.")
    page.locator("body").focus()
    focus_button(page, "Add to my agenda “Workshop: Impact Communities”")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(
        "“Workshop: Impact Communities” clashes with “Opening plenary” in your agenda."
    )

    page.get_by_role("link", name="My agenda").click()
    expect(page.get_by_role("alert")).to_contain_text("Clashes in the agenda")
    feed_url = page.get_by_label("Private calendar address").input_value()
    calendar = page.request.get(feed_url)
    assert calendar.ok
    text = calendar.text()
    assert text.startswith("BEGIN:VCALENDAR")
    assert "Opening plenary" in text
    assert "principals-only" not in text

    page.get_by_role("link", name="Programme by day").click()
    page.get_by_role("link", name="Reception at the City Hall").click()
    expect(page.get_by_text("You cannot join this session.")).to_be_visible()
    assert "principals-only" not in page.content()

    # A second participant's registration waits for approval.
    Event.objects.filter(pk=event.pk).update(requires_approval=True)
    event.refresh_from_db()
    second = make_user("mayor@example.org")
    pending = services.register(
        actor=second,
        event=event,
        participant_name="Maria Mayor",
        organisation=koln,
        answers={"position": "mayor_or_president", "consent": True},
    )
    assert pending.status == RegistrationStatus.PENDING

    page.context.clear_cookies()
    log_in(organiser)
    page.goto(f"/en/events/{event.slug}/participants/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Participants")
    page.get_by_label(re.compile(r"^Status:?$")).select_option("pending")
    expect(page.locator("#participant-results")).to_contain_text("Maria Mayor")
    expect(page.locator("#participant-results")).not_to_contain_text("Olga Officer")
    page.get_by_role("button", name="Approve Maria Mayor").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Maria Mayor is approved.")
    assert Registration.objects.get(pk=pending.pk).status == RegistrationStatus.CONFIRMED

    page.goto(f"/en/events/{event.slug}/participants/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    path = download_info.value.path()
    content = Path(path).read_text(encoding="utf-8-sig")
    assert "Olga Officer" in content
    assert "Maria Mayor" in content


def test_programme_views_and_organiser_forms_are_accessible(page, log_in, retreat):
    event, organiser, _koln = retreat
    page.goto(f"/en/events/{event.slug}/programme/timetable/")
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="Sala Diagonal")).to_be_visible()
    expect(table.get_by_role("rowheader").first).to_have_text("09:30")

    page.goto(f"/en/events/{event.slug}/programme/sessions/")
    page.get_by_label(re.compile(r"^Kind of session:?$")).select_option("reception")
    expect(page.locator("#session-results")).to_contain_text("1 session of 3")
    expect(page).to_have_url(re.compile(r"kind=reception"))

    # The viewer's own zone: the times move, the page says so.
    page.goto(f"/en/events/{event.slug}/programme/?tz=America/New_York")
    expect(page.locator(".tz-note").first).to_contain_text("America/New_York")
    expect(page.get_by_text("03:30").first).to_be_visible()

    log_in(organiser)
    page.goto(f"/en/events/{event.slug}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the event")
    page.goto(f"/en/events/{event.slug}/sessions/new/")
    page.get_by_label(re.compile(r"^Title:?$")).fill("Late-night session")
    day = event.starts_on.isoformat()
    page.get_by_label(re.compile(r"^Starts:?$")).fill(f"{day}T22:00")
    page.get_by_label(re.compile(r"^Ends:?$")).fill(f"{day}T21:00")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_ends_at_error")).to_contain_text("must end after it starts")
    page.goto(f"/en/events/{event.slug}/programme/setup/")
    expect(page.get_by_role("heading", name="Themes of the days")).to_be_visible()


def test_a_phone_wide_page_never_scrolls_sideways(page, log_in, retreat):
    """At 375 px the participants' table scrolls in a region of its own (which
    the keyboard can reach), and a long address someone typed wraps."""
    event, organiser, koln = retreat
    long_address = "https://www.example.org/" + "a-very-long-path-segment" * 8
    services.register(
        actor=make_user("olga@example.org"),
        event=event,
        participant_name="Olga Officer",
        organisation=koln,
        answers={"position": "officer", "consent": True, "dietary_needs": long_address},
    )
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(organiser)
    for path in (f"/en/events/{event.slug}/", f"/en/events/{event.slug}/participants/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    region = page.locator(".table-scroll").first
    expect(region).to_have_role("region")
    expect(region).to_have_accessible_name(re.compile(r"\w"))
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
    assert page.evaluate(
        "document.querySelector('.table-scroll').scrollWidth"
        " > document.querySelector('.table-scroll').clientWidth"
    )


def test_cancelling_a_registration_asks_first(page, log_in, retreat):
    event, _organiser, koln = retreat
    olga = make_user("olga@example.org")
    registration = services.register(
        actor=olga,
        event=event,
        participant_name="Olga Officer",
        organisation=koln,
        answers={"position": "officer", "consent": True},
    )
    log_in(olga)
    page.goto(f"/en/events/{event.slug}/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_role("button", name="Cancel my registration")).to_be_visible()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert questions == [
        "Cancel your registration for Strategic Retreat? Your place and your seats in "
        "sessions go to the next people waiting."
    ]

    page.once("dialog", lambda dialog: answer(dialog, True))
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.locator(".messages")).to_be_visible()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
