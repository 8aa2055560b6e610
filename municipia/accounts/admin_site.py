from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

from . import rules


class PolicyAdminSite(admin.AdminSite):
    """The admin asks the same policy as the rest of municipia."""

    site_header = _("municipia administration")
    site_title = _("municipia administration")

    def has_permission(self, request):
        return rules.can_access_admin(request.user)


class MunicipiaAdminConfig(AdminConfig):
    default_site = "municipia.accounts.admin_site.PolicyAdminSite"
