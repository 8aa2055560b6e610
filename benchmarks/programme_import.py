"""How long importing the FOSDEM 2019 programme (775 events, 33 rooms, frab XML)
takes, the idempotent re-import, and the three exports of the imported
programme. Target: the import ≤ 10 s on SQLite and on PostgreSQL.

    python benchmarks/programme_import.py [--databases sqlite,postgresql] [--runs 3]

The readers and writers alone (no database) are timed too: they are the pure
part of the work.
"""

import argparse
import datetime
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

TARGET_SECONDS = 10
FOSDEM = common.ROOT.parent / "shared" / "data" / "schedules" / "fosdem-2019-schedule.xml"

# Databases of its own, so that it can run beside the other benchmarks.
common.POSTGRES_DATABASE = "municipia_bench_programme"
common.SQLITE_PATH = common.SQLITE_PATH.with_name("municipia_bench_programme.sqlite3")


def _timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def pure(runs: int) -> dict:
    """Reading and writing without a database."""
    from municipia.events.formats.frab import read_frab, write_frab
    from municipia.events.formats.schedule_json import read_schedule_json, write_schedule_json

    data = FOSDEM.read_bytes()
    schedule, _warnings = read_frab(data, default_tz="Europe/Brussels")
    as_json = write_schedule_json(schedule).encode()
    return {
        "read_frab": _timed(lambda: read_frab(data, default_tz="Europe/Brussels"), runs),
        "write_frab": _timed(lambda: write_frab(schedule), runs),
        "read_json": _timed(lambda: read_schedule_json(as_json), runs),
        "write_json": _timed(lambda: write_schedule_json(schedule), runs),
    }


def child(database: str, runs: int) -> None:
    common.setup_django()
    from django.core.management import call_command

    from municipia.events.models import Event
    from municipia.events.programme_io import export_programme, import_programme

    call_command("migrate", verbosity=0)
    data = FOSDEM.read_bytes()
    first, again, created = [], [], 0
    for run in range(runs):
        event = Event.objects.create(
            slug=f"fosdem-2019-{run}",
            title="FOSDEM 2019",
            kind="conference",
            time_zone="Europe/Brussels",
            starts_on=datetime.date(2019, 2, 2),
            ends_on=datetime.date(2019, 2, 3),
        )
        started = time.perf_counter()
        report = import_programme(event=event, data=data)
        first.append(time.perf_counter() - started)
        created = report.created
        started = time.perf_counter()
        report = import_programme(event=event, data=data)
        again.append(time.perf_counter() - started)
        assert report.unchanged == created, report
    exports = {
        file_format: _timed(lambda f=file_format: export_programme(event, f), runs)
        for file_format in ("ical", "frab-xml", "schedule-json")
    }
    print(json.dumps({"import": first, "reimport": again, "created": created, **exports}))


def _figures(times: list[float]) -> str:
    return f"median {statistics.median(times):.2f} s, max {max(times):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default=",".join(common.DATABASES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments, rest = parser.parse_known_args()
    if arguments.child:
        child(arguments.child, int(rest[0]) if rest else arguments.runs)
        return
    if not FOSDEM.is_file():
        raise SystemExit(f"Missing {FOSDEM}")
    common.print_machine()
    sys.path.insert(0, str(common.ROOT))
    for name, times in pure(arguments.runs).items():
        print(f"{name:>12} (no database): {_figures(times)}")
    missed = False
    for database in arguments.databases.split(","):
        if database == "postgresql" and not common.postgres_available():
            print("postgresql: not reachable, skipped")
            continue
        common.fresh_database(database)
        result = common.run_child(Path(__file__), database, str(arguments.runs))
        print(
            f"{database}: import of {result['created']} sessions {_figures(result['import'])}; "
            f"re-import {_figures(result['reimport'])}"
        )
        for file_format in ("ical", "frab-xml", "schedule-json"):
            print(f"{database}: export {file_format} {_figures(result[file_format])}")
        missed |= max(result["import"]) > TARGET_SECONDS
    if missed:
        raise SystemExit(f"Import slower than the {TARGET_SECONDS} s target")


if __name__ == "__main__":
    main()
