import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from municipia.notifications.models import Notification
from municipia.partnerships import selectors, services
from municipia.partnerships.enums import PartnershipKind, PartnershipStatus
from municipia.partnerships.models import Conversation, Message, Partnership
from municipia.taxonomy.models import Theme

pytestmark = pytest.mark.django_db


def test_record_partnership_stores_the_pair_in_canonical_order(
    organisation, other_organisation, organisation_editor
):
    low, high = sorted((organisation, other_organisation), key=lambda o: o.pk)
    partnership = services.record_partnership(
        actor=organisation_editor,
        organisation=high,
        partner=low,
        kind=PartnershipKind.TWINNING,
        started_on=datetime.date(1991, 5, 1),
    )
    assert (partnership.organisation_a_id, partnership.organisation_b_id) == (low.pk, high.pk)
    assert partnership.status == PartnershipStatus.EXPLORING
    assert partnership.recorded_by == organisation_editor


def test_the_same_pair_and_kind_is_recorded_once_whichever_side_records_it(
    organisation, other_organisation, organisation_editor, partner_editor
):
    services.record_partnership(
        actor=organisation_editor,
        organisation=organisation,
        partner=other_organisation,
        kind=PartnershipKind.TWINNING,
    )
    with pytest.raises(ValidationError) as error:
        services.record_partnership(
            actor=partner_editor,
            organisation=other_organisation,
            partner=organisation,
            kind=PartnershipKind.TWINNING,
        )
    assert error.value.message_dict == {"partner": ["This partnership is already recorded."]}
    # Another kind between the same two is a second partnership.
    services.record_partnership(
        actor=partner_editor,
        organisation=other_organisation,
        partner=organisation,
        kind=PartnershipKind.PEER_LEARNING,
    )
    assert Partnership.objects.count() == 2


