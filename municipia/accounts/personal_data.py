"""The personal data municipia holds about one person, gathered in one place
(GDPR articles 15 and 20: access and portability).

`personal_data_of` reads every app's rows that belong to the person and
returns plain, JSON-ready data. It is the one list of "what we hold about
you": a model that gains a link to the user belongs here too (and in the
erasure, `services.delete_account`).

Only the person's own data leaves: the people they dealt with appear by the
name the person already sees on their pages (a meeting partner's name, an
organisation), never by their e-mail address or other details. Secrets (the
password hash, API token keys, calendar feed tokens, two-factor secrets)
are never included.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from .models import AuditEntry, User

FORMAT_VERSION = 1


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _account(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "preferred_language": user.preferred_language,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "created_at": _when(user.created_at),
        "updated_at": _when(user.updated_at),
    }


def _email_addresses(user: User) -> list[dict[str, Any]]:
    from allauth.account.models import EmailAddress

    return [
        {"email": row.email, "verified": row.verified, "primary": row.primary}
        for row in EmailAddress.objects.filter(user=user).order_by("email")
    ]


def _two_factor(user: User) -> list[dict[str, Any]]:
    # The kind of each authenticator and when it was set up; never its secret.
    from allauth.mfa.models import Authenticator

    return [
        {
            "type": row.type,
            "created_at": _when(row.created_at),
            "last_used_at": _when(row.last_used_at),
        }
        for row in Authenticator.objects.filter(user=user).order_by("created_at", "pk")
    ]


def _api_tokens(user: User) -> list[dict[str, Any]]:
    # The token key is a secret: only the fact that a token exists and when.
    from rest_framework.authtoken.models import Token

    return [{"created_at": _when(token.created)} for token in Token.objects.filter(user=user)]


def _role_grants(user: User) -> list[dict[str, Any]]:
    from .selectors import role_grants_of

    return [
        {
            "role": grant.role,
            "organisation": grant.organisation.name if grant.organisation else None,
            "granted_at": _when(grant.created_at),
        }
        for grant in role_grants_of(user=user)
    ]


def _directory_person(user: User) -> dict[str, Any] | None:
    from municipia.directory.models import Person

    person = Person.objects.filter(user=user).select_related("organisation").first()
    if person is None:
        return None
    return {
        "organisation": person.organisation.name,
        "name": person.name,
        "position": person.position,
        "title": person.title,
        "email": person.email,
        "phone": person.phone,
        "consent_given_at": _when(person.consent_given_at),
    }


def _notifications(user: User) -> list[dict[str, Any]]:
    from municipia.notifications.models import Notification

    return [
        {
            "kind": row.kind,
            "title": row.title,
            "text": row.body,
            "link": row.url,
            "language": row.language,
            "created_at": _when(row.created_at),
            "read_at": _when(row.read_at),
            "emailed_at": _when(row.emailed_at),
        }
        for row in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
    ]


def _party_label(registration, organisation) -> str:
    if organisation is not None:
        return organisation.name
    return registration.participant_name


def _meeting_requests(registration_ids: list[int]) -> list[dict[str, Any]]:
    from municipia.networking.models import Meeting, MeetingRequest

    requests = (
        MeetingRequest.objects.filter(
            Q(requester_id__in=registration_ids) | Q(recipient_id__in=registration_ids)
        )
        .select_related(
            "event", "requester", "recipient", "requester_organisation", "recipient_organisation"
        )
        .order_by("created_at", "pk")
    )
    meetings = {
        meeting.request_id: meeting
        for meeting in Meeting.objects.filter(request__in=requests).select_related(
            "slot", "meeting_point"
        )
    }
    rows = []
    for request in requests:
        sent = request.requester_id in registration_ids
        meeting = meetings.get(request.pk)
        rows.append(
            {
                "event": request.event.title,
                "direction": "sent" if sent else "received",
                # The other side by the name shown on the networking pages.
                "with": _party_label(request.recipient, request.recipient_organisation)
                if sent
                else _party_label(request.requester, request.requester_organisation),
                "message": request.message,
                "answer": request.response,
                "status": request.status,
                "sent_at": _when(request.created_at),
                "answered_at": _when(request.answered_at),
                "meeting": {
                    "starts_at": _when(meeting.slot.starts_at),
                    "ends_at": _when(meeting.slot.ends_at),
                    "place": meeting.meeting_point.name,
                }
                if meeting is not None
                else None,
            }
        )
    return rows


def _events(user: User) -> dict[str, Any]:
    from municipia.events.models import AgendaItem, Registration
    from municipia.networking.models import AvailabilityBlock, NetworkingProfile

    registrations = list(
        Registration.objects.filter(user=user)
        .select_related("event", "organisation")
        .order_by("created_at", "pk")
    )
    ids = [registration.pk for registration in registrations]
    agenda: dict[int, list] = {}
    for item in (
        AgendaItem.objects.filter(registration_id__in=ids)
        .select_related("session")
        .order_by("session__starts_at", "pk")
    ):
        agenda.setdefault(item.registration_id, []).append(
            {
                "session": item.session.title,
                "starts_at": _when(item.session.starts_at),
                "status": item.status,
                "added_at": _when(item.created_at),
            }
        )
    profiles = {
        profile.registration_id: {
            "open_to_meeting_requests": profile.is_active,
            "topics": profile.topics,
            "languages": profile.languages,
            "mode": profile.mode,
        }
        for profile in NetworkingProfile.objects.filter(registration_id__in=ids)
    }
    blocks: dict[int, list] = {}
    for block in AvailabilityBlock.objects.filter(registration_id__in=ids):
        blocks.setdefault(block.registration_id, []).append(
            {"from": _when(block.starts_at), "until": _when(block.ends_at), "note": block.note}
        )
    return {
        "registrations": [
            {
                "event": registration.event.title,
                "event_first_day": _when(registration.event.starts_on),
                "name": registration.participant_name,
                "email": registration.participant_email,
                "language": registration.language,
                "organisation": registration.organisation.name
                if registration.organisation
                else None,
                "position": registration.position,
                "is_principal": registration.is_principal,
                "accessibility_needs": registration.accessibility_needs,
                "dietary_needs": registration.dietary_needs,
                "consent_given_at": _when(registration.consent_given_at),
                "registered_by_someone_else": registration.registered_by_id not in (None, user.pk),
                "status": registration.status,
                "registered_at": _when(registration.created_at),
                "checked_in_at": _when(registration.checked_in_at),
                "session_sign_ups": agenda.get(registration.pk, []),
                "networking_profile": profiles.get(registration.pk),
                "blocked_times": blocks.get(registration.pk, []),
            }
            for registration in registrations
        ],
        "meeting_requests": _meeting_requests(ids),
    }


def _messages(user: User) -> list[dict[str, Any]]:
    from municipia.partnerships.models import Message

    return [
        {
            "on_behalf_of": message.sender_organisation.name,
            "conversation_between": [
                message.conversation.organisation_a.name,
                message.conversation.organisation_b.name,
            ],
            "text": message.text,
            "sent_at": _when(message.created_at),
        }
        for message in Message.objects.filter(sender=user)
        .select_related(
            "sender_organisation", "conversation__organisation_a", "conversation__organisation_b"
        )
        .order_by("created_at", "pk")
    ]


def _partner_matching(user: User) -> list[dict[str, Any]]:
    from municipia.matching.models import Swipe

    return [
        {
            "for_organisation": swipe.organisation.name,
            "candidate": swipe.candidate.name,
            "decision": swipe.decision,
            "at": _when(swipe.created_at),
        }
        for swipe in Swipe.objects.filter(by=user)
        .select_related("organisation", "candidate")
        .order_by("created_at", "pk")
    ]


def _funding(user: User) -> dict[str, Any]:
    from municipia.funding.models import DeadlineAlertSettings, ExpressionOfInterest, FundingCall

    alerts = DeadlineAlertSettings.objects.filter(user=user).first()
    return {
        "followed_calls": list(
            FundingCall.objects.filter(followers=user)
            .order_by("pk")
            .values_list("title", flat=True)
        ),
        # The calendar feed token is a secret: only the reminder days.
        "deadline_alert_settings": {"days_before": alerts.days_before} if alerts else None,
        "expressions_of_interest": [
            {
                "partner_search": interest.search.title,
                "on_behalf_of": interest.organisation.name,
                "message": interest.message,
                "status": interest.status,
                "sent_at": _when(interest.created_at),
            }
            for interest in ExpressionOfInterest.objects.filter(created_by=user)
            .select_related("search", "organisation")
            .order_by("created_at", "pk")
        ],
    }


def _audit_trail(user: User) -> list[dict[str, Any]]:
    # The sensitive changes made by the person or to their account. Entries
    # about other people that the person made (a role they granted) are listed
    # by action and type only, without the other person's name.
    rows = []
    for entry in AuditEntry.objects.filter(
        Q(actor=user) | Q(target_type=User._meta.label, target_id=str(user.pk))
    ).order_by("created_at", "pk"):
        about_self = entry.target_type == User._meta.label and entry.target_id == str(user.pk)
        rows.append(
            {
                "action": entry.action,
                "by_you": entry.actor_id == user.pk,
                "about": "your account" if about_self else entry.target_type,
                "details": entry.details if about_self else {},
                "at": _when(entry.created_at),
            }
        )
    return rows


def personal_data_of(*, user: User) -> dict[str, Any]:
    """Everything municipia holds about `user`, as JSON-ready data: the
    account, its e-mail addresses and roles, notifications, event
    registrations with session sign-ups and networking, messages sent,
    partner-matching decisions, funding follow-ups and the audit entries
    about the account. Never a secret, never another person's contact data."""
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": _when(timezone.now()),
        "account": _account(user),
        "email_addresses": _email_addresses(user),
        "two_factor_authenticators": _two_factor(user),
        "api_tokens": _api_tokens(user),
        "role_grants": _role_grants(user),
        "directory_entry": _directory_person(user),
        "notifications": _notifications(user),
        "events": _events(user),
        "messages_sent": _messages(user),
        "partner_matching_decisions": _partner_matching(user),
        "funding": _funding(user),
        "audit_trail": _audit_trail(user),
    }
