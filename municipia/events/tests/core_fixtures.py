"""Fixtures of the events-core tests: the CEMR Strategic Retreat as in the seed
programme (Barcelona, 5–7 November 2024), cut down to what the tests need."""

import datetime

import pytest

from municipia.events import services
from municipia.events.enums import EventKind, EventVisibility, SessionAudience, SessionKind

from .core_helpers import YEAR, at


@pytest.fixture
def retreat(event_organiser, organisation):
    event = services.create_event(
        actor=event_organiser,
        organisers=[organisation],
        slug="cemr-retreat-2024",
        title="CEMR Strategic Retreat",
        kind=EventKind.RETREAT,
        venue_name="Hotel Barcelona Princess",
        city="Barcelona",
        country="ES",
        time_zone="Europe/Madrid",
        starts_on=datetime.date(YEAR, 11, 5),
        ends_on=datetime.date(YEAR, 11, 7),
        languages=["en", "fr"],
        visibility=EventVisibility.PUBLIC,
        is_published=True,
        registration_fields=["position", "dietary_needs"],
    )
    return event


@pytest.fixture
def room(retreat, event_organiser):
    return services.save_room(
        actor=event_organiser, event=retreat, name="Sala Diagonal", capacity=80
    )


@pytest.fixture
def plenary(retreat, room, event_organiser):
    session, _warnings = services.save_session(
        actor=event_organiser,
        event=retreat,
        title="Opening plenary",
        starts_at=at(6, 9, 30),
        ends_at=at(6, 11),
        room=room,
        kind=SessionKind.PLENARY,
        online_url="https://meet.example.org/opening",
    )
    return session


@pytest.fixture
def reception(retreat, event_organiser):
    session, _warnings = services.save_session(
        actor=event_organiser,
        event=retreat,
        title="Reception at the City Hall",
        starts_at=at(6, 19),
        ends_at=at(6, 21),
        place_name="Ajuntament de Barcelona",
        place_tbc=True,
        time_tbc=True,
        kind=SessionKind.RECEPTION,
        audience=SessionAudience.PRINCIPALS,
        online_url="https://meet.example.org/reception",
    )
    return session
