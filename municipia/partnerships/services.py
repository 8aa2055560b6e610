"""Writes of partnerships and conversations.

Every service takes the acting user as `actor` (None for the system: imports,
matching), asks `municipia.accounts.rules` whether the actor may act, and raises
PermissionDenied or ValidationError (with field names) otherwise.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from municipia.accounts import rules
from municipia.accounts.enums import Role
from municipia.accounts.limits import over_rate_limit
from municipia.accounts.selectors import users_with_role
from municipia.directory.models import Organisation
from municipia.notifications.services import notify
from municipia.taxonomy.models import Theme

from .enums import STATUS_TRANSITIONS, PartnershipKind, PartnershipStatus
from .models import Conversation, ConversationReadMark, Message, Partnership

MAX_MESSAGE_LENGTH = 5000
MESSAGE_RATE_LIMIT = 30
MESSAGE_RATE_WINDOW = 10 * 60
EDITOR_ROLES = (Role.ORGANISATION_ADMIN, Role.ORGANISATION_EDITOR)


def _ordered(first: Organisation, second: Organisation) -> tuple[Organisation, Organisation]:
    if first.pk == second.pk:
        raise ValidationError(
            {"partner": _("An organisation cannot be its own partner.")}, code="same"
        )
    return (first, second) if first.pk < second.pk else (second, first)


def _editors_of(organisation: Organisation):
    users = {}
    for role in EDITOR_ROLES:
        for user in users_with_role(role=role, organisation_id=organisation.pk):
            users[user.pk] = user
    return list(users.values())


# -- partnerships --------------------------------------------------------------------


def _themes(codes_or_themes: Iterable) -> list[Theme]:
    items = list(codes_or_themes)
    codes = [item.code if isinstance(item, Theme) else str(item) for item in items]
    themes = {theme.code: theme for theme in Theme.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in themes]
    if unknown:
        raise ValidationError(
            {"themes": _("Unknown themes: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return [themes[code] for code in codes]


def _check_choice(value: str, choices, field: str) -> None:
    if value not in choices.values:
        raise ValidationError(
            {
                field: _("“%(value)s” is not one of %(choices)s.")
                % {"value": value, "choices": ", ".join(choices.values)}
            },
            code="invalid_choice",
        )


@transaction.atomic
def record_partnership(
    *,
    actor,
    organisation: Organisation,
    partner: Organisation,
    kind: str,
    themes: Iterable = (),
    started_on: datetime.date | None = None,
    status: str = PartnershipStatus.EXPLORING,
    match=None,
) -> Partnership:
    """Record a partnership between two organisations, by an admin or editor of
    either or by staff. There is one partnership per pair and kind: recording
    it again is a ValidationError (edit the existing one instead). The other
    side's admins and editors are told in the app."""
    if actor is not None and not rules.can_record_partnership(actor, organisation, partner):
        raise PermissionDenied(_("You may not record partnerships for these organisations."))
    low, high = _ordered(organisation, partner)
    _check_choice(kind, PartnershipKind, "kind")
    _check_choice(status, PartnershipStatus, "status")
    theme_list = _themes(themes)
    if Partnership.objects.filter(organisation_a=low, organisation_b=high, kind=kind).exists():
        raise ValidationError(
            {"partner": _("This partnership is already recorded.")}, code="duplicate"
        )
    try:
        with transaction.atomic():
            partnership = Partnership.objects.create(
                organisation_a=low,
                organisation_b=high,
                kind=kind,
                started_on=started_on,
                status=status,
                match=match,
                recorded_by=actor,
            )
    except IntegrityError:  # recorded by the other side at the same moment
        raise ValidationError(
            {"partner": _("This partnership is already recorded.")}, code="duplicate"
        ) from None
    partnership.themes.set(theme_list)
    if actor is not None:
        _notify_recorded(partnership, actor=actor, recorded_for=organisation)
    return partnership


def _notify_recorded(partnership: Partnership, *, actor, recorded_for: Organisation) -> None:
    other = partnership.other(recorded_for.pk)
    for user in _editors_of(other):
        if user.pk == actor.pk:
            continue
        notify(
            recipient=user,
            kind="partnerships.recorded",
            title=lambda: (
                _("%(name)s recorded a partnership with %(own)s")
                % {"name": recorded_for.name, "own": other.name}
            ),
            url=other.get_absolute_url,
            email=False,
        )


def _check_can_edit(actor, partnership: Partnership) -> None:
    if actor is not None and not rules.can_record_partnership(
        actor, partnership.organisation_a, partnership.organisation_b
    ):
        raise PermissionDenied(_("You may not edit this partnership."))


def _check_transition(partnership: Partnership, status: str) -> None:
    _check_choice(status, PartnershipStatus, "status")
    if status != partnership.status and status not in STATUS_TRANSITIONS[partnership.status]:
        raise ValidationError(
            {
                "status": _("A partnership that is “%(current)s” cannot become “%(new)s”.")
                % {
                    "current": PartnershipStatus(partnership.status).label,
                    "new": PartnershipStatus(status).label,
                }
            },
            code="transition",
        )


