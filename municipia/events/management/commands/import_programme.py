"""manage.py import_programme FILE --event SLUG: a frab XML or schedule.json
programme into an event (format detected by content; all-or-nothing)."""

from django.core.management.base import CommandError

from municipia.directory.imports.command import ImportCommand
from municipia.events.models import Event
from municipia.events.programme_io import import_programme


class Command(ImportCommand):
    help = (
        "Import a programme (frab/Pentabarf schedule.xml or c3voc schedule.json, as pretalx "
        "and frab export it) into an event. Re-importing updates the sessions by their guid "
        "and adds no duplicates; a file that cannot be read writes nothing."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--event", required=True, help="Address (slug) of the event.")

    def run_import(self, file, dry_run, *, event, **options):
        target = Event.objects.filter(slug=event).first()
        if target is None:
            raise CommandError(f"No event with the address “{event}”.")
        report = import_programme(event=target, data=file.read_bytes(), dry_run=dry_run)
        for warning in report.warnings:
            self.stderr.write(f"Warning: {warning}")
        if report.ok:
            self.stdout.write(
                f"{report.format}: {report.rows} session(s) read, {report.skipped} skipped; "
                f"{report.rooms_created} room(s) and {report.days_created} day(s) created; "
                f"{report.not_in_file} session(s) of the event not in the file (kept)."
            )
        return report
