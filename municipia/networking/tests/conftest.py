import datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import make_user
from municipia.accounts.enums import Role
from municipia.accounts.models import RoleGrant
from municipia.directory.enums import OrganisationType
from municipia.directory.models import Organisation
from municipia.events.enums import EventKind, RegistrationStatus, SessionKind
from municipia.events.models import AgendaItem, Event, Registration, Session
from municipia.networking import services
from municipia.networking.enums import MeetingPointKind

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(hour, minute=0, day=10):
    return datetime.datetime(2027, 3, day, hour, minute, tzinfo=BRUSSELS)


@pytest.fixture
def event(event_organiser):
    return Event.objects.create(
        slug="seminar-brussels",
        title="Seminar on energy poverty",
        kind=EventKind.SEMINAR,
        time_zone="Europe/Brussels",
        starts_on=datetime.date(2027, 3, 10),
        ends_on=datetime.date(2027, 3, 11),
        is_published=True,
        created_by=event_organiser,
    )


def register(event, name, email, organisation=None, user=True):
    """A confirmed participant; one with an account and an organisation is a
    member of it, as the delegation's people are."""
    user_obj = make_user(email, display_name=name) if user else None
    if user_obj is not None and organisation is not None:
        RoleGrant.objects.create(user=user_obj, role=Role.MEMBER, organisation=organisation)
    return Registration.objects.create(
        event=event,
        user=user_obj,
        participant_name=name,
        participant_email=email,
        organisation=organisation,
        status=RegistrationStatus.CONFIRMED,
    )


@pytest.fixture
def third_organisation(db):
    return Organisation.objects.create(
        name="Espoo", slug="espoo", kind=OrganisationType.MUNICIPALITY, country="FI"
    )


@pytest.fixture
def anna(event, organisation):
    registration = register(event, "Anna Schmidt", "anna@koeln.example", organisation)
    services.opt_in(actor=registration.user, registration=registration, topics="Heat pumps")
    return registration


@pytest.fixture
def piotr(event, other_organisation):
    registration = register(event, "Piotr Nowak", "piotr@krakow.example", other_organisation)
    services.opt_in(actor=registration.user, registration=registration, topics="District heating")
    return registration


@pytest.fixture
def aino(event, third_organisation):
    registration = register(event, "Aino Virtanen", "aino@espoo.example", third_organisation)
    services.opt_in(actor=registration.user, registration=registration)
    return registration


@pytest.fixture
def grid(event, event_organiser):
    """One networking session of an hour, 20-minute meetings with 5-minute breaks
    (slots at 14:00, 14:25), two tables."""
    Session.objects.create(
        event=event,
        title="Networking centre",
        kind=SessionKind.NETWORKING,
        starts_at=at(14),
        ends_at=at(15),
    )
    services.save_grid(actor=event_organiser, event=event, slot_minutes=20, break_minutes=5)
    for name in ("Table 1", "Table 2"):
        services.save_meeting_point(
            actor=event_organiser, event=event, name=name, kind=MeetingPointKind.ON_SITE
        )
    return services.build_slots(actor=event_organiser, event=event)


def attend(registration, event, start, end, title="Plenary"):
    session = Session.objects.create(
        event=event, title=title, kind=SessionKind.PLENARY, starts_at=start, ends_at=end
    )
    return AgendaItem.objects.create(registration=registration, session=session)
