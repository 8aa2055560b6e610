"""Capacity under concurrency: 200 people at once for the last 50 places.

Real threads, each with its own database connection, against PostgreSQL (row
locks are what is tested; SQLite serialises every write and proves nothing)."""

import contextlib
import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from municipia.accounts.models import User
from municipia.events import services
from municipia.events.enums import AgendaStatus, RegistrationStatus
from municipia.events.models import Event, Registration, Session

from .core_helpers import at

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks under concurrency need PostgreSQL (DATABASE_URL=postgres://…)",
    ),
]

CONTENDERS = 200
PLACES_LEFT = 50
ALREADY_TAKEN = 30
WORKERS = 32  # a share of PostgreSQL's connections: others test on the same server


def _users(prefix: str, n: int) -> list[User]:
    return User.objects.bulk_create(
        [User(email=f"{prefix}{i}@example.org", password="!") for i in range(n)]
    )


def _run_all_at_once(function, items) -> list:
    """Call `function(item)` in threads released together; return errors."""
    barrier = threading.Barrier(min(WORKERS, len(items)))
    errors: list[BaseException] = []

    def work(item):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=30)
            function(item)
        except BaseException as exc:  # collected and reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(work, items))
    return errors


@pytest.fixture
def big_event(transactional_db, event_organiser):
    return services.create_event(
        actor=event_organiser,
        slug="uclg-campus",
        title="UCLG Seminar & Campus",
        kind="campus",
        format="online",
        time_zone="Europe/Madrid",
        starts_on=datetime.date(2030, 11, 5),
        ends_on=datetime.date(2030, 11, 7),
        is_published=True,
        capacity=ALREADY_TAKEN + PLACES_LEFT,
    )


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_registrations_for_the_last_50_places(big_event):
    for user in _users("early", ALREADY_TAKEN):
        services.register(actor=user, event=big_event)
    contenders = _users("late", CONTENDERS)

    errors = _run_all_at_once(
        lambda user: services.register(actor=user, event=Event.objects.get(pk=big_event.pk)),
        contenders,
    )

    assert errors == []
    late = Registration.objects.filter(event=big_event, user__email__startswith="late")
    assert late.filter(status=RegistrationStatus.CONFIRMED).count() == PLACES_LEFT
    assert late.filter(status=RegistrationStatus.WAITING_LIST).count() == CONTENDERS - PLACES_LEFT
    assert (
        Registration.objects.filter(event=big_event, status=RegistrationStatus.CONFIRMED).count()
        == big_event.capacity
    )


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_sign_ups_for_the_last_50_seats_of_a_session(big_event, event_organiser):
    big_event = services.update_event(actor=event_organiser, event=big_event, capacity=None)
    session, _ = services.save_session(
        actor=event_organiser,
        event=big_event,
        title="Regional session: Africa",
        starts_at=at(6, 15),
        ends_at=at(6, 17),
        capacity=ALREADY_TAKEN + PLACES_LEFT,
    )
    early = [services.register(actor=u, event=big_event) for u in _users("early", ALREADY_TAKEN)]
    for registration in early:
        services.add_to_agenda(actor=registration.user, registration=registration, session=session)
    late = [services.register(actor=u, event=big_event) for u in _users("late", CONTENDERS)]

    errors = _run_all_at_once(
        lambda r: services.add_to_agenda(
            actor=r.user, registration=r, session=Session.objects.get(pk=session.pk)
        ),
        late,
    )

    assert errors == []
    items = session.agenda_items.filter(registration__user__email__startswith="late")
    assert items.filter(status=AgendaStatus.CONFIRMED).count() == PLACES_LEFT
    assert items.filter(status=AgendaStatus.WAITING_LIST).count() == CONTENDERS - PLACES_LEFT
    assert session.agenda_items.filter(status=AgendaStatus.CONFIRMED).count() == session.capacity
