"""Reads of the accounts app."""

from django.db.models import QuerySet

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
