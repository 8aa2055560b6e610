"""manage.py import_networking: a networking exchange document into an event."""

from django.core.management.base import CommandError

from municipia.directory.imports.command import ImportCommand
from municipia.events.models import Event
from municipia.networking import exchange


class Command(ImportCommand):
    help = (
        "Import meeting points, slots, meeting requests, meetings and availability "
        "(docs/networking-format.md) into an event. Every row is checked first; a file "
        "with any problem writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("event", help="Address (slug) of the event")
        super().add_arguments(parser)

    def run_import(self, file, dry_run, **options):
        event = Event.objects.filter(slug=options["event"]).first()
        if event is None:
            raise CommandError(f"No event with the address {options['event']!r}")
        with file.open("rb") as handle:
            return exchange.import_file(actor=None, event=event, file=handle, dry_run=dry_run)
