"""How long `manage.py import_places` takes for all of Europe (~90,000 places)
into a fresh database, and how much memory it needs; then how long the second,
idempotent run takes. Target: ≤ 120 s on SQLite and on PostgreSQL.

    python benchmarks/import_places.py [--databases sqlite,postgresql]

Each database is imported in a child process of its own so that its peak
memory (ru_maxrss, the resident set at its highest) is the import's alone.
The SQLite file and the PostgreSQL database `municipia_bench` are left filled
for benchmarks/directory_search.py.
"""

import argparse
import io
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

TARGET_SECONDS = 120


def child(database: str) -> None:
    common.setup_django()
    from django.core.management import call_command

    from municipia.directory.models import Organisation, OrganisationName

    call_command("migrate", verbosity=0)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    call_command("import_places", stdout=io.StringIO(), stderr=io.StringIO())
    first = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = io.StringIO()
    started = time.perf_counter()
    call_command("import_places", stdout=out, stderr=io.StringIO())
    second = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": round(first, 1),
                "second_run_seconds": round(second, 1),
                "second_run_output": out.getvalue().strip().splitlines()[-1],
                "peak_mb": round(peak / 1024),
                "baseline_mb": round(baseline / 1024),
                "organisations": Organisation.objects.count(),
                "other_names": OrganisationName.objects.count(),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default=",".join(common.DATABASES))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child)
        return
    common.print_machine()
    failed = False
    for database in common.selected_databases(arguments.databases):
        common.fresh_database(database)
        result = common.run_child(Path(__file__), database)
        within = result["seconds"] <= TARGET_SECONDS
        failed |= not within
        print(
            f"{database:10}  import of all Europe: {result['seconds']:6.1f} s "
            f"({'within' if within else 'OVER'} the {TARGET_SECONDS} s target), "
            f"peak memory {result['peak_mb']} MB (process before the import: "
            f"{result['baseline_mb']} MB); {result['organisations']:,} organisations, "
            f"{result['other_names']:,} other names"
        )
        print(
            f"{'':10}  second run: {result['second_run_seconds']:.1f} s, "
            f'"{result["second_run_output"]}"'
        )
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
