"""'Calls for you' for one organisation with 500 open funding calls: p50/p95 of
the selector (eligibility on the day's country groups + fit + reasons) and of
the whole page through the Django test client. Target: p95 ≤ 100 ms, on SQLite
and on PostgreSQL.

    python benchmarks/calls_for_you.py [--databases sqlite,postgresql] [--requests 200]

Runs on databases of its own (a SQLite file next to the other benchmarks' and
the PostgreSQL database `municipia_h_fund_bench`), created afresh each run.
THE CALLS ARE GENERATED with a seeded random generator: themes and SDGs of the
taxonomy, country lists and groups, applicant types, languages, deadlines
within the next year; 200 closed calls and 50 drafts are added so that the
status filter has work to do. The organisation (Köln, DE) has three challenges
and two pieces of expertise with themes and SDGs.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

TARGET_P95_MS = 100
PAGE_SIZE = 25  # the page's (funding.views.PAGE_SIZE): what one request ranks and explains
OPEN_CALLS = 500
SQLITE_PATH = common.SQLITE_PATH.with_name("municipia_bench_calls.sqlite3")
POSTGRES_DATABASE = "municipia_h_fund_bench"
COUNTRIES = ["DE", "FR", "IT", "ES", "PL", "NL", "BE", "AT", "SE", "NO", "CH", "UA", "GE", "RS"]
GROUPS = ["eu", "candidates", "eastern_partnership"]
TYPES = ["municipality", "province", "region", "partner", "network"]
LANGUAGES = ["en", "fr", "de", "es", "it", "pl"]


def database_url(database: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{SQLITE_PATH}"
    return f"{common.POSTGRES_SERVER}/{POSTGRES_DATABASE}"


def fresh(database: str) -> None:
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{common.POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")


def generate(rng: random.Random) -> tuple:
    from django.utils import timezone

    from municipia.directory.models import Challenge, Expertise, Organisation
    from municipia.funding.enums import CallStatus
    from municipia.funding.models import FundingCall
    from municipia.taxonomy.models import SustainableDevelopmentGoal, Theme

    themes = list(Theme.objects.all())
    goals = list(SustainableDevelopmentGoal.objects.all())
    organisation = Organisation.objects.create(
        name="Köln", slug="koln", kind="municipality", country="DE", working_languages=",de,en,"
    )
    for model, count in ((Challenge, 3), (Expertise, 2)):
        for i in range(count):
            statement = model.objects.create(
                organisation=organisation, title=f"Generated {i}", text="Generated.", language="en"
            )
            statement.themes.set(rng.sample(themes, 2))
            statement.sdgs.set(rng.sample(goals, 2))
    now = timezone.now()
    calls = []
    for i in range(OPEN_CALLS + 250):
        status = (
            CallStatus.OPEN
            if i < OPEN_CALLS
            else rng.choice([CallStatus.CLOSED] * 4 + [CallStatus.DRAFT])
        )
        restricted = rng.random() < 0.7
        calls.append(
            FundingCall(
                funder="Generated funder",
                title=f"Generated call {i}",
                deadline=now
                + datetime.timedelta(days=rng.randint(1, 365), hours=rng.randint(0, 23)),
                status=status,
                eligible_groups=rng.sample(GROUPS, rng.randint(1, 2)) if restricted else [],
                eligible_countries=rng.sample(COUNTRIES, rng.randint(0, 3)) if restricted else [],
                eligible_types=rng.sample(TYPES, rng.randint(1, 3)) if rng.random() < 0.6 else [],
                languages=rng.sample(LANGUAGES, rng.randint(1, 3)),
                min_partners=rng.randint(1, 4),
            )
        )
    FundingCall.objects.bulk_create(calls)
    through_themes = FundingCall.themes.through
    through_goals = FundingCall.sdgs.through
    theme_rows, goal_rows = [], []
    for call in FundingCall.objects.all():
        theme_rows += [
            through_themes(fundingcall_id=call.pk, theme_id=t.pk)
            for t in rng.sample(themes, rng.randint(1, 3))
        ]
        goal_rows += [
            through_goals(fundingcall_id=call.pk, sustainabledevelopmentgoal_id=g.pk)
            for g in rng.sample(goals, rng.randint(0, 3))
        ]
    through_themes.objects.bulk_create(theme_rows)
    through_goals.objects.bulk_create(goal_rows)
    return organisation


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def child(database: str, requests: int) -> None:
    common.setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from conftest import make_user
    from municipia.accounts import services as account_services
    from municipia.accounts.enums import Role
    from municipia.funding import selectors

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    organisation = generate(rng)
    selector_ms = []
    found = []
    selector_cpu_ms = []
    for i in range(requests + 10):
        started, cpu = time.perf_counter(), time.process_time()
        ranked = selectors.ranked_calls_for_you(organisation=organisation)
        found = ranked[:PAGE_SIZE]
        if i >= 10:  # warm-up
            selector_ms.append((time.perf_counter() - started) * 1000)
            selector_cpu_ms.append((time.process_time() - cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        selectors.ranked_calls_for_you(organisation=organisation)[:PAGE_SIZE]
    # Counted now: the context reads the connection's log, which every request of
    # the test client below empties (request_started resets it).
    query_count = len(queries)
    user = make_user("bench@example.org")
    account_services.grant_role(
        actor=None, user=user, role=Role.ORGANISATION_EDITOR, organisation=organisation
    )
    client = Client()
    client.force_login(user)
    page_ms, page_cpu_ms = [], []
    for i in range(requests // 2 + 5):
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get("/en/funding/for-you/")
        if response.status_code != 200:
            raise SystemExit(f"page answered {response.status_code}")
        if i >= 5:
            page_ms.append((time.perf_counter() - started) * 1000)
            page_cpu_ms.append((time.process_time() - cpu) * 1000)
    print(
        json.dumps(
            {
                "listed": len(ranked),
                "shown": len(found),
                "queries": query_count,
                "selector_p50": statistics.median(selector_ms),
                "selector_p95": percentile(selector_ms, 0.95),
                "page_p50": statistics.median(page_ms),
                "page_p95": percentile(page_ms, 0.95),
                # CPU time of this process: what the request costs without the
                # other work on the machine (the database server's time excluded).
                "selector_cpu_p95": percentile(selector_cpu_ms, 0.95),
                "page_cpu_p50": statistics.median(page_cpu_ms),
                "page_cpu_p95": percentile(page_cpu_ms, 0.95),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--child")
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.requests)
        return
    common.print_machine()
    print(f"Load average: {os.getloadavg()[0]:.2f}")
    missed = False
    for database in common.selected_databases(arguments.databases):
        fresh(database)
        env = {**os.environ, "DATABASE_URL": database_url(database), "DEBUG": "False"}
        completed = subprocess.run(  # noqa: S603 - our own script, our own arguments
            [sys.executable, __file__, "--child", database, "--requests", str(arguments.requests)],
            env=env,
            cwd=common.ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            sys.stderr.write(completed.stderr)
            raise SystemExit(f"calls_for_you failed on {database}")
        result = json.loads(completed.stdout.strip().splitlines()[-1])
        ok = result["selector_p95"] <= TARGET_P95_MS and result["page_p95"] <= TARGET_P95_MS
        missed |= not ok
        print(
            f"{database}: {OPEN_CALLS} open calls, {result['listed']} eligible for Köln "
            f"({result['shown']} on the first page), "
            f"{result['queries']} queries; selector p50 {result['selector_p50']:.1f} ms, "
            f"p95 {result['selector_p95']:.1f} ms; page p50 {result['page_p50']:.1f} ms, "
            f"p95 {result['page_p95']:.1f} ms (target p95 ≤ {TARGET_P95_MS} ms) "
            f"{'OK' if ok else 'MISSED'}; CPU time of the process: selector p95 "
            f"{result['selector_cpu_p95']:.1f} ms, page p50 {result['page_cpu_p50']:.1f} ms, "
            f"p95 {result['page_cpu_p95']:.1f} ms"
        )
        print(f"Load average after {database}: {os.getloadavg()[0]:.2f}")
        if database == "postgresql":
            fresh(database)  # leave no 750-call database behind
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
