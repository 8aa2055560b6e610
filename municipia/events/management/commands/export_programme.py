"""manage.py export_programme SLUG --format ical|frab-xml|schedule-json: the
programme of an event on standard output."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from municipia.events.models import Event
from municipia.events.programme_io import FORMATS, export_programme


class Command(BaseCommand):
    help = (
        "Write the programme of an event to standard output as iCalendar, frab/Pentabarf "
        "schedule.xml or c3voc schedule.json. Online links are never exported."
    )

    def add_arguments(self, parser):
        parser.add_argument("event", help="Address (slug) of the event.")
        parser.add_argument("--format", choices=FORMATS, required=True, dest="file_format")
        parser.add_argument(
            "--base-url",
            default="",
            help="Address of the site for the links in the file (default: SITE_URL).",
        )

    def handle(self, *args, event, file_format, base_url, **options):
        target = Event.objects.filter(slug=event).first()
        if target is None:
            raise CommandError(f"No event with the address “{event}”.")
        # Links in the site's default language, whatever the caller had active.
        with translation.override(settings.LANGUAGE_CODE):
            text = export_programme(target, file_format, base_url=base_url)
        self.stdout.write(text, ending="")
