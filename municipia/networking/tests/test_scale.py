"""A congress-sized networking centre through the database: the run reads
the event in a bounded number of queries (not one per participant) and
places every request that fits."""

import datetime
import os
import random
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from municipia.events.enums import RegistrationStatus
from municipia.events.models import Registration
from municipia.networking import services
from municipia.networking.enums import RequestStatus
from municipia.networking.models import MeetingRequest, NetworkingProfile

from .conftest import at, attend

PARTICIPANTS = int(os.environ.get("NETWORKING_SCALE_PARTICIPANTS", 120))
REQUESTS = int(os.environ.get("NETWORKING_SCALE_REQUESTS", 600))


def test_run_on_a_generated_congress(event, event_organiser):
    """Generated data: participants "P0"…, requests drawn with a skew (a few
    participants are asked by many), some sessions in agendas."""
    rng = random.Random(7)
    services.add_period(actor=event_organiser, event=event, starts_at=at(9), ends_at=at(18))
    services.save_grid(actor=event_organiser, event=event, slot_minutes=25, break_minutes=5)
    for i in range(PARTICIPANTS // 6):
        services.save_meeting_point(actor=event_organiser, event=event, name=f"Table {i + 1}")
    slots = services.build_slots(actor=event_organiser, event=event)
    people = Registration.objects.bulk_create(
        Registration(
            event=event,
            participant_name=f"P{i}",
            participant_email=f"p{i}@example.org",
            status=RegistrationStatus.CONFIRMED,
        )
        for i in range(PARTICIPANTS)
    )
    NetworkingProfile.objects.bulk_create(NetworkingProfile(registration=r) for r in people)
    for person in people[::4]:
        attend(person, event, at(11), at(12, 30), title=f"Workshop {person.pk}")
    weights = [1 / (rank + 1) for rank in range(PARTICIPANTS)]
    pairs = set()
    while len(pairs) < REQUESTS:
        a = rng.randrange(PARTICIPANTS)
        b = rng.choices(range(PARTICIPANTS), weights)[0]
        if a != b and (b, a) not in pairs:
            pairs.add((a, b))
    MeetingRequest.objects.bulk_create(
        MeetingRequest(
            event=event,
            requester=people[a],
            recipient=people[b],
            status=RequestStatus.ACCEPTED,
            answered_at=at(8) - datetime.timedelta(minutes=n),
        )
        for n, (a, b) in enumerate(sorted(pairs))
    )
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        run = services.run_scheduler(
            actor=event_organiser,
            event=event,
            time_limit=float(os.environ.get("NETWORKING_SCALE_SECONDS", 3)),
        )
    seconds = time.perf_counter() - started
    report = run.report
    print(
        f"\n{PARTICIPANTS} participants, {REQUESTS} requests, {len(slots)} slots: "
        f"scheduled {report['scheduled']} (greedy {report['greedy_scheduled']}, bound "
        f"{report['bound']}), solver {report['seconds']} s, whole run {seconds:.1f} s, "
        f"{len(queries)} queries"
    )
    assert report["scheduled"] >= report["greedy_scheduled"]
    assert report["scheduled"] + len(report["unscheduled"]) == REQUESTS
    # Reading the event is a handful of queries whatever its size; the
    # generated people have no account, so nobody is notified here.
    reads = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) < 20
    assert len(queries) < 40  # meetings are written in bulk
