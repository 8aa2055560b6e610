from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles a user holds, most of them for one organisation.

    Platform staff is not a grant: it is Django's `is_staff` flag, given only
    through the admin or `createsuperuser`.
    """

    ASSOCIATION_MANAGER = "association_manager", _("Association manager")
    ORGANISATION_ADMIN = "organisation_admin", _("Organisation administrator")
    ORGANISATION_EDITOR = "organisation_editor", _("Organisation editor")
    MEMBER = "member", _("Member")
    EVENT_ORGANISER = "event_organiser", _("Event organiser")


# Roles held for an organisation; the others are platform-wide.
ORGANISATION_ROLES = frozenset(
    {Role.ASSOCIATION_MANAGER, Role.ORGANISATION_ADMIN, Role.ORGANISATION_EDITOR, Role.MEMBER}
)


class AuditAction(models.TextChoices):
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REVOKED = "role_revoked", _("Role revoked")
    STAFF_CHANGED = "staff_changed", _("Platform staff status changed")
    ORGANISATION_VERIFIED = "organisation_verified", _("Organisation verified")
    ORGANISATION_UNVERIFIED = "organisation_unverified", _("Organisation verification withdrawn")
    DELETED = "deleted", _("Deleted")
    API_TOKEN_CREATED = "api_token_created", _("API token created")
    API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
