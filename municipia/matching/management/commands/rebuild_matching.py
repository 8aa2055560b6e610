"""Build the matching engine from the current directory and partnerships."""

import time

from django.core.management.base import BaseCommand

from municipia.matching.exposure import forget_old_exposure
from municipia.matching.services import rebuild_engine


class Command(BaseCommand):
    help = (
        "Build the matching engine from the directory (warms this process, checks the data) "
        "and remove old exposure counts."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = rebuild_engine()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Matching engine built: {count} organisations in {seconds:.1f} s.")
        pruned = forget_old_exposure()
        self.stdout.write(f"Exposure counts older than four weeks removed: {pruned} day rows.")
