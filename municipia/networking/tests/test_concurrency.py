"""Eight people accept proposals for the same time at once while one table is
free: one meeting is set there, the others wait for the scheduler, and nobody
is double-booked. Real threads against PostgreSQL (SQLite serialises every
write and proves nothing)."""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from municipia.networking import services
from municipia.networking.enums import RequestStatus
from municipia.networking.models import Meeting, MeetingRequest

from .conftest import register

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks under concurrency need PostgreSQL (DATABASE_URL=postgres://…)",
    ),
]

PAIRS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptances_never_overbook_a_table(event, event_organiser, grid):
    services.save_meeting_point(
        actor=event_organiser,
        event=event,
        meeting_point=event.meeting_points.get(name="Table 2"),
        is_active=False,
    )
    requests = []
    for i in range(PAIRS):
        a = register(event, f"A{i}", f"a{i}@example.org")
        b = register(event, f"B{i}", f"b{i}@example.org")
        services.opt_in(actor=b.user, registration=b)
        requests.append(
            services.send_request(actor=a.user, requester=a, recipient=b, proposed_slot=grid[0])
        )
    barrier = threading.Barrier(PAIRS)
    errors = []

    def accept(meeting_request):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=30)
            services.accept_request(
                actor=meeting_request.recipient.user, meeting_request=meeting_request
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=PAIRS) as pool:
        list(pool.map(accept, requests))
    assert errors == []
    assert MeetingRequest.objects.filter(status=RequestStatus.ACCEPTED).count() == PAIRS
    assert Meeting.objects.filter(slot=grid[0]).count() == 1
