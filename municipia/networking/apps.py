from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkingConfig(AppConfig):
    name = "municipia.networking"
    label = "networking"
    verbose_name = _("Networking")
