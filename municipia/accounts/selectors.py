"""Reads of the accounts app."""

from django.db.models import QuerySet

from .enums import Role
from .models import AuditEntry, RoleGrant, User


def role_grants_of(*, user: User) -> QuerySet[RoleGrant]:
    """The user's roles with their organisations, for the account page and the API."""
    return RoleGrant.objects.filter(user=user).select_related("organisation").order_by("role")


def users_with_role(*, role: str, organisation_id: int | None) -> QuerySet[User]:
    return User.objects.filter(
        role_grants__role=role, role_grants__organisation_id=organisation_id, is_active=True
    ).distinct()


def audit_trail(*, target_type: str | None = None, target_id: str | None = None):
    entries = AuditEntry.objects.select_related("actor")
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    return entries


def account_deletion_blockers(*, user: User) -> list[str]:
    """Why the user may not delete their account yet, in their words (empty:
    they may). Platform staff hand their staff status over first; the last
    administrator of an organisation (or manager of a national association)
    names another first, so that none is left without one."""
    from django.utils.translation import gettext as _

    blockers = []
    if user.is_staff or user.is_superuser:
        blockers.append(
            _(
                "You are platform staff. Ask another staff member to remove your staff "
                "status before you delete your account."
            )
        )
    last_of = {
        Role.ORGANISATION_ADMIN: _(
            "You are the last administrator of %(organisation)s. Give the "
            "administrator role to someone else first."
        ),
        Role.ASSOCIATION_MANAGER: _(
            "You are the last manager of %(organisation)s. Appoint another "
            "association manager first."
        ),
    }
    held = RoleGrant.objects.filter(
        user=user, role__in=list(last_of), organisation__isnull=False
    ).select_related("organisation")
    for grant in held:
        others = (
            RoleGrant.objects.filter(
                role=grant.role,
                organisation_id=grant.organisation_id,
                user__is_active=True,
            )
            .exclude(user=user)
            .exists()
        )
        if not others:
            blockers.append(last_of[grant.role] % {"organisation": grant.organisation.name})
    return blockers
