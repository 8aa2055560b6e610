"""Writes of the accounts app: roles, account settings, API tokens, the audit trail."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from . import rules
from .enums import ORGANISATION_ROLES, AuditAction, Role
from .models import AuditEntry, RoleGrant, User


def record_audit(
    *,
    actor: User | None,
    action: AuditAction,
    target: models.Model,
    details: dict | None = None,
) -> AuditEntry:
    """Write one line of the audit trail. The only way audit entries are created."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_repr=str(actor.email) if actor is not None and actor.is_authenticated else "system",
        action=action,
        target_type=target._meta.label,
        target_id=str(target.pk) if target.pk is not None else "",
        target_repr=str(target)[:255],
        details=details or {},
    )


def _check_role_target(role: Role, organisation) -> None:
    from municipia.directory.enums import OrganisationType

    if role in ORGANISATION_ROLES and organisation is None:
        raise ValidationError({"organisation": _("This role is held for an organisation.")})
    if role not in ORGANISATION_ROLES and organisation is not None:
        raise ValidationError({"organisation": _("This role is held platform-wide.")})
    if (
        role == Role.ASSOCIATION_MANAGER
        and organisation.kind != OrganisationType.NATIONAL_ASSOCIATION
    ):
        raise ValidationError(
            {"organisation": _("Association managers are appointed for a national association.")}
        )


@transaction.atomic
def grant_role(*, actor: User | None, user: User, role: Role, organisation=None) -> RoleGrant:
    """Give `user` a role, if `actor` may hand it out; idempotent.

    `actor=None` is the system itself (demo data, management commands)."""
    role = Role(role)
    if actor is not None and not rules.can_grant_role(actor, role, organisation):
        raise PermissionDenied(_("You may not grant this role."))
    _check_role_target(role, organisation)
    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=role, organisation=organisation, defaults={"granted_by": actor}
    )
    if created:
        record_audit(
            actor=actor,
            action=AuditAction.ROLE_GRANTED,
            target=user,
            details={"role": str(role), "organisation": organisation.pk if organisation else None},
        )
        rules.forget_cached_grants(user)
    return grant


@transaction.atomic
def revoke_role(*, actor: User | None, grant: RoleGrant) -> None:
    """Take a role away, if `actor` may."""
    if actor is not None and not rules.can_revoke_role(actor, grant):
        raise PermissionDenied(_("You may not revoke this role."))
    record_audit(
        actor=actor,
        action=AuditAction.ROLE_REVOKED,
        target=grant.user,
        details={"role": grant.role, "organisation": grant.organisation_id},
    )
    grant.delete()
    rules.forget_cached_grants(grant.user)


@transaction.atomic
def set_platform_staff(*, actor: User | None, user: User, is_staff: bool) -> None:
    """Make a user platform staff or take it away; only staff may."""
    if actor is not None and not rules.is_platform_staff(actor):
        raise PermissionDenied(_("Only platform staff may change staff status."))
    if user.is_staff == is_staff:
        return
    user.is_staff = is_staff
    user.save(update_fields=["is_staff", "updated_at"])
    record_audit(
        actor=actor, action=AuditAction.STAFF_CHANGED, target=user, details={"is_staff": is_staff}
    )


def update_account(*, user: User, display_name: str, preferred_language: str) -> User:
    """Change the user's own name and language."""
    user.display_name = display_name.strip()
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "preferred_language", "updated_at"])
    return user


@transaction.atomic
def create_api_token(*, user: User) -> Token:
    """Issue a fresh API token for the user, replacing the previous one."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    record_audit(actor=user, action=AuditAction.API_TOKEN_CREATED, target=user)
    return token


@transaction.atomic
def revoke_api_token(*, user: User) -> None:
    deleted, _count = Token.objects.filter(user=user).delete()
    if deleted:
        record_audit(actor=user, action=AuditAction.API_TOKEN_REVOKED, target=user)
