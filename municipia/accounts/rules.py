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


# -- funding ---------------------------------------------------------------------------

# Organisations that publish funding calls besides platform staff: funders and
# intermediaries (partner organisations, networks, national associations), never a
# local government, which applies to calls.
CALL_PUBLISHER_KINDS = frozenset({"partner", "network", "national_association"})


def can_publish_call(user, organisation: Organisation | None = None) -> bool:
    """Staff publish calls for anyone (or for no organisation); admins and editors
    of a partner organisation, network or national association publish for it."""
    if is_platform_staff(user):
        return True
    if organisation is None:
        return False
    return (
        organisation.kind in CALL_PUBLISHER_KINDS
        and organisation.pk in editable_organisation_ids(user)
    )


def publishing_organisation_ids(user) -> set[int]:
    """Organisations the user may publish calls for (a query only when they edit some)."""
    ids = editable_organisation_ids(user)
    if not ids:
        return set()
    from municipia.directory.models import Organisation

    return set(
        Organisation.objects.filter(pk__in=ids, kind__in=CALL_PUBLISHER_KINDS).values_list(
            "pk", flat=True
        )
    )


def can_edit_call(user, call) -> bool:
    """Staff, and the admins and editors of the organisation that published it."""
    if is_platform_staff(user):
        return True
    return (
        call.published_by_organisation_id is not None
        and call.published_by_organisation_id in editable_organisation_ids(user)
    )


def can_view_call(user, call) -> bool:
    """Open and closed calls are public; drafts only for those who may edit them."""
    return call.status != "draft" or can_edit_call(user, call)


def can_publish_partner_search(user, organisation: Organisation) -> bool:
    """Admins and editors of the organisation, and platform staff."""
    return can_edit_organisation(user, organisation)


def can_manage_partner_search(user, search) -> bool:
    """Shortlist, invite, decline, close: whoever may edit the owner's profile."""
    return can_edit_organisation(user, search.owner)


def can_express_interest_for(user, organisation: Organisation) -> bool:
    """Admins and editors speak for their organisation; staff do not, unless they
    hold such a role (as for messages)."""
    return can_message_for(user, organisation)


def can_build_consortium_for(user, lead: Organisation) -> bool:
    """Whoever prepares the organisation's applications: its admins and editors,
    and platform staff."""
    return can_edit_organisation(user, lead)


# -- events ----------------------------------------------------------------------------


def _event_organiser_ids(event) -> set[int]:
    """The organisations that run the event, read once per event object."""
    cached = getattr(event, "_municipia_organiser_ids", None)
    if cached is None:
        cached = {organisation.pk for organisation in event.organisers.all()}
        event._municipia_organiser_ids = cached
    return cached


def member_organisation_ids(user) -> set[int]:
    """Organisations in which the user holds any role."""
    return {org_id for _, org_id in _grants(user) if org_id is not None}


def is_network_member(user) -> bool:
    """Anyone who holds a role in an organisation of the network."""
    return any(org_id is not None for _, org_id in _grants(user))


