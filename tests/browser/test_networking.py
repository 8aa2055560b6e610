"""Two participants of a seminar find each other through a recommendation of the matching
engine, one asks for a meeting and the other accepts it; the organiser runs the scheduler and
both see the meeting with its table among their meetings. axe-core checks every page."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from municipia.accounts import services as account_services
from municipia.accounts.enums import Role
from municipia.accounts.models import User
from municipia.directory import services as directory_services
from municipia.events.enums import EventKind, RegistrationStatus, SessionKind
from municipia.events.models import Event, Registration, Session
from municipia.matching import selectors as matching_selectors
from municipia.networking import services
from municipia.networking.models import Meeting

from .test_directory import ensure_taxonomy

pytestmark = pytest.mark.browser

BRUSSELS = ZoneInfo("Europe/Brussels")


def make_user(email: str, **fields) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email=email, password="x-Secret-42", **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def seminar(transactional_db):
    """Tartu needs district heating, Riga offers it, Lyon works on night markets; one
    participant of each at a seminar with an hour of networking and two tables."""
    ensure_taxonomy()
    matching_selectors.forget_engine()
    organiser = make_user("organiser@example.org")
    account_services.grant_role(actor=None, user=organiser, role=Role.EVENT_ORGANISER)
    places = {}
    for name, country, population, latitude, longitude in [
        ("Tartu", "EE", 97_000, 58.38, 26.72),
        ("Riga", "LV", 605_000, 56.95, 24.11),
        ("Lyon", "FR", 520_000, 45.76, 4.83),
    ]:
        places[name] = directory_services.create_organisation(
            actor=None, name=name, kind="municipality", country=country,
            population=population, latitude=latitude, longitude=longitude,
        )  # fmt: skip
    directory_services.add_challenge(
        actor=None, organisation=places["Tartu"], title="District heating",
        text="Our district heating network is old and loses heat.", language="en",
        themes=["waste-and-circular-economy"],
    )  # fmt: skip
    directory_services.add_expertise(
        actor=None, organisation=places["Riga"], title="District heating",
        text="Renovating district heating networks and waste heat recovery.", language="en",
        themes=["waste-and-circular-economy"],
    )  # fmt: skip
    event = Event.objects.create(
        slug="energy-seminar",
        title="Seminar on energy poverty",
        kind=EventKind.SEMINAR,
        time_zone="Europe/Brussels",
        starts_on=datetime.date(2027, 3, 10),
        ends_on=datetime.date(2027, 3, 10),
        is_published=True,
        created_by=organiser,
    )
    Session.objects.create(
        event=event,
        title="Networking centre",
        kind=SessionKind.NETWORKING,
        starts_at=datetime.datetime(2027, 3, 10, 14, tzinfo=BRUSSELS),
        ends_at=datetime.datetime(2027, 3, 10, 15, tzinfo=BRUSSELS),
    )
    services.save_grid(actor=organiser, event=event, slot_minutes=20, break_minutes=5)
    for table in ("Table 1 (Hall B)", "Table 2 (Hall B)"):
        services.save_meeting_point(actor=organiser, event=event, name=table)
    services.build_slots(actor=organiser, event=event)
    people = {}
    for person, email, place in [
        ("Kadri Tamm", "kadri@tartu.example", "Tartu"),
        ("Ilze Ozola", "ilze@riga.example", "Riga"),
        ("Chloé Martin", "chloe@lyon.example", "Lyon"),
    ]:
        user = make_user(email, display_name=person)
        registration = Registration.objects.create(
            event=event,
            user=user,
            participant_name=person,
            participant_email=email,
            organisation=places[place],
            status=RegistrationStatus.CONFIRMED,
        )
        services.opt_in(actor=user, registration=registration, topics=f"{place} and energy")
        people[place] = registration
    yield event, organiser, people
    matching_selectors.forget_engine()


def test_recommendation_request_acceptance_and_schedule(page, log_in, seminar):
    event, organiser, people = seminar
    kadri, ilze = people["Tartu"], people["Riga"]

    log_in(kadri.user)
    page.goto(f"/en/networking/{event.slug}/recommendations/")
    first = page.locator(".person-card").first
    expect(first.get_by_role("heading", level=2)).to_have_text("Ilze Ozola")
    expect(first.locator(".reasons li").first).to_be_visible()
    first.get_by_role("link", name=re.compile("Ask for a meeting")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ask Ilze Ozola for a meeting")
    page.get_by_label("Message").fill("Could we talk about renovating district heating?")
    page.get_by_label("Priority").select_option("2")
    page.get_by_role("button", name="Send the request").click()
    expect(page).to_have_url(re.compile(rf"/en/networking/{event.slug}/requests/sent/$"))
    expect(page.locator(".request-item")).to_contain_text("To Ilze Ozola")

    page.context.clear_cookies()
    log_in(ilze.user)
    page.goto(f"/en/networking/{event.slug}/requests/")
    request_item = page.locator(".request-item").first
    expect(request_item).to_contain_text("renovating district heating")
    request_item.get_by_label("Accept").check()
    request_item.get_by_label("Message (optional)").fill("With pleasure.")
    request_item.get_by_role("button", name="Send the answer").click()
    expect(page.locator(".request-item").first).to_contain_text("Accepted")

    page.context.clear_cookies()
    log_in(organiser)
    page.goto(f"/en/networking/{event.slug}/manage/")
    page.get_by_role("button", name="Run the scheduler").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Scheduler run")
    expect(page.locator(".figures")).to_contain_text("Scheduled")
    expect(page.get_by_text("This schedule is proven optimal")).to_be_visible()
    meeting = Meeting.objects.select_related("meeting_point", "slot").get()
    page.goto(f"/en/networking/{event.slug}/manage/tables/")
    expect(page.locator(".table-plan")).to_contain_text("Kadri Tamm")

    for registration, other in ((kadri, "Ilze Ozola"), (ilze, "Kadri Tamm")):
        page.context.clear_cookies()
        log_in(registration.user)
        page.goto(f"/en/networking/{event.slug}/meetings/")
        row = page.locator("tbody tr").first
        expect(row).to_contain_text(other)
        expect(row).to_contain_text(meeting.meeting_point.name)
        expect(row).to_contain_text("14:00")
        page.goto(f"/en/events/{event.slug}/agenda/")
        heading = page.get_by_role("heading", name="Meetings at the networking centre")
        in_agenda = page.locator("section", has=heading)
        expect(in_agenda).to_contain_text(other)
        expect(in_agenda).to_contain_text(meeting.meeting_point.name)
        expect(in_agenda).to_contain_text("14:00")


def test_every_networking_page_passes_axe(page, log_in, seminar):
    """Each page of participants and organisers, with content and with errors shown."""
    event, organiser, people = seminar
    kadri, ilze, chloe = people["Tartu"], people["Riga"], people["Lyon"]
    services.send_request(actor=chloe.user, requester=chloe, recipient=kadri, message="Markets?")
    accepted = services.send_request(actor=kadri.user, requester=kadri, recipient=ilze)
    services.accept_request(actor=ilze.user, meeting_request=accepted)
    # Kadri is busy all afternoon: the run report explains why nothing fits.
    services.block_time(
        actor=kadri.user,
        registration=kadri,
        starts_at=datetime.datetime(2027, 3, 10, 13, tzinfo=BRUSSELS),
        ends_at=datetime.datetime(2027, 3, 10, 16, tzinfo=BRUSSELS),
        note="Bilateral with the mayor",
    )

    log_in(kadri.user)
    base = f"/en/networking/{event.slug}"
    for path in ("profile/", "participants/", "requests/sent/", "availability/", "meetings/"):
        page.goto(f"{base}/{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"{base}/requests/")
    item = page.locator(".request-item").first
    item.get_by_label("Propose another time").check()
    item.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("Choose the time you propose.")).to_be_visible()
    page.goto(f"{base}/availability/")
    page.get_by_role("button", name="Block", exact=True).click()
    expect(page.locator(".errorlist").first).to_be_visible()
    page.goto(f"{base}/profile/")
    page.get_by_label("French (français)").check()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/recommendations/$"))

    page.context.clear_cookies()
    log_in(organiser)
    for path in ("manage/", "manage/requests/", "manage/grid/", "manage/points/", "manage/import/"):
        page.goto(f"{base}/{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"{base}/manage/points/")
    page.get_by_label("Name").fill("Room A")
    page.get_by_label("Kind").select_option("virtual")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("A virtual room needs a link.").first).to_be_visible()
    page.goto(f"{base}/manage/")
    page.get_by_role("button", name="Run the scheduler").click()
    expect(page.get_by_role("heading", name="Requests that could not be placed")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Kadri Tamm is busy in every slot")
    page.goto(f"{base}/manage/tables/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Table plan")
