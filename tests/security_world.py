"""One small world shared by the role-matrix and escaping tests: an event with
a networking centre, funding calls and a partner search, and one user per role
and per participant situation.

Built with the apps' own services (so their checks and side effects run), except
where a test needs a state no page reaches quickly (a registration straight in
a status, a scheduler run without running the solver)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from conftest import make_user
from municipia.accounts import services as account_services
from municipia.accounts.enums import Role
from municipia.directory.enums import OrganisationType
from municipia.directory.models import Organisation
from municipia.events import services as event_services
from municipia.events.enums import (
    EventKind,
    EventVisibility,
    RegistrationStatus,
    SessionAudience,
    SessionKind,
)
from municipia.events.models import Registration
from municipia.events.tests.core_helpers import at
from municipia.funding import services as funding_services
from municipia.funding.enums import CallStatus
from municipia.networking import services as networking_services
from municipia.networking.enums import MeetingPointKind
from municipia.networking.models import SchedulerRun

# Every situation the policy tells apart. The event is organised by Köln and
# created by `event_organiser`; the funding call drafts belong to `funder`.
ROLES = [
    "anonymous",
    "plain_user",
    "member_user",
    "organisation_editor",
    "organisation_admin",
    "association_manager",
    "event_organiser",
    "other_event_organiser",
    "staff_user",
    "confirmed",  # confirmed participant, not a principal
    "principal",  # confirmed participant, principal
    "invited",  # confirmed participant, on a session's invited list
    "pending",  # registration awaiting approval
    "funder_editor",  # editor of the organisation that publishes calls
    "krakow_editor",  # editor of an organisation that answered the partner search
]

EVENT_MANAGERS = {"event_organiser", "organisation_admin", "staff_user"}
PARTICIPANTS = {"confirmed", "principal", "invited"}
# Admins and editors of Köln, which owns the partner search, and staff.
SEARCH_MANAGERS = {"organisation_editor", "organisation_admin", "staff_user"}

PLENARY_LINK = "https://meet.example.org/plenary-link"
RECEPTION_LINK = "https://meet.example.org/principals-link"
WORKSHOP_LINK = "https://meet.example.org/invited-link"


@dataclass
class World:
    users: dict = field(default_factory=dict)
    organisations: dict = field(default_factory=dict)
    registrations: dict = field(default_factory=dict)
    event: object = None
    plenary: object = None
    reception: object = None
    workshop: object = None
    room: object = None
    point: object = None
    run: object = None
    meeting_request: object = None
    draft_call: object = None
    open_call: object = None
    search: object = None
    interest: object = None

    def user(self, role: str):
        return AnonymousUser() if role == "anonymous" else self.users[role]


def _grant(user, role, organisation=None):
    account_services.grant_role(actor=None, user=user, role=role, organisation=organisation)
    return user


def _register(event, user, name, status, **fields) -> Registration:
    return Registration.objects.create(
        event=event,
        user=user,
        participant_name=name,
        participant_email=user.email,
        status=status,
        **fields,
    )


def build_world(
    *,
    staff_user,
    plain_user,
    member_user,
    organisation_editor,
    organisation_admin,
    association_manager,
    event_organiser,
    organisation,
    other_organisation,
    title: str = "CEMR Strategic Retreat",
    text: str = "",
) -> World:
    """`title` and `text` let the escaping tests put hostile text everywhere."""
    world = World()
    world.users.update(
        plain_user=plain_user,
        member_user=member_user,
        organisation_editor=organisation_editor,
        organisation_admin=organisation_admin,
        association_manager=association_manager,
        event_organiser=event_organiser,
        staff_user=staff_user,
        other_event_organiser=_grant(
            make_user("other.organiser@example.org"), Role.EVENT_ORGANISER
        ),
    )
    funder = Organisation.objects.create(
        name=f"EIT Digital {text}".strip(),
        slug="eit-digital",
        kind=OrganisationType.PARTNER,
        country="BE",
    )
    world.organisations.update(koln=organisation, krakow=other_organisation, funder=funder)
    world.users["funder_editor"] = _grant(
        make_user("funder@example.org"), Role.ORGANISATION_EDITOR, funder
    )
    world.users["krakow_editor"] = _grant(
        make_user("krakow.editor@example.org"), Role.ORGANISATION_EDITOR, other_organisation
    )

    # -- the event ------------------------------------------------------------------
    event = event_services.create_event(
        actor=event_organiser,
        organisers=[organisation],
        slug="cemr-retreat",
        title=title,
        description=text,
        kind=EventKind.RETREAT,
        venue_name="Hotel Barcelona Princess",
        city="Barcelona",
        country="ES",
        time_zone="Europe/Madrid",
        starts_on=datetime.date(2030, 11, 5),
        ends_on=datetime.date(2030, 11, 7),
        languages=["en"],
        visibility=EventVisibility.PUBLIC,
        is_published=True,
        registration_fields=["position"],
    )
    world.event = event
    world.room = event_services.save_room(
        actor=event_organiser, event=event, name=f"Sala Diagonal {text}".strip(), capacity=80
    )
    for role, status, extra in (
        ("confirmed", RegistrationStatus.CONFIRMED, {}),
        ("principal", RegistrationStatus.CONFIRMED, {"is_principal": True}),
        ("invited", RegistrationStatus.CONFIRMED, {}),
        ("pending", RegistrationStatus.PENDING, {}),
    ):
        user = make_user(f"{role}@example.org", display_name=f"{role.title()} {text}".strip())
        world.users[role] = user
        world.registrations[role] = _register(
            event, user, f"{role.title()} {text}".strip(), status, **extra
        )

    def session(name, start, end, **fields):
        saved, _warnings = event_services.save_session(
            actor=event_organiser,
            event=event,
            title=f"{name} {title}" if text else name,
            starts_at=start,
            ends_at=end,
            description=text,
            **fields,
        )
        return saved

    world.plenary = session(
        "Opening plenary",
        at(6, 9, 30, year=2030),
        at(6, 11, year=2030),
        room=world.room,
        kind=SessionKind.PLENARY,
        online_url=PLENARY_LINK,
    )
    world.reception = session(
        "Reception",
        at(6, 19, year=2030),
        at(6, 21, year=2030),
        kind=SessionKind.RECEPTION,
        audience=SessionAudience.PRINCIPALS,
        online_url=RECEPTION_LINK,
    )
    world.workshop = session(
        "Closed workshop",
        at(7, 9, year=2030),
        at(7, 10, year=2030),
        kind=SessionKind.WORKSHOP,
        audience=SessionAudience.INVITED,
        online_url=WORKSHOP_LINK,
    )
    world.workshop.invited.add(world.registrations["invited"])

    # -- the networking centre -------------------------------------------------------
    session("Networking centre", at(6, 14, year=2030), at(6, 15, year=2030), kind="networking")
    networking_services.save_grid(
        actor=event_organiser, event=event, slot_minutes=20, break_minutes=5
    )
    world.point = networking_services.save_meeting_point(
        actor=event_organiser, event=event, name="Table 1", kind=MeetingPointKind.ON_SITE
    )
    networking_services.build_slots(actor=event_organiser, event=event)
    for role in ("confirmed", "principal"):
        registration = world.registrations[role]
        networking_services.opt_in(
            actor=registration.user, registration=registration, topics=f"Heat {text}".strip()
        )
    world.meeting_request = networking_services.send_request(
        actor=world.users["confirmed"],
        requester=world.registrations["confirmed"],
        recipient=world.registrations["principal"],
        message=f"Shall we meet? {text}".strip(),
    )
    world.run = SchedulerRun.objects.create(event=event, started_by=event_organiser)

    # -- funding ----------------------------------------------------------------------
    deadline = timezone.now() + datetime.timedelta(days=40)
    world.draft_call = funding_services.publish_call(
        actor=world.users["funder_editor"],
        organisation=funder,
        funder="EIT",
        title=f"Draft call {text}".strip(),
        summary=text,
        status=CallStatus.DRAFT,
        deadline=deadline,
    )
    world.open_call = funding_services.publish_call(
        actor=world.users["funder_editor"],
        organisation=funder,
        funder="EIT",
        title=f"Open call {text}".strip(),
        summary=text,
        status=CallStatus.OPEN,
        deadline=deadline,
    )
    world.search = funding_services.publish_partner_search(
        actor=organisation_editor,
        owner=organisation,
        title=f"Partners for heat {text}".strip(),
        purpose=f"We look for partners. {text}".strip(),
        call=world.open_call,
    )
    world.interest = funding_services.express_interest(
        actor=world.users["krakow_editor"],
        search=world.search,
        organisation=other_organisation,
        message=f"Kraków would join. {text}".strip(),
    )
    return world


# Fixtures (registered by the root conftest.py).


@pytest.fixture
def world_roles(
    staff_user,
    plain_user,
    member_user,
    organisation_editor,
    organisation_admin,
    association_manager,
    event_organiser,
    organisation,
    other_organisation,
) -> dict:
    """The user of every role and the two organisations `build_world` starts from."""
    return {
        "staff_user": staff_user,
        "plain_user": plain_user,
        "member_user": member_user,
        "organisation_editor": organisation_editor,
        "organisation_admin": organisation_admin,
        "association_manager": association_manager,
        "event_organiser": event_organiser,
        "organisation": organisation,
        "other_organisation": other_organisation,
    }


@pytest.fixture
def world(world_roles) -> World:
    return build_world(**world_roles)
