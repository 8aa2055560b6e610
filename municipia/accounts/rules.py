"""The permission policy of municipia: one function per question.

Views, API permission classes and admin classes call these functions and
nothing else decides who may do what. Each function takes the acting user first
and works for anonymous users (who may do nothing but read public pages).

Role grants are read once per request and cached on the user object
(`_municipia_grants`), so a page that asks many questions costs one query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .enums import Role

if TYPE_CHECKING:
    from municipia.directory.models import Organisation


def _grants(user) -> frozenset[tuple[str, int | None]]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_municipia_grants", None)
    if cached is None:
        cached = frozenset(user.role_grants.values_list("role", "organisation_id"))
        user._municipia_grants = cached
    return cached


def forget_cached_grants(user) -> None:
    """Drop the per-request cache after a grant changed."""
    if hasattr(user, "_municipia_grants"):
        del user._municipia_grants


def is_platform_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def holds_role(user, role: Role, organisation: Organisation | None = None) -> bool:
    organisation_id = organisation.pk if organisation is not None else None
    return (str(role), organisation_id) in _grants(user)


def organisations_with_role(user, *roles: Role) -> set[int]:
    wanted = {str(r) for r in roles}
    return {org_id for role, org_id in _grants(user) if role in wanted and org_id is not None}


def managed_association_ids(user) -> set[int]:
    """National associations the user manages."""
    return organisations_with_role(user, Role.ASSOCIATION_MANAGER)


def editable_organisation_ids(user) -> set[int]:
    """Organisations whose profile the user may edit (staff may edit all; not listed)."""
    return organisations_with_role(user, Role.ORGANISATION_ADMIN, Role.ORGANISATION_EDITOR)


def can_access_admin(user) -> bool:
    return is_platform_staff(user)


def can_view_audit_trail(user) -> bool:
    return is_platform_staff(user)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Admins and editors of the organisation, and platform staff."""
    if is_platform_staff(user):
        return True
    return organisation.pk in editable_organisation_ids(user)


def can_swipe_for(user, organisation: Organisation) -> bool:
    """Who may look for partners, like, pass and save on behalf of an organisation:
    the same people who may edit its profile."""
    return can_edit_organisation(user, organisation)


def _association_ids_of(organisation: Organisation) -> set[int]:
    cached = getattr(organisation, "_municipia_association_ids", None)
    if cached is None:
        cached = set(organisation.member_of.values_list("pk", flat=True))
        organisation._municipia_association_ids = cached
    return cached


def manages_association_of(user, organisation: Organisation) -> bool:
    """True when the user manages a national association the organisation belongs to."""
    managed = managed_association_ids(user)
    return bool(managed) and bool(managed & _association_ids_of(organisation))


def can_verify_organisation(user, organisation: Organisation) -> bool:
    """Staff, or a manager of a national association the organisation is a member of.

    An association cannot vouch for itself."""
    if is_platform_staff(user):
        return True
    return manages_association_of(user, organisation)


def can_grant_role(user, role: Role, organisation: Organisation | None) -> bool:
    """Who may hand out which role.

    - Staff: any role.
    - Organisation admins: admin, editor and member of their own organisation.
    - Association managers: any organisation role in member organisations of their
      association, and further managers of the association itself.
    - Nobody else.
    """
    if is_platform_staff(user):
        return True
    if organisation is None or role not in {
        Role.ASSOCIATION_MANAGER,
        Role.ORGANISATION_ADMIN,
        Role.ORGANISATION_EDITOR,
        Role.MEMBER,
    }:
        return False
    if role == Role.ASSOCIATION_MANAGER:
        return organisation.pk in managed_association_ids(user)
    if holds_role(user, Role.ORGANISATION_ADMIN, organisation):
        return True
    return manages_association_of(user, organisation)


def can_revoke_role(user, grant) -> bool:
    return can_grant_role(user, Role(grant.role), grant.organisation)


def can_organise_events(user) -> bool:
    return is_platform_staff(user) or holds_role(user, Role.EVENT_ORGANISER)


def is_member(user, organisation: Organisation) -> bool:
    """Anyone who holds any role in the organisation counts as one of its members."""
    return any(org_id == organisation.pk for _, org_id in _grants(user))


def can_message_for(user, organisation: Organisation) -> bool:
    """Who may write messages on behalf of an organisation: its admins and
    editors. Staff are not among them unless they hold such a role: they may
    read conversations but not speak for an organisation."""
    return organisation.pk in editable_organisation_ids(user)


def can_read_conversation(user, organisation_ids: tuple[int, int]) -> bool:
    """A conversation between two organisations is read by the admins and
    editors of either, and by platform staff."""
    if is_platform_staff(user):
        return True
    return bool(editable_organisation_ids(user) & set(organisation_ids))


def can_record_partnership(user, organisation: Organisation, partner: Organisation) -> bool:
    """Admins and editors of either organisation, and platform staff."""
    return can_edit_organisation(user, organisation) or can_edit_organisation(user, partner)


def can_bulk_import(user, country: str | None = None) -> bool:
    """Staff import anything; association managers import for their own country
    (the caller passes the country of the rows)."""
    if is_platform_staff(user):
        return True
    if not managed_association_ids(user):
        return False
    if country is None:
        return True
    from municipia.directory.selectors import countries_of_organisations

    return country in countries_of_organisations(ids=managed_association_ids(user))