def test_the_database_refuses_a_pair_out_of_order(organisation, other_organisation):
    low, high = sorted((organisation, other_organisation), key=lambda o: o.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(organisation_a=high, organisation_b=low, kind="twinning")


def test_an_organisation_is_not_its_own_partner(organisation, organisation_editor):
    with pytest.raises(ValidationError) as error:
        services.record_partnership(
            actor=organisation_editor,
            organisation=organisation,
            partner=organisation,
            kind=PartnershipKind.TWINNING,
        )
    assert list(error.value.message_dict) == ["partner"]


def test_an_editor_of_a_third_organisation_may_not_record(
    organisation, other_organisation, third_editor, member_user
):
    for actor in (third_editor, member_user):
        with pytest.raises(PermissionDenied):
            services.record_partnership(
                actor=actor,
                organisation=organisation,
                partner=other_organisation,
                kind=PartnershipKind.TWINNING,
            )
    assert Partnership.objects.count() == 0


def test_staff_record_and_the_other_side_is_told(
    organisation, other_organisation, staff_user, partner_editor, organisation_editor
):
    services.record_partnership(
        actor=staff_user,
        organisation=organisation,
        partner=other_organisation,
        kind=PartnershipKind.SOLIDARITY,
        themes=["climate"] if Theme.objects.filter(code="climate").exists() else [],
    )
    assert list(
        Notification.objects.filter(kind="partnerships.recorded").values_list(
            "recipient__email", flat=True
        )
    ) == ["partner-editor@example.org"]


def test_unknown_themes_and_kinds_are_field_errors(
    organisation, other_organisation, organisation_editor
):
    with pytest.raises(ValidationError) as error:
        services.record_partnership(
            actor=organisation_editor,
            organisation=organisation,
            partner=other_organisation,
            kind="friendship",
        )
    assert list(error.value.message_dict) == ["kind"]
    with pytest.raises(ValidationError) as error:
        services.record_partnership(
            actor=organisation_editor,
            organisation=organisation,
            partner=other_organisation,
            kind=PartnershipKind.THEMATIC,
            themes=["no-such-theme"],
        )
    assert error.value.message_dict == {"themes": ["Unknown themes: no-such-theme."]}


def test_status_moves_along_the_allowed_transitions(
    organisation, other_organisation, organisation_editor
):
    partnership = services.record_partnership(
        actor=organisation_editor,
        organisation=organisation,
        partner=other_organisation,
        kind=PartnershipKind.TWINNING,
    )
    with pytest.raises(ValidationError) as error:
        services.update_partnership_status(
            actor=organisation_editor, partnership=partnership, status=PartnershipStatus.DORMANT
        )
    assert list(error.value.message_dict) == ["status"]
    for status in ("active", "dormant", "active", "ended"):
        services.update_partnership_status(
            actor=organisation_editor, partnership=partnership, status=status
        )
        partnership.refresh_from_db()
        assert partnership.status == status


def test_partnership_pairs_and_partners_leave_out_ended_partnerships(
    organisation, other_organisation, third_organisation
):
    services.record_partnership(
        actor=None,
        organisation=organisation,
        partner=other_organisation,
        kind=PartnershipKind.TWINNING,
        status=PartnershipStatus.ACTIVE,
    )
    services.record_partnership(
        actor=None,
        organisation=organisation,
        partner=other_organisation,
        kind=PartnershipKind.THEMATIC,
    )
    services.record_partnership(
        actor=None,
        organisation=third_organisation,
        partner=organisation,
        kind=PartnershipKind.TWINNING,
        status=PartnershipStatus.ENDED,
    )
    low, high = sorted((organisation.pk, other_organisation.pk))
    assert selectors.partnership_pairs() == [(low, high)]
    assert list(selectors.partners_of(organisation=organisation)) == [other_organisation]
    assert list(selectors.partners_of(organisation=other_organisation)) == [organisation]
    assert selectors.partners_of(organisation=third_organisation).count() == 0
    assert selectors.partnerships_of(organisation=organisation).count() == 3


# -- conversations -------------------------------------------------------------------


def test_open_conversation_is_idempotent_per_unordered_pair(organisation, other_organisation):
    first = services.open_conversation(organisations=(organisation, other_organisation))
    second = services.open_conversation(organisations=(other_organisation, organisation))
    assert first.pk == second.pk
    assert Conversation.objects.count() == 1
    assert first.organisation_a_id < first.organisation_b_id


def test_send_message_notifies_the_other_side_in_the_app_and_by_email(
    organisation,
    other_organisation,
    organisation_editor,
    organisation_admin,
    partner_editor,
    member_user,
    mailoutbox,
):
    conversation = services.open_conversation(organisations=(organisation, other_organisation))
    message = services.send_message(
        actor=partner_editor, conversation=conversation, text="  Dzień dobry, Köln!  "
    )
    assert message.text == "Dzień dobry, Köln!"
    assert message.sender_organisation == other_organisation
    notified = Notification.objects.filter(kind="partnerships.message")
    assert sorted(notified.values_list("recipient__email", flat=True)) == [
        "admin@example.org",
        "editor@example.org",
    ]
    notification = notified.first()
    assert notification.title == "New message from Kraków"
    assert notification.body == "Dzień dobry, Köln!"
    assert notification.url == conversation.get_absolute_url()
    # Nobody's e-mail address travels with a message.
    assert "partner-editor@example.org" not in notification.title + notification.body
    assert sorted(address for mail in mailoutbox for address in mail.to) == [
        "admin@example.org",
        "editor@example.org",
    ]
    assert all("partner-editor@example.org" not in mail.body for mail in mailoutbox)
    conversation.refresh_from_db()
    assert conversation.last_message_at == message.created_at


def test_only_editors_of_either_side_may_send(
    organisation, other_organisation, third_editor, member_user, staff_user
):
    conversation = services.open_conversation(organisations=(organisation, other_organisation))
    for actor in (third_editor, member_user, staff_user):
        with pytest.raises(PermissionDenied):
            services.send_message(actor=actor, conversation=conversation, text="Hello")
    assert Message.objects.count() == 0


def test_empty_and_overlong_messages_are_refused(
    organisation, other_organisation, organisation_editor
):
    conversation = services.open_conversation(organisations=(organisation, other_organisation))
    with pytest.raises(ValidationError) as error:
        services.send_message(actor=organisation_editor, conversation=conversation, text="   ")
    assert error.value.message_dict == {"text": ["Write a message."]}
    with pytest.raises(ValidationError):
        services.send_message(
            actor=organisation_editor,
            conversation=conversation,
            text="x" * (services.MAX_MESSAGE_LENGTH + 1),
        )


def test_messages_are_rate_limited_per_user(
    organisation, other_organisation, organisation_editor, partner_editor
):
    conversation = services.open_conversation(organisations=(organisation, other_organisation))
    for number in range(services.MESSAGE_RATE_LIMIT):
        services.send_message(
            actor=organisation_editor, conversation=conversation, text=f"Message {number}"
        )
    with pytest.raises(ValidationError) as error:
        services.send_message(actor=organisation_editor, conversation=conversation, text="More")
    assert [e.code for e in error.value.error_dict["text"]] == ["rate_limited"]
    assert Message.objects.count() == services.MESSAGE_RATE_LIMIT
    # The limit is the user's, not the conversation's.
    services.send_message(actor=partner_editor, conversation=conversation, text="Hello")


def test_conversations_for_marks_unread_until_read(
    organisation, other_organisation, third_organisation, organisation_editor, partner_editor
):
    conversation = services.open_conversation(organisations=(organisation, other_organisation))
    services.open_conversation(organisations=(third_organisation, other_organisation))
    services.send_message(actor=partner_editor, conversation=conversation, text="Hello")
    listed = list(selectors.conversations_for(user=organisation_editor))
    assert [(c.pk, c.unread) for c in listed] == [(conversation.pk, True)]
    # The sender has read what they wrote.
    assert [c.unread for c in selectors.conversations_for(user=partner_editor)] == [False, False]
    services.mark_conversation_read(user=organisation_editor, conversation=conversation)
    assert selectors.unread_conversation_count(user=organisation_editor) == 0
