from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from municipia.accounts.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = _("Print the demo accounts and their password.")

    def handle(self, *args, **options):
        self.stdout.write(
            _("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for email, purpose, _role, _organisation in DEMO_USERS:
            self.stdout.write(f"  {purpose:<22} {email}")
