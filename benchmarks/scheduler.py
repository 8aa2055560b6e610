"""The meeting scheduler of the networking centre (pure, no database) on
generated instances, against the targets of issue 6:

- 1,000 participants, 10,000 accepted requests, 30 slots, 200 tables: at
  least 99 % of the proven bound within 60 s on 2 cores, more meetings than
  the first-come-first-served greedy;
- 300 participants, 2,000 requests (30 slots, 60 tables: the same tables per
  participant): proven optimal within 10 s.

    python benchmarks/scheduler.py [--seeds 1 2 3] [--workers 2]

Each run is ``manage.py benchmark_scheduler ... --json`` in a child process
(its figures are printed as they come); the script exits non-zero when a
target is missed. THE INSTANCES ARE GENERATED (municipia.networking
.scheduler.generate), reproducible by seed; nothing is written anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SIZES = (
    # name, participants, requests, slots, tables, time limit, target
    ("large", 1000, 10000, 30, 200, 60, "ratio"),
    ("medium", 300, 2000, 30, 60, 10, "optimal"),
)


def run(participants, requests, slots, tables, time_limit, seed, workers) -> dict:
    command = [
        sys.executable,
        str(common.ROOT / "manage.py"),
        "benchmark_scheduler",
        f"--participants={participants}",
        f"--requests={requests}",
        f"--slots={slots}",
        f"--tables={tables}",
        f"--seed={seed}",
        f"--time-limit={time_limit}",
        f"--workers={workers}",
        "--json",
    ]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "municipia.settings"}
    output = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        command, check=True, capture_output=True, text=True, cwd=common.ROOT, env=env
    ).stdout
    lines = output.strip().splitlines()
    for line in lines[:-1]:
        print("   ", line)
    return json.loads(lines[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    common.print_machine()
    missed = []
    for name, participants, requests, slots, tables, limit, target in SIZES:
        for seed in options.seeds:
            print(f"{name}: {participants} participants, {requests} requests, seed {seed}")
            result = run(participants, requests, slots, tables, limit, seed, options.workers)
            ratio = result["weighted"] / result["bound"] if result["bound"] else 1.0
            print(
                f"  -> {result['scheduled']} meetings (greedy {result['greedy_scheduled']}), "
                f"bound {result['bound']:g}, {100 * ratio:.2f} %, {result['status']}, "
                f"{result['seconds']} s"
            )
            if result["seconds"] > limit:
                missed.append(f"{name} seed {seed}: {result['seconds']} s > {limit} s")
            if target == "ratio" and (
                ratio < 0.99 or result["scheduled"] <= result["greedy_scheduled"]
            ):
                missed.append(f"{name} seed {seed}: {100 * ratio:.2f} % of the bound")
            if target == "optimal" and result["status"] != "OPTIMAL":
                missed.append(f"{name} seed {seed}: not proven optimal ({result['status']})")
    for line in missed:
        print("MISSED:", line)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
