"""The programme pages of an event with 1,000 sessions and 5,000 registrations,
through the Django test client: p50 and p95 per request. Target: p95 ≤ 100 ms
on SQLite and on PostgreSQL for the programme by day.

    python benchmarks/programme_page.py [--databases sqlite,postgresql] [--requests 100]

The script fills a fresh database (`municipia_h_events_bench`, its own) with one
event: five days, twenty rooms, 1,000 sessions with their speakers, 5,000
registrations (one in ten on the waiting list) and 20,000 agenda items. It then
requests the programme by day, the timetable of one day and the list, as an
anonymous visitor and as a confirmed participant (whose page carries the
agenda buttons). A programme page is rendered once per version of the
programme and then personalised; the first request after a change (cache
empty) is timed apart, with a few runs, since it is the rare, slow one.

Besides the wall-clock time, the CPU time of the benchmark's own process is
given per request: on a machine that other work keeps busy it shows what a
request costs apart from waiting for a core (on SQLite it includes the
queries; PostgreSQL's own work runs in its server process and is not in it).
"""

import argparse
import datetime
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

TARGET_P95_MS = 100
SESSIONS = 1_000
REGISTRATIONS = 5_000
AGENDA_PER_REGISTRATION = 4
DAYS = 5
ROOMS = 20
WARM_UP = 5
COLD_RUNS = 3

common.POSTGRES_DATABASE = "municipia_h_events_bench"
common.SQLITE_PATH = common.SQLITE_PATH.with_name("municipia_h_events_bench.sqlite3")


def fill() -> dict:
    """The event, its programme and its participants, written in bulk."""
    from zoneinfo import ZoneInfo

    from django.contrib.auth import get_user_model

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

    generator = random.Random(42)
    zone = ZoneInfo("Europe/Madrid")
    first = datetime.datetime.now(tz=zone).date() + datetime.timedelta(days=60)
    event = Event.objects.create(
        slug="bench-congress",
        title="Benchmark congress",
        kind=EventKind.CONGRESS,
        time_zone="Europe/Madrid",
        starts_on=first,
        ends_on=first + datetime.timedelta(days=DAYS - 1),
        languages=["en", "fr", "es"],
        visibility=EventVisibility.PUBLIC,
        is_published=True,
    )
    Day.objects.bulk_create(
        Day(
            event=event,
            date=first + datetime.timedelta(days=n),
            theme=f"Theme of day {n + 1}",
            order=n,
        )
        for n in range(DAYS)
    )
    rooms = Room.objects.bulk_create(
        Room(
            event=event,
            name=f"Room {n + 1}",
            capacity=generator.choice([None, 40, 80, 200]),
            order=n,
        )
        for n in range(ROOMS)
    )
    kinds = [
        SessionKind.PLENARY,
        SessionKind.WORKSHOP,
        SessionKind.BREAKOUT,
        SessionKind.NETWORKING,
    ]
    slots = SESSIONS // (DAYS * ROOMS)
    sessions = []
    for day in range(DAYS):
        date = first + datetime.timedelta(days=day)
        for slot in range(slots):
            start = datetime.datetime(date.year, date.month, date.day, 8, 0, tzinfo=zone)
            start += datetime.timedelta(minutes=60 * slot)
            for room in rooms:
                sessions.append(
                    Session(
                        event=event,
                        title=f"Session {len(sessions) + 1} on urban matters",
                        description="A session of the benchmark programme. " * 5,
                        starts_at=start,
                        ends_at=start + datetime.timedelta(minutes=50),
                        room=room,
                        kind=generator.choice(kinds),
                        languages=generator.choice([["en"], ["fr"], ["en", "es"]]),
                        interpretation=generator.choice([[], ["fr"]]),
                        audience=SessionAudience.PRINCIPALS
                        if generator.random() < 0.03
                        else SessionAudience.REGISTERED,
                        online_url="https://meet.example.org/secret",
                        time_tbc=generator.random() < 0.05,
                    )
                )
    sessions = Session.objects.bulk_create(sessions, batch_size=500)
    SessionPerson.objects.bulk_create(
        (
            SessionPerson(session=session, guest_name=f"Speaker {session.pk}-{n}", order=n)
            for session in sessions
            for n in range(generator.randint(1, 3))
        ),
        batch_size=1000,
    )
    User = get_user_model()
    viewer = User.objects.create_user(email="viewer@example.org")
    registrations = [
        Registration(
            event=event,
            user=viewer if n == 0 else None,
            participant_name=f"Participant {n}",
            participant_email=f"participant{n}@example.org",
            status=RegistrationStatus.CONFIRMED
            if n == 0 or generator.random() >= 0.1
            else RegistrationStatus.WAITING_LIST,
        )
        for n in range(REGISTRATIONS)
    ]
    registrations = Registration.objects.bulk_create(registrations, batch_size=1000)
    AgendaItem.objects.bulk_create(
        (
            AgendaItem(registration=registration, session=session, status=AgendaStatus.CONFIRMED)
            for registration in registrations
            if registration.status == RegistrationStatus.CONFIRMED
            for session in generator.sample(sessions, AGENDA_PER_REGISTRATION)
        ),
        batch_size=2000,
    )
    return {
        "event": event,
        "viewer": viewer,
        "sessions": Session.objects.filter(event=event).count(),
        "registrations": Registration.objects.filter(event=event).count(),
        "agenda_items": AgendaItem.objects.filter(registration__event=event).count(),
    }


