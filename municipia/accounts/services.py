"""Writes of the accounts app: roles, account settings, API tokens, the audit trail."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
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
    actor_repr: str | None = None,
    target_repr: str | None = None,
) -> AuditEntry:
    """Write one line of the audit trail. The only way audit entries are created.

    `actor_repr` and `target_repr` replace the e-mail address and `str(target)`
    where those must not be kept (the erasure of an account)."""
    signed_in = actor is not None and actor.is_authenticated
    if actor_repr is None:
        actor_repr = str(actor.email) if signed_in else "system"
    return AuditEntry.objects.create(
        actor=actor if signed_in else None,
        actor_repr=actor_repr,
        action=action,
        target_type=target._meta.label,
        target_id=str(target.pk) if target.pk is not None else "",
        target_repr=(str(target) if target_repr is None else target_repr)[:255],
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


# -- erasure (GDPR article 17) ---------------------------------------------------------


def deleted_user_label(user_id: int) -> str:
    """What the audit trail shows instead of a deleted person's e-mail address."""
    return f"deleted user #{user_id}"


def _withdraw_from_future_event(*, user: User, registration) -> None:
    """Cancel a registration for an event still to come, the way the person
    would themselves: open meeting requests are withdrawn (the other side is
    told), the place and the session places go to the waiting lists. The row
    is then deleted: a future registration of a deleted person serves no one."""
    from municipia.events import services as event_services
    from municipia.networking import services as networking_services
    from municipia.networking.enums import OPEN_REQUEST_STATUSES
    from municipia.networking.models import MeetingRequest

    if registration.is_active:
        open_requests = MeetingRequest.objects.filter(
            models.Q(requester=registration) | models.Q(recipient=registration),
            status__in=OPEN_REQUEST_STATUSES,
        )
        for meeting_request in open_requests:
            # Not the person's to cancel (an unconfirmed registration): the
            # request goes with the registration below.
            with contextlib.suppress(PermissionDenied, ValidationError):
                networking_services.cancel_request(actor=user, meeting_request=meeting_request)
        event_services.cancel_registration(actor=user, registration=registration)
    registration.delete()


def _anonymise_past_registration(*, user: User, registration) -> None:
    """Keep a past registration for the event's records (who came from which
    organisation, session attendance) without the person: name, e-mail, needs,
    position, language, networking profile, blocked times and the texts they
    wrote in meeting requests go; the organisation, status and attendance stay."""
    from municipia.events.models import new_feed_token
    from municipia.networking.models import AvailabilityBlock, MeetingRequest, NetworkingProfile

    registration.user = None
    with translation.override(settings.LANGUAGE_CODE):
        registration.participant_name = _("Deleted participant")
    # Unique per registration, so that the one-active-registration-per-address
    # rule still holds; `.invalid` is a domain that never receives mail.
    registration.participant_email = f"deleted-{registration.pk}@deleted.invalid"
    registration.language = ""
    registration.position = ""
    registration.accessibility_needs = ""
    registration.dietary_needs = ""
    registration.feed_token = new_feed_token()
    registration.save(
        update_fields=[
            "user",
            "participant_name",
            "participant_email",
            "language",
            "position",
            "accessibility_needs",
            "dietary_needs",
            "feed_token",
            "updated_at",
        ]
    )
    NetworkingProfile.objects.filter(registration=registration).delete()
    AvailabilityBlock.objects.filter(registration=registration).delete()
    MeetingRequest.objects.filter(requester=registration).update(message="")
    MeetingRequest.objects.filter(recipient=registration).update(response="")


@transaction.atomic
def delete_account(*, user: User) -> dict[str, int]:
    """Erase the user's account and personal data, in one transaction.

    Refused (ValidationError) while `selectors.account_deletion_blockers`
    names a reason: platform staff and the last administrator of an
    organisation hand over first. What is kept, anonymised, and why is
    described in docs/admin-guide.md ("Deleted accounts"):

    - registrations for events still to come are cancelled (waiting lists move
      up, meeting partners are told) and deleted; past registrations stay for
      the organisers' records without the person's name, e-mail or needs;
    - messages, expressions of interest, partner-matching decisions, recorded
      partnerships, events and calls the person wrote for an organisation stay
      with the organisation and lose their author;
    - a directory entry the organisation keeps about the person is unlinked
      from the account, not deleted (the organisation maintains it);
    - the account, its e-mail addresses, two-factor authenticators, API token,
      roles, notifications, followed calls and alert settings are deleted;
    - the audit trail keeps its lines with "deleted user #<id>" instead of
      the e-mail address, and records the erasure itself without personal data.

    Returns counts for the caller's message (no personal data)."""
    from municipia.events.models import Registration

    from .selectors import account_deletion_blockers

    user = User.objects.select_for_update().get(pk=user.pk)
    # Lock the administrator and manager grants of the person's organisations,
    # so that the last two of one organisation cannot both leave at the same moment.
    stewards = [Role.ORGANISATION_ADMIN, Role.ASSOCIATION_MANAGER]
    administered = RoleGrant.objects.filter(user=user, role__in=stewards).values("organisation_id")
    list(
        RoleGrant.objects.select_for_update().filter(
            role__in=stewards, organisation_id__in=administered
        )
    )
    blockers = account_deletion_blockers(user=user)
    if blockers:
        raise ValidationError(blockers, code="blocked")

    today = timezone.localdate()
    cancelled = anonymised = 0
    for registration in Registration.objects.filter(user=user).select_related("event"):
        if registration.event.ends_on >= today:
            _withdraw_from_future_event(user=user, registration=registration)
            cancelled += 1
        else:
            _anonymise_past_registration(user=user, registration=registration)
            anonymised += 1

    # Requests the person wrote for their delegation, from a colleague's registration.
    from municipia.networking.models import MeetingRequest

    MeetingRequest.objects.filter(created_by=user).update(message="")

    label = deleted_user_label(user.pk)
    AuditEntry.objects.filter(actor=user).update(actor_repr=label)
    AuditEntry.objects.filter(target_type=User._meta.label, target_id=str(user.pk)).update(
        target_repr=label
    )
    summary = {"registrations_cancelled": cancelled, "registrations_anonymised": anonymised}
    record_audit(
        actor=None,
        actor_repr=label,
        action=AuditAction.DELETED,
        target=user,
        target_repr=label,
        details={"erasure": "account deleted by its holder", **summary},
    )
    # Everything else linked to the user goes with the row (CASCADE) or loses
    # its link to it (SET_NULL): see the models' `on_delete`.
    user.delete()
    return summary
