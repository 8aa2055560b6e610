"""manage.py export_networking: an event's networking centre as an exchange document."""

import json

from django.core.management.base import BaseCommand, CommandError

from municipia.events.models import Event
from municipia.networking import exchange


class Command(BaseCommand):
    help = (
        "Write an event's meeting points, slots, requests, meetings and availability in the "
        "networking exchange format (docs/networking-format.md) to standard output or a file."
    )

    def add_arguments(self, parser):
        parser.add_argument("event", help="Address (slug) of the event")
        parser.add_argument("--output", "-o", help="File to write (default: standard output)")

    def handle(self, *args, event, output=None, **options):
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event with the address {event!r}")
        text = json.dumps(exchange.export_event(found), ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)
