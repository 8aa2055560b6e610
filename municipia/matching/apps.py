from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "municipia.matching"
    label = "matching"
    verbose_name = _("Matchmaking")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
