"""Build the matching engine from the current directory and partnerships, and
optionally recompute every organisation's best candidates (the full recompute)."""

import csv
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from municipia.matching import selectors
from municipia.matching.engine.blocks import top_candidates_for_all
from municipia.matching.exposure import forget_old_exposure
from municipia.matching.services import rebuild_engine


class Command(BaseCommand):
    help = (
        "Build the matching engine from the directory (warms this process, checks the data) "
        "and remove old exposure counts; with --top K, also compute the best K candidates of "
        "every organisation, without filters, and report how long it took."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--top",
            type=int,
            default=0,
            metavar="K",
            help="recompute the best K candidates of every organisation (e.g. 50)",
        )
        parser.add_argument(
            "--workers", type=int, default=2, help="threads for the recompute (default 2)"
        )
        parser.add_argument(
            "--output",
            type=Path,
            help="write the recomputed lists as CSV: organisation,rank,candidate,score",
        )

    def handle(self, *args, **options):
        top, workers, output = options["top"], options["workers"], options["output"]
        if top < 0 or workers < 1:
            raise CommandError("--top must be 0 or more and --workers 1 or more.")
        if output and not top:
            raise CommandError("--output writes the lists of --top: give --top K too.")
        started = time.perf_counter()
        count = rebuild_engine()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Matching engine built: {count} organisations in {seconds:.1f} s.")
        pruned = forget_old_exposure()
        self.stdout.write(f"Exposure counts older than four weeks removed: {pruned} day rows.")
        if top:
            self._recompute(top, workers, output)

    def _recompute(self, k: int, workers: int, output: Path | None) -> None:
        engine = selectors.current_engine()
        started = time.perf_counter()
        found = top_candidates_for_all(engine, k=k, workers=workers)
        seconds = time.perf_counter() - started
        listed = int((found.candidates >= 0).sum())
        self.stdout.write(
            f"Best {k} candidates of {len(found.sources)} organisations recomputed in "
            f"{seconds:.1f} s ({workers} workers): {listed} suggestions."
        )
        if output is None:
            return
        ids = [p.id for p in engine.profiles]
        with open(output, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["organisation", "rank", "candidate", "score"])
            for source, candidates, scores in zip(
                found.sources, found.candidates, found.scores, strict=True
            ):
                for rank, (candidate, score) in enumerate(
                    zip(candidates, scores, strict=True), start=1
                ):
                    if candidate < 0:
                        break
                    writer.writerow([ids[source], rank, ids[candidate], f"{score:.6f}"])
        self.stdout.write(f"Lists written to {output}.")
