"""The demo networking centre: generated participants, requests and a run, idempotent."""

import datetime

import pytest

from municipia.accounts.demo import load_demo_users
from municipia.accounts.models import User
from municipia.directory.models import Organisation
from municipia.events import services as event_services
from municipia.events.demo import NEARLY_FULL, UPCOMING_SLUG, load_demo_events
from municipia.events.enums import AgendaStatus, RegistrationStatus
from municipia.events.models import AgendaItem, Event
from municipia.networking import services
from municipia.networking.demo import GENERATED, REQUESTS, load_demo_networking
from municipia.networking.enums import RequestStatus
from municipia.networking.models import (
    Meeting,
    MeetingRequest,
    NetworkingPeriod,
    NetworkingProfile,
    SchedulerRun,
    Slot,
)

pytestmark = pytest.mark.django_db


def test_demo_networking_is_loaded_once(organisation, other_organisation):
    load_demo_users()
    load_demo_events()
    event, upcoming = load_demo_networking()
    assert load_demo_networking() == [event, upcoming]
    assert NetworkingProfile.objects.filter(registration__event=event).count() == 7
    assert MeetingRequest.objects.filter(event=event).count() == len(REQUESTS)
    accepted = MeetingRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED)
    assert accepted.count() == 7
    assert Meeting.objects.filter(request__event=event).count() == 7
    assert SchedulerRun.objects.filter(event=event).count() == 1
    editor = event.registrations.get(user__email="editor@demo.municipia.eu")
    assert editor.organisation.slug == "koln"
    # The upcoming edition: generated participants only, nothing sent yet.
    assert upcoming.slug == UPCOMING_SLUG
    assert NetworkingProfile.objects.filter(registration__event=upcoming).count() == GENERATED
    assert not upcoming.registrations.filter(user__email__endswith="@demo.municipia.eu").exclude(
        user__email__startswith="networking-"
    )
    assert not MeetingRequest.objects.filter(event=upcoming).exists()
    assert NetworkingPeriod.objects.filter(grid__event=upcoming).count() == 1
    assert AgendaItem.objects.filter(session__event=upcoming).count() == GENERATED


@pytest.fixture
def upcoming(organisation, other_organisation):
    load_demo_users()
    load_demo_events()
    return load_demo_networking()[1]


def _register(email, event, organisation):
    user = User.objects.get(email=email)
    registration = event_services.register(
        actor=user, event=event, organisation=organisation, answers={"consent": True}
    )
    assert registration.status == RegistrationStatus.CONFIRMED
    return user, registration


def test_a_demo_account_tries_the_upcoming_networking_centre(upcoming, organisation):
    """Register, opt in, ask a generated participant for a meeting; the nearly
    full session gives its last seat, then its waiting list."""
    grid = upcoming.meeting_grid
    assert grid.is_open
    period = NetworkingPeriod.objects.get(grid__event=upcoming)
    assert period.starts_at == datetime.datetime.combine(
        upcoming.starts_on, datetime.time(14), upcoming.tz
    )
    assert Slot.objects.filter(event=upcoming).count() == 4

    editor, registration = _register("editor@demo.municipia.eu", upcoming, organisation)
    services.opt_in(actor=editor, registration=registration, topics="Energy communities")
    generated = upcoming.registrations.get(user__email="networking-1@demo.municipia.eu")
    sent = services.send_request(
        actor=editor, requester=registration, recipient=generated, message="Shall we meet?"
    )
    assert sent.status == RequestStatus.REQUESTED

    nearly_full = upcoming.sessions.get(external_id=NEARLY_FULL)
    taken = AgendaItem.objects.filter(session=nearly_full, status=AgendaStatus.CONFIRMED)
    assert taken.count() == nearly_full.capacity - 1
    last_seat = event_services.add_to_agenda(
        actor=editor, registration=registration, session=nearly_full
    )
    assert last_seat.status == AgendaStatus.CONFIRMED
    # The association's manager comes from the association, not from a member city.
    association = Organisation.objects.get(slug="rgre")
    manager, second = _register("manager@demo.municipia.eu", upcoming, association)
    waiting = event_services.add_to_agenda(actor=manager, registration=second, session=nearly_full)
    assert waiting.status == AgendaStatus.WAITING_LIST

    # Loading again keeps what the demo user did and adds nothing.
    load_demo_events()
    load_demo_networking()
    assert AgendaItem.objects.filter(session=nearly_full).count() == nearly_full.capacity + 1
    assert MeetingRequest.objects.filter(event=upcoming).get() == sent
    assert NetworkingPeriod.objects.filter(grid__event=upcoming).get() == period


def test_the_networking_period_follows_the_upcoming_edition_when_it_moves(upcoming):
    old = NetworkingPeriod.objects.get(grid__event=upcoming)
    load_demo_events(today=upcoming.starts_on)
    load_demo_networking()
    moved = Event.objects.get(slug=UPCOMING_SLUG)
    assert moved.starts_on == upcoming.starts_on + datetime.timedelta(weeks=6)
    period = NetworkingPeriod.objects.get(grid__event=moved)
    assert period.starts_at == datetime.datetime.combine(
        moved.starts_on, datetime.time(14), moved.tz
    )
    assert period.pk != old.pk
    slots = Slot.objects.filter(event=moved)
    assert slots.count() == 4
    assert all(slot.starts_at >= period.starts_at for slot in slots)
