"""Reads of partnerships and conversations."""

from __future__ import annotations

from django.db.models import BooleanField, Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404

from municipia.accounts import rules
from municipia.directory.models import Organisation
from municipia.directory.selectors import visible_organisations

from .enums import PartnershipStatus
from .models import Conversation, ConversationReadMark, Message, Partnership


def partnership_pairs() -> list[tuple[int, int]]:
    """Organisation id pairs (smaller id first, each pair once) of every
    recorded partnership that has not ended: what the matching engine treats
    as existing partnerships."""
    return list(
        Partnership.objects.exclude(status=PartnershipStatus.ENDED)
        .order_by("organisation_a_id", "organisation_b_id")
        .values_list("organisation_a_id", "organisation_b_id")
        .distinct()
    )


def _partner_ids_condition(organisation: Organisation) -> Q:
    current = Partnership.objects.exclude(status=PartnershipStatus.ENDED)
    return Q(pk__in=current.filter(organisation_a=organisation).values("organisation_b_id")) | Q(
        pk__in=current.filter(organisation_b=organisation).values("organisation_a_id")
    )


def partners_of(*, organisation: Organisation) -> QuerySet[Organisation]:
    """The organisations `organisation` has a partnership with that has not ended."""
    return Organisation.objects.filter(_partner_ids_condition(organisation))


def partnerships_of(*, organisation: Organisation, viewer=None) -> QuerySet[Partnership]:
    """Every partnership of `organisation`, ended ones included, newest first,
    with both organisations and the themes loaded. With a `viewer`, only those
    whose partner's profile the viewer may see."""
    partnerships = (
        Partnership.objects.filter(Q(organisation_a=organisation) | Q(organisation_b=organisation))
        .select_related("organisation_a", "organisation_b")
        .prefetch_related("themes")
        .order_by("status", "-started_on", "-pk")
    )
    if viewer is not None:
        visible = visible_organisations(viewer=viewer).values("pk")
        partnerships = partnerships.filter(
            Q(organisation_a__in=visible) & Q(organisation_b__in=visible)
        )
    return partnerships


def partnership_for_viewer(*, partnership_id: int, viewer) -> Partnership:
    """A partnership `viewer` may edit; Http404 otherwise."""
    partnership = (
        Partnership.objects.select_related("organisation_a", "organisation_b")
        .prefetch_related("themes")
        .filter(pk=partnership_id)
        .first()
    )
    if partnership is None or not rules.can_record_partnership(
        viewer, partnership.organisation_a, partnership.organisation_b
    ):
        raise Http404("No such partnership.")
    return partnership


def messaging_organisations(*, user) -> QuerySet[Organisation]:
    """The organisations `user` may write messages for."""
    return Organisation.objects.filter(pk__in=rules.editable_organisation_ids(user))


def conversations_for(*, user) -> QuerySet[Conversation]:
    """The conversations of the organisations `user` writes for, most recent
    first, each annotated with `unread` (a message came after the user last
    read it)."""
    ids = rules.editable_organisation_ids(user)
    if not ids:
        return Conversation.objects.none()
    read_at = ConversationReadMark.objects.filter(user=user, conversation=OuterRef("pk")).values(
        "read_at"
    )[:1]
    return (
        Conversation.objects.filter(Q(organisation_a__in=ids) | Q(organisation_b__in=ids))
        .select_related("organisation_a", "organisation_b")
        .annotate(my_read_at=Subquery(read_at))
        .annotate(
            unread=Case(
                When(
                    Q(last_message_at__isnull=False)
                    & (Q(my_read_at__isnull=True) | Q(last_message_at__gt=Subquery(read_at))),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def unread_conversation_count(*, user) -> int:
    """How many of the user's conversations have messages they have not read."""
    return conversations_for(user=user).filter(unread=True).count()


def conversation_for_viewer(*, conversation_id: int, viewer) -> Conversation:
    """The conversation with this id, with both organisations loaded; Http404
    when there is none or `viewer` may not read it (a third party learns
    nothing, not even that it exists)."""
    conversation = (
        Conversation.objects.select_related("organisation_a", "organisation_b")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None or not rules.can_read_conversation(
        viewer, conversation.organisation_ids
    ):
        raise Http404("No such conversation.")
    return conversation


def messages_of(*, conversation: Conversation, viewer) -> QuerySet[Message]:
    """The messages of a conversation, oldest first, with their senders; Http404
    when `viewer` may not read it."""
    if not rules.can_read_conversation(viewer, conversation.organisation_ids):
        raise Http404("No such conversation.")
    return conversation.messages.select_related("sender", "sender_organisation").order_by(
        "created_at", "pk"
    )
