from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from municipia.accounts.demo import load_demo_users
from municipia.directory.demo import load_demo_organisations
from municipia.events.demo import load_demo_events
from municipia.funding.demo import load_demo_calls
from municipia.matching.services import rebuild_engine
from municipia.networking.demo import load_demo_networking


class Command(BaseCommand):
    help = _("Load the demo data set (idempotent: running it again refreshes it).")

    def handle(self, *args, **options):
        organisations = load_demo_organisations()
        users = load_demo_users()
        load_demo_calls()
        upcoming = load_demo_events()[-1]
        load_demo_networking()
        # Suggestions are ready when the server starts: the worker would build
        # the engine too, but only after the first visitors asked.
        engine_size = rebuild_engine()
        self.stdout.write(
            _("Matching engine published for %(count)d organisations.") % {"count": engine_size}
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data loaded: %(orgs)d organisations, %(users)d demo accounts.")
                % {"orgs": len(organisations), "users": len(users)}
            )
        )
        self.stdout.write(
            _(
                "Try registration, agendas and meeting requests on the upcoming demo event "
                "“%(title)s” (from %(date)s): %(path)s"
            )
            % {
                "title": upcoming.title,
                "date": upcoming.starts_on.isoformat(),
                "path": upcoming.get_absolute_url(),
            }
        )
