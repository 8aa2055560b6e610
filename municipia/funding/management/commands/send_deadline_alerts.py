from django.core.management.base import BaseCommand

from municipia.funding.tasks import send_deadline_alerts


class Command(BaseCommand):
    help = (
        "Queue the deadline reminders of followed funding calls. Run it from cron every "
        "hour; reminders already sent are not sent again."
    )

    def handle(self, *args, **options):
        result = send_deadline_alerts.enqueue()
        self.stdout.write(f"Deadline alerts queued ({result.id}).")
