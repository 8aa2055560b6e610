from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from municipia.accounts.demo import load_demo_users
from municipia.directory.demo import load_demo_organisations
from municipia.events.demo import load_demo_events
from municipia.funding.demo import load_demo_calls
from municipia.networking.demo import load_demo_networking


class Command(BaseCommand):
    help = _("Load the demo data set (idempotent: running it again refreshes it).")

    def handle(self, *args, **options):
        organisations = load_demo_organisations()
        users = load_demo_users()
        load_demo_calls()
        load_demo_events()
        load_demo_networking()
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data loaded: %(orgs)d organisations, %(users)d demo accounts.")
                % {"orgs": len(organisations), "users": len(users)}
            )
        )