def percentiles(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(int(len(timings) * 0.95) - 1, 0)], 1),
        "max_ms": round(timings[-1], 1),
    }


def child(database: str, requests: int) -> None:
    common.setup_django()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    data = fill()
    filled_in = time.perf_counter() - started
    event, viewer = data.pop("event"), data.pop("viewer")
    # Not setup_test_environment(): its instrumented template rendering copies
    # every context, which real requests do not pay for.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    anonymous = Client()
    participant = Client()
    participant.force_login(viewer)
    day = event.starts_on.isoformat()
    pages = {
        "by day": reverse("events:programme", kwargs={"slug": event.slug}),
        "timetable": reverse("events:programme_grid", kwargs={"slug": event.slug}) + f"?day={day}",
        "list": reverse("events:programme_list", kwargs={"slug": event.slug}),
    }

    def get(client, url) -> tuple[float, float, int]:
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{response.status_code} for {url}")
        return elapsed, cpu, len(queries.captured_queries)

    results = {}
    for name, url in pages.items():
        for who, client in (("anonymous", anonymous), ("participant", participant)):
            cold = []
            for _ in range(COLD_RUNS):
                cache.clear()
                cold.append(get(client, url)[0])
            warm, cpu, counts = [], [], set()
            for index in range(WARM_UP + requests):
                elapsed, spent, count = get(client, url)
                if index >= WARM_UP:
                    warm.append(elapsed)
                    cpu.append(spent)
                    counts.add(count)
            results[f"{name}, {who}"] = {
                "warm": percentiles(warm),
                "cpu": percentiles(cpu),
                "cold_ms": [round(t) for t in cold],
                "queries": sorted(counts),
            }
    print(json.dumps({**data, "fill_s": round(filled_in, 1), "pages": results}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default=",".join(common.DATABASES))
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.requests)
        return
    common.print_machine()
    print(f"Load average: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    failed = False
    for database in common.selected_databases(arguments.databases):
        common.fresh_database(database)
        result = common.run_child(Path(__file__), database, "--requests", str(arguments.requests))
        print(
            f"{database}: {result['sessions']:,} sessions, {result['registrations']:,} "
            f"registrations, {result['agenda_items']:,} agenda items (filled in "
            f"{result['fill_s']} s); {arguments.requests} requests per page"
        )
        for page, figures in result["pages"].items():
            warm = figures["warm"]
            within = warm["p95_ms"] <= TARGET_P95_MS
            if page.startswith("by day"):
                failed |= not within
            print(
                f"  {page}: p50 {warm['p50_ms']} ms, p95 {warm['p95_ms']} ms "
                f"({'within' if within else 'OVER'} the {TARGET_P95_MS} ms target), "
                f"max {warm['max_ms']} ms; CPU of this process p50 {figures['cpu']['p50_ms']} ms, "
                f"p95 {figures['cpu']['p95_ms']} ms; "
                f"{'/'.join(map(str, figures['queries']))} queries; "
                f"first render after a change {', '.join(map(str, figures['cold_ms']))} ms"
            )
    print(f"Load average after: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
