"""The programme pages read a fixed number of queries, whatever the number of
sessions, speakers, registrations and agenda items: the same count for 10
sessions and 100, for the first render (cache empty) and for the cached page
personalised for the viewer."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from municipia.events.enums import (
    AgendaStatus,
    EventKind,
    EventVisibility,
    RegistrationStatus,
    SessionAudience,
    SessionKind,
)
from municipia.events.models import (
    AgendaItem,
    Day,
    Event,
    Registration,
    Room,
    Session,
    SessionPerson,
)
from municipia.taxonomy.models import Theme

MADRID = ZoneInfo("Europe/Madrid")
ROOMS = 5


@pytest.fixture
def congress(db):
    first = timezone.localdate() + datetime.timedelta(days=30)
    event = Event.objects.create(
        slug="congress",
        title="Congress",
        kind=EventKind.CONGRESS,
        time_zone="Europe/Madrid",
        starts_on=first,
        ends_on=first + datetime.timedelta(days=1),
        visibility=EventVisibility.PUBLIC,
        is_published=True,
    )
    Day.objects.bulk_create(
        Day(event=event, date=first + datetime.timedelta(days=n), theme=f"Theme {n}", order=n)
        for n in range(2)
    )
    Room.objects.bulk_create(
        Room(event=event, name=f"Room {n}", capacity=50 if n % 2 else None, order=n)
        for n in range(ROOMS)
    )
    return event


def grow(event: Event, sessions: int, viewer) -> None:
    """Bring the event to `sessions` sessions (speakers, tracks, audiences,
    outside places) and five registrations per session, each with agenda items;
    the viewer is a confirmed participant with some sessions in their agenda."""
    rooms = list(event.rooms.order_by("order"))
    tracks = list(Theme.objects.all()[:3]) or [None]
    have = event.sessions.count()
    start = datetime.datetime.combine(event.starts_on, datetime.time(8), tzinfo=MADRID)
    new = []
    for n in range(have, sessions):
        begins = start + datetime.timedelta(minutes=30 * (n // ROOMS))
        new.append(
            Session(
                event=event,
                title=f"Session {n}",
                starts_at=begins,
                ends_at=begins + datetime.timedelta(minutes=25),
                room=rooms[n % ROOMS] if n % 7 else None,
                place_name="" if n % 7 else "City hall",
                kind=SessionKind.WORKSHOP if n % 2 else SessionKind.PLENARY,
                track=tracks[n % len(tracks)],
                languages=["en", "fr"][: 1 + n % 2],
                capacity=10 if n % 3 == 0 else None,
                audience=SessionAudience.PRINCIPALS if n % 11 == 0 else SessionAudience.REGISTERED,
                online_url="https://meet.example.org/secret",
            )
        )
    new = Session.objects.bulk_create(new)
    SessionPerson.objects.bulk_create(
        SessionPerson(session=session, guest_name=f"Speaker {session.pk}-{k}", order=k)
        for session in new
        for k in range(2)
    )
    registrations = Registration.objects.bulk_create(
        Registration(
            event=event,
            participant_name=f"Participant {have * 5 + k}",
            participant_email=f"p{have * 5 + k}@example.org",
            status=RegistrationStatus.CONFIRMED if k % 4 else RegistrationStatus.WAITING_LIST,
        )
        for k in range((sessions - have) * 5)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(registration=registration, session=session, status=AgendaStatus.CONFIRMED)
        for registration, session in zip(registrations, new * 5, strict=False)
    )
    own, _created = Registration.objects.get_or_create(
        event=event,
        user=viewer,
        defaults={"participant_name": "Viewer", "participant_email": viewer.email},
    )
    for session in new[:3]:
        AgendaItem.objects.create(registration=own, session=session)


def unmasked(html: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", html)


PAGES = ["programme", "programme_grid", "programme_list"]


def counts(client, url: str) -> tuple[int, int]:
    """Queries of the first render (cache empty) and of the cached page."""
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    return len(cold.captured_queries), len(warm.captured_queries)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("viewer", ["anonymous", "participant"])
def test_programme_pages_queries_do_not_grow_with_the_event(
    client, congress, page, viewer, django_assert_num_queries
):
    person = make_user("viewer@example.org")
    if viewer == "participant":
        client.force_login(person)
    url = reverse(f"events:{page}", kwargs={"slug": congress.slug})
    if page == "programme_grid":
        url += f"?day={congress.starts_on.isoformat()}"
    grow(congress, 10, person)
    client.get(url)  # the site, the session and the themes are read once per process
    cold, warm = counts(client, url)

    grow(congress, 100, person)
    assert congress.sessions.count() == 100
    assert congress.registrations.count() == 501
    cache.clear()
    with django_assert_num_queries(cold):
        response = client.get(url)
    html = response.content.decode()
    with django_assert_num_queries(warm):
        again = client.get(url)
    # The cached page is the same page (but for the masked CSRF tokens).
    assert unmasked(again.content.decode()) == unmasked(html)
    # The pages did show the grown programme, not an empty one.
    if page != "programme_grid":
        assert "Session 99" in html
        assert "Speaker" in html
    assert "Session 1<" in html
    # The secret link of the sessions is never on a programme page.
    assert "meet.example.org" not in html
    if viewer == "participant":
        assert "In your agenda" in html
        assert "Add to my agenda" in html
