"""Benchmark of the meeting scheduler on a generated instance (no database)."""

import json
import os
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from municipia.networking.scheduler import schedule
from municipia.networking.scheduler.generate import generate


class Command(BaseCommand):
    help = (
        "Schedule a generated networking centre (skewed requests, sessions in "
        "agendas) and print the figures; with --json the last line is JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=1000)
        parser.add_argument("--requests", type=int, default=10000)
        parser.add_argument("--slots", type=int, default=30)
        parser.add_argument("--tables", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--time-limit", type=float, default=60.0)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--weighted", action="store_true", help="priorities 1–3 instead of all 1"
        )
        parser.add_argument(
            "--no-gaps", action="store_true", help="only maximise meetings (one solve)"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            problem = generate(
                participants=options["participants"],
                requests=options["requests"],
                slots=options["slots"],
                tables=options["tables"],
                seed=options["seed"],
                weighted=options["weighted"],
                time_limit=options["time_limit"],
                workers=options["workers"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        problem.minimise_gaps = not options["no_gaps"]
        load = os.getloadavg()[0]
        started = time.perf_counter()
        solution = schedule(problem)
        seconds = time.perf_counter() - started
        parties = len({participant.party_id for participant in problem.participants})
        reasons = Counter(item.reason.value for item in solution.unscheduled.values())
        write = self.stdout.write
        write(
            f"Instance: {len(problem.participants)} participants in {parties} parties, "
            f"{len(problem.requests)} requests, {len(problem.slots)} slots, "
            f"{len(problem.tables)} tables, seed {problem.seed}, "
            f"{problem.workers} workers, time limit {problem.time_limit:g} s"
        )
        write(f"Greedy (first come, first served): {solution.greedy_scheduled} meetings")
        write(
            f"Scheduler: {solution.scheduled} meetings (weighted {solution.weighted}), "
            f"status {solution.status}, in {seconds:.1f} s"
        )
        write(
            f"Proven bound: {solution.bound:g} (linear relaxation {solution.lp_bound}); "
            f"{100 * solution.ratio_to_bound:.2f} % of the bound"
        )
        write(f"Idle slots between meetings: {solution.idle_gaps} ({solution.gaps_status})")
        used = sum(solution.table_use.values())
        write(f"Table use: {used} of {len(problem.tables) * len(problem.slots)} table-slots")
        write("Unscheduled: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
        write("Steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in solution.stages.items()))
        write(f"Load average at the start: {load:.2f}")
        if options["json"]:
            write(
                json.dumps(
                    {
                        "requests": len(problem.requests),
                        "scheduled": solution.scheduled,
                        "bound": solution.bound,
                        "greedy_scheduled": solution.greedy_scheduled,
                        "seconds": round(seconds, 2),
                        "weighted": solution.weighted,
                        "status": solution.status,
                        "idle_gaps": solution.idle_gaps,
                    }
                )
            )