@transaction.atomic
def update_partnership_status(*, actor, partnership: Partnership, status: str) -> Partnership:
    """Move a partnership along exploring → active → dormant → ended (see
    `enums.STATUS_TRANSITIONS`)."""
    _check_can_edit(actor, partnership)
    _check_transition(partnership, status)
    if status != partnership.status:
        partnership.status = status
        partnership.save(update_fields=["status", "updated_at"])
    return partnership


_UNSET = object()


@transaction.atomic
def update_partnership(
    *,
    actor,
    partnership: Partnership,
    status: str | None = None,
    started_on=_UNSET,
    themes: Iterable | None = None,
) -> Partnership:
    """Change the status (along the allowed transitions), start date or themes
    of a partnership; what is not given stays."""
    _check_can_edit(actor, partnership)
    fields = []
    if status is not None and status != partnership.status:
        _check_transition(partnership, status)
        partnership.status = status
        fields.append("status")
    if started_on is not _UNSET and started_on != partnership.started_on:
        partnership.started_on = started_on
        fields.append("started_on")
    if fields:
        partnership.save(update_fields=[*fields, "updated_at"])
    if themes is not None:
        partnership.themes.set(_themes(themes))
    return partnership


# -- conversations -------------------------------------------------------------------


@transaction.atomic
def open_conversation(
    *, organisations: tuple[Organisation, Organisation], match=None
) -> Conversation:
    """The conversation between two organisations, created if there is none:
    there is one per unordered pair, whoever opens it. A `match` is remembered
    on a conversation that has none yet. No permission check: callers (matching,
    `start_conversation`) decide who may open one."""
    low, high = _ordered(*organisations)
    # get_or_create also survives the other side opening it at the same moment.
    conversation, _created = Conversation.objects.get_or_create(
        organisation_a=low, organisation_b=high, defaults={"match": match}
    )
    if match is not None and conversation.match_id is None:
        conversation.match = match
        conversation.save(update_fields=["match", "updated_at"])
    return conversation


def start_conversation(*, actor, organisation: Organisation, partner: Organisation) -> Conversation:
    """Open (or find) the conversation of `organisation`, for which `actor`
    writes, with `partner`."""
    if not rules.can_message_for(actor, organisation):
        raise PermissionDenied(_("You may not write on behalf of this organisation."))
    return open_conversation(organisations=(organisation, partner))


def _check_rate(actor) -> None:
    # A fixed window per user: the first message opens it, the 31st within it
    # is refused.
    if over_rate_limit(
        action="message", user=actor, limit=MESSAGE_RATE_LIMIT, window=MESSAGE_RATE_WINDOW
    ):
        message = _(
            "You have sent %(count)d messages in the last %(minutes)d minutes; "
            "please wait a few minutes before sending more."
        ) % {"count": MESSAGE_RATE_LIMIT, "minutes": MESSAGE_RATE_WINDOW // 60}
        raise ValidationError({"text": ValidationError(message, code="rate_limited")})


def _sender_organisation(actor, conversation: Conversation, organisation) -> Organisation:
    sides = [conversation.organisation_a, conversation.organisation_b]
    if organisation is not None:
        sides = [side for side in sides if side.pk == organisation.pk]
    for side in sides:
        if rules.can_message_for(actor, side):
            return side
    raise PermissionDenied(_("You may not write in this conversation."))


@transaction.atomic
def send_message(
    *, actor, conversation: Conversation, text: str, organisation: Organisation | None = None
) -> Message:
    """Send a message on behalf of one of the conversation's organisations
    (`organisation`, or the first the actor writes for). Only their admins and
    editors may; staff read but do not post. The text is stored as typed
    (pages escape it); at most MESSAGE_RATE_LIMIT messages per user in
    MESSAGE_RATE_WINDOW seconds. The other organisation's admins and editors
    are notified in the app and by e-mail."""
    sender_organisation = _sender_organisation(actor, conversation, organisation)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a message.")}, code="required")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            {
                "text": _("At most %(count)d characters are allowed.")
                % {"count": MAX_MESSAGE_LENGTH}
            },
            code="max_length",
        )
    _check_rate(actor)
    message = Message.objects.create(
        conversation=conversation,
        sender=actor,
        sender_organisation=sender_organisation,
        text=text,
    )
    conversation.last_message_at = message.created_at
    conversation.save(update_fields=["last_message_at", "updated_at"])
    mark_conversation_read(user=actor, conversation=conversation, at=message.created_at)
    _notify_message(message, conversation.other(sender_organisation.pk), actor=actor)
    return message


def _notify_message(message: Message, recipient_organisation: Organisation, *, actor) -> None:
    excerpt = Truncator(message.text).chars(300)
    for user in _editors_of(recipient_organisation):
        if user.pk == actor.pk:
            continue
        notify(
            recipient=user,
            kind="partnerships.message",
            title=lambda: (
                _("New message from %(name)s") % {"name": message.sender_organisation.name}
            ),
            body=excerpt,
            url=message.conversation.get_absolute_url,
        )


def mark_conversation_read(*, user, conversation: Conversation, at=None) -> None:
    """Remember that `user` has read `conversation` up to now (or `at`)."""
    at = at or timezone.now()
    ConversationReadMark.objects.update_or_create(
        user=user, conversation=conversation, defaults={"read_at": at}
    )
