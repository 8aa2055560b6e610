from django.core.management.base import BaseCommand

from municipia.networking.services import expire_requests


class Command(BaseCommand):
    help = "Expire meeting requests left unanswered after the organisers' deadline."

    def handle(self, *args, **options):
        count = expire_requests()
        self.stdout.write(f"{count} meeting request(s) expired")