def can_manage_event(user, event) -> bool:
    """Staff; the event organiser who created the event; event organisers who
    belong to one of its organising organisations; admins of those organisations."""
    if is_platform_staff(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    organiser_ids = _event_organiser_ids(event)
    if can_organise_events(user):
        if event.created_by_id == user.pk:
            return True
        if any(org_id in organiser_ids for _, org_id in _grants(user)):
            return True
    return bool(organiser_ids & organisations_with_role(user, Role.ORGANISATION_ADMIN))


def _has_registration(user, event, *, active_only: bool) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    from municipia.events.enums import ACTIVE_REGISTRATION_STATUSES

    registrations = event.registrations.filter(user=user)
    if active_only:
        registrations = registrations.filter(status__in=ACTIVE_REGISTRATION_STATUSES)
    return registrations.exists()


def can_view_event(user, event) -> bool:
    """Published public events are public; members-only events are for members of
    the network; invitation events for the people invited (registered by the
    organisers). Those who manage the event see it before it is published."""
    if can_manage_event(user, event):
        return True
    if not event.is_published:
        return False
    if event.visibility == "public":
        return True
    if event.visibility == "members":
        return is_network_member(user) or _has_registration(user, event, active_only=False)
    return _has_registration(user, event, active_only=False)


def can_register_for(user, event) -> bool:
    """Who may register themselves: signed-in users who may see the event, except
    for invitation events, where the organisers register the invited people.
    (Whether registration is open is checked by the service, not here.)"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if can_manage_event(user, event):
        return True
    if not event.is_published or event.visibility == "invitation":
        return False
    return can_view_event(user, event)


def can_register_delegation(user, event, organisation: Organisation | None) -> bool:
    """Registering someone else (an officer registering their mayor): the event's
    managers for anyone; admins and editors of an organisation for its people."""
    if can_manage_event(user, event):
        return True
    if organisation is None or not can_register_for(user, event):
        return False
    return organisation.pk in editable_organisation_ids(user)


def can_act_for_registration(user, registration) -> bool:
    """Cancel, change the agenda of, or read the feed link of a registration: the
    participant, whoever registered them, and the event's managers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.pk in (registration.user_id, registration.registered_by_id):
        return True
    return can_manage_event(user, registration.event)


def can_view_participants(user, event) -> bool:
    """Participant lists hold personal data (needs, e-mails): managers only."""
    return can_manage_event(user, event)


def registration_may_join(registration, session) -> bool:
    """The audience rule of a session applied to one registration."""
    if registration is None or registration.status != "confirmed":
        return False
    if registration.event_id != session.event_id:
        return False
    if session.audience == "principals":
        return registration.is_principal
    if session.audience == "invited":
        if "invited" in getattr(session, "_prefetched_objects_cache", {}):
            return any(r.pk == registration.pk for r in session.invited.all())
        return session.invited.filter(pk=registration.pk).exists()
    return True


_NOT_GIVEN = object()


def can_see_online_link(user, session, registration=_NOT_GIVEN) -> bool:
    """The online link of a session goes only to the confirmed participants it
    is open to (and the event's managers); callers that already hold the user's
    registration pass it to save a query."""
    if not session.effective_online_url:
        return False
    if can_manage_event(user, session.event):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if registration is _NOT_GIVEN:
        from municipia.events.enums import RegistrationStatus

        registration = session.event.registrations.filter(
            user=user, status=RegistrationStatus.CONFIRMED
        ).first()
    if registration is not None and registration.user_id != user.pk:
        registration = None
    if session.audience == "public":
        return registration is not None and registration.status == "confirmed"
    return registration_may_join(registration, session)


# -- networking ------------------------------------------------------------------------


def can_manage_networking(user, event) -> bool:
    """The meeting grid, tables, scheduler runs and dashboard: the event's managers."""
    return can_manage_event(user, event)


def can_network_as(user, registration) -> bool:
    """Opt in, send and answer meeting requests, block times for a registration:
    the participant (or whoever registered them) while the registration is
    confirmed, and the event's managers."""
    if registration is None or registration.status != "confirmed":
        return False
    return can_act_for_registration(user, registration)


def speaks_for_delegation(registration) -> bool:
    """Whether a confirmed registration counts as a member of its organisation's
    delegation at the event (sends requests as the delegation, reads and answers
    the delegation's): its participant holds a role in that organisation, or was
    registered by an administrator or editor of it (an officer registering their
    mayor) or by the event's managers. The organisation participants name for
    themselves when registering is not proof enough."""
    organisation_id = registration.organisation_id
    if organisation_id is None or registration.status != "confirmed":
        return False
    participant = registration.user
    if participant is not None and organisation_id in member_organisation_ids(participant):
        return True
    registrar = registration.registered_by
    if registrar is None or registrar.pk == registration.user_id:
        return False
    return organisation_id in editable_organisation_ids(registrar) or can_manage_event(
        registrar, registration.event
    )


def can_network_for_side(user, registration, delegation_organisation_id=None) -> bool:
    """Act for one side of a meeting request: as its registration, or — when
    the side is a delegation — as any confirmed member of that delegation who
    speaks for it (`speaks_for_delegation`)."""
    if can_network_as(user, registration):
        return True
    if delegation_organisation_id is None or not getattr(user, "is_authenticated", False):
        return False
    own = registration.event.registrations.filter(
        user=user, status="confirmed", organisation_id=delegation_organisation_id
    ).select_related("user", "registered_by", "event")
    return any(speaks_for_delegation(r) for r in own)


def can_view_meeting_request(user, meeting_request) -> bool:
    """Either side of a request (for a delegation, any of its members) and the
    event's managers."""
    return can_network_for_side(
        user, meeting_request.requester, meeting_request.requester_organisation_id
    ) or can_network_for_side(
        user, meeting_request.recipient, meeting_request.recipient_organisation_id
    )
