"""Demo networking centre for `make demo`: GENERATED data, not real people.

On the first demo event (the CEMR Strategic Retreat) the demo organiser sets
up a grid (one networking period on the first afternoon, 20-minute meetings,
two tables and a virtual room); the demo organisation editor and six generated
participants ("Generated participant N", addresses @demo.municipia.eu that
receive nothing) of demo organisations opt in and send each other requests,
most accepted, one still waiting, one declined; the scheduler then places the
accepted ones. The demo editor's account can log in and see its meetings.

The upcoming demo edition of the retreat (see ``municipia.events.demo``) gets
the same grid, tables and virtual room, open for requests; the generated
participants (not the demo accounts, which register there themselves) are
registered, opted in, and take all seats of its nearly full session but one.
No requests are sent there: they are left to whoever tries the demo.

Idempotent: participants, profiles and the grid are refreshed; requests and
meetings are only written when the event has none yet (a demo someone has
played with keeps its state).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from municipia.accounts.demo import DEMO_USERS
from municipia.accounts.enums import Role
from municipia.accounts.models import User
from municipia.directory.models import Organisation
from municipia.events import services as event_services
from municipia.events.demo import NEARLY_FULL, UPCOMING_SLUG
from municipia.events.demo_data import DEMO_EVENTS
from municipia.events.enums import RegistrationStatus
from municipia.events.models import Event, Registration

from . import services
from .enums import AttendanceMode, MeetingPointKind
from .models import MeetingRequest

GENERATED = 6
TOPICS = (
    "Heat pumps in social housing",
    "Twinning on climate adaptation",
    "Youth participation in local budgets",
    "Cross-border public transport",
    "Digital services for small municipalities",
    "Refugee reception and housing",
    "Energy communities",
)
MODES = (AttendanceMode.ON_SITE, AttendanceMode.BOTH, AttendanceMode.ON_SITE, AttendanceMode.ONLINE)
# (requester, recipient, message, answer) by position in the participant list
REQUESTS = (
    (1, 0, "We started heat pumps in 300 flats; could we compare tenders?", "accept"),
    (2, 0, "Looking for a partner city for a twinning on adaptation.", "accept"),
    (3, 1, "Your transport pass across the border interests us.", "accept"),
    (4, 2, "Could we talk about participatory budgets for young people?", "accept"),
    (5, 3, "We would like to learn from your digital desk.", "accept"),
    (0, 4, "Energy communities: how did you involve the tenants?", "accept"),
    (6, 5, "Reception of refugees in small towns, a short exchange?", "accept"),
    (2, 6, "A quick call about your housing fund?", "wait"),
    (6, 1, "Would you present your project to our council?", "decline"),
)


def _account(email: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        raise RuntimeError("Load the demo accounts first (load_demo_users).")
    return user


def _participants(event: Event, *, with_editor: bool = True) -> list[Registration]:
    editor_email, _purpose, _role, editor_organisation = next(
        row for row in DEMO_USERS if row[2] == Role.ORGANISATION_EDITOR
    )
    organisations = list(Organisation.objects.exclude(slug=editor_organisation).order_by("pk"))
    people = []
    if with_editor:
        editor = _account(editor_email)
        home = Organisation.objects.filter(slug=editor_organisation).first()
        people.append((editor, editor.display_name, editor_email, home))
    for number in range(1, GENERATED + 1):
        email = f"networking-{number}@demo.municipia.eu"
        user, _created = User.objects.get_or_create(
            email=email, defaults={"display_name": f"Generated participant {number}"}
        )
        if user.has_usable_password():
            user.set_unusable_password()
            user.save()
        organisation = organisations[number - 1] if number <= len(organisations) else None
        people.append((user, user.display_name, email, organisation))
    registrations = []
    for user, name, email, organisation in people:
        registration, _created = Registration.objects.update_or_create(
            event=event,
            user=user,
            defaults={
                "participant_name": name,
                "participant_email": email,
                "status": RegistrationStatus.CONFIRMED,
                **({"organisation": organisation} if organisation else {}),
            },
        )
        registrations.append(registration)
    return registrations


def _centre(event: Event, organiser: User) -> None:
    """The grid: one networking period on the first afternoon, 20-minute
    meetings, two tables and a virtual room, open for requests."""
    zone = ZoneInfo(event.time_zone)
    services.save_grid(
        actor=organiser,
        event=event,
        slot_minutes=20,
        break_minutes=5,
        is_open=True,
        use_networking_sessions=False,
    )
    grid = event.meeting_grid
    first_day = datetime.datetime.combine(event.starts_on, datetime.time(0), zone)
    # Periods before the first day are left from earlier dates of the upcoming
    # edition, which moves ahead once it has started.
    grid.periods.filter(ends_at__lte=first_day).delete()
    if not grid.periods.exists():
        first_afternoon = first_day.replace(hour=14)
        services.add_period(
            actor=organiser,
            event=event,
            starts_at=first_afternoon,
            ends_at=first_afternoon + datetime.timedelta(minutes=100),
            name="Networking centre",
        )
    points = set(event.meeting_points.values_list("name", flat=True))
    for name, kind, extra in (
        ("Table 1", MeetingPointKind.ON_SITE, {"location": "Foyer"}),
        ("Table 2", MeetingPointKind.ON_SITE, {"location": "Foyer"}),
        (
            "Virtual room 1",
            MeetingPointKind.VIRTUAL,
            {"online_url": "https://meet.demo.municipia.eu/networking-1"},
        ),
    ):
        if name not in points:
            services.save_meeting_point(actor=organiser, event=event, name=name, kind=kind, **extra)
    services.build_slots(actor=organiser, event=event)


def _opt_in(registrations: list[Registration]) -> None:
    for number, registration in enumerate(registrations):
        services.opt_in(
            actor=registration.user,
            registration=registration,
            topics=TOPICS[number % len(TOPICS)],
            languages=["en"],
            mode=MODES[number % len(MODES)],
        )


def _upcoming(organiser: User) -> Event | None:
    """The upcoming demo edition: grid, generated participants opted in, and
    all seats of its nearly full session taken but one."""
    event = Event.objects.filter(slug=UPCOMING_SLUG).first()
    if event is None:
        return None
    _centre(event, organiser)
    registrations = _participants(event, with_editor=False)
    _opt_in(registrations)
    session = event.sessions.get(external_id=NEARLY_FULL)
    for registration in registrations[: session.effective_capacity - 1]:
        event_services.add_to_agenda(
            actor=registration.user, registration=registration, session=session
        )
    return event


@transaction.atomic
def load_demo_networking() -> list[Event]:
    """Set up the demo networking centres (see the module docstring); returns
    the events set up, the retreat first."""
    event = Event.objects.filter(slug=DEMO_EVENTS[0]["slug"]).first()
    if event is None:
        return []
    organiser = _account(next(e for e, _p, role, _o in DEMO_USERS if role == Role.EVENT_ORGANISER))
    _centre(event, organiser)
    upcoming = _upcoming(organiser)
    events = [event] if upcoming is None else [event, upcoming]

    registrations = _participants(event)
    _opt_in(registrations)
    if MeetingRequest.objects.filter(event=event).exists():
        return events
    for requester, recipient, message, answer in REQUESTS:
        sent = services.send_request(
            actor=registrations[requester].user,
            requester=registrations[requester],
            recipient=registrations[recipient],
            message=message,
        )
        answerer = registrations[recipient].user
        if answer == "accept":
            services.accept_request(actor=answerer, meeting_request=sent)
        elif answer == "decline":
            services.decline_request(
                actor=answerer, meeting_request=sent, response="Not this time, thank you."
            )
    services.run_scheduler(actor=organiser, event=event, time_limit=5)
    return events
