from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _claim_registrations(sender, request, email_address, **kwargs):
    from .services import claim_registrations

    claim_registrations(user=email_address.user, email=email_address.email)


class EventsConfig(AppConfig):
    name = "municipia.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self):
        # Every way an address gets verified (the link sent on sign-up, a password
        # reset, an address added later) sends this signal.
        from allauth.account.signals import email_confirmed

        email_confirmed.connect(_claim_registrations, dispatch_uid="events.claim_registrations")
