import pytest
from django.urls import reverse

from municipia.partnerships import services
from municipia.partnerships.enums import PartnershipKind, PartnershipStatus
from municipia.partnerships.models import Conversation, Message, Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(organisation, other_organisation):
    return services.open_conversation(organisations=(organisation, other_organisation))


def url_of(conversation):
    return reverse("partnerships:conversation", kwargs={"pk": conversation.pk})


def test_editors_of_both_sides_write_and_read(client, conversation, organisation_editor):
    client.force_login(organisation_editor)
    response = client.post(url_of(conversation), {"text": "Guten Tag, Kraków"})
    assert response.status_code == 302
    assert response["Location"] == url_of(conversation) + "#latest"
    response = client.get(url_of(conversation))
    assert response.status_code == 200
    assert "Guten Tag, Kraków" in response.content.decode()


def test_message_text_is_escaped(client, conversation, organisation_editor, partner_editor):
    services.send_message(
        actor=partner_editor, conversation=conversation, text="<script>alert(1)</script>"
    )
    client.force_login(organisation_editor)
    content = client.get(url_of(conversation)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)</script>" not in content
    # The sender appears by organisation and chosen name, never by e-mail address.
    assert "Ola Nowak" in content
    assert "partner-editor@example.org" not in content


def test_an_editor_of_a_third_organisation_can_neither_read_nor_post(
    client, conversation, third_editor, partner_editor
):
    services.send_message(actor=partner_editor, conversation=conversation, text="Private")
    client.force_login(third_editor)
    assert client.get(url_of(conversation)).status_code == 404
    assert client.post(url_of(conversation), {"text": "Intrusion"}).status_code == 404
    assert list(Message.objects.values_list("text", flat=True)) == ["Private"]
    listing = client.get(reverse("partnerships:conversations")).content.decode()
    assert url_of(conversation) not in listing


def test_staff_read_but_do_not_post(client, conversation, staff_user, partner_editor):
    services.send_message(actor=partner_editor, conversation=conversation, text="Hello")
    client.force_login(staff_user)
    response = client.get(url_of(conversation))
    assert response.status_code == 200
    assert "Hello" in response.content.decode()
    assert response.context["form"] is None
    assert client.post(url_of(conversation), {"text": "As staff"}).status_code == 404
    assert Message.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, conversation):
    response = client.get(url_of(conversation))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_conversation_list_shows_unread_conversations_in_few_queries(
    client, conversation, organisation_editor, partner_editor, django_assert_max_num_queries
):
    services.send_message(actor=partner_editor, conversation=conversation, text="Hello")
    client.force_login(organisation_editor)
    client.get(reverse("partnerships:conversations"))  # session and grants warmed up
    with django_assert_max_num_queries(8):
        response = client.get(reverse("partnerships:conversations"))
    content = response.content.decode()
    assert "Kraków" in content
    assert "New messages" in content
    client.get(url_of(conversation))
    assert "New messages" not in client.get(reverse("partnerships:conversations")).content.decode()


def test_rate_limit_is_shown_on_the_form(client, conversation, organisation_editor):
    client.force_login(organisation_editor)
    for number in range(services.MESSAGE_RATE_LIMIT):
        client.post(url_of(conversation), {"text": f"Message {number}"})
    response = client.post(url_of(conversation), {"text": "One more"})
    assert response.status_code == 200
    assert "please wait a few minutes" in response.content.decode()
    assert Message.objects.count() == services.MESSAGE_RATE_LIMIT


def test_write_to_an_organisation_from_its_profile(
    client, organisation, other_organisation, organisation_editor
):
    client.force_login(organisation_editor)
    profile = client.get(other_organisation.get_absolute_url()).content.decode()
    assert "Write to Kraków" in profile
    response = client.post(
        reverse("partnerships:conversation_start"),
        {"partner": other_organisation.slug, "organisation": organisation.pk},
    )
    conversation = Conversation.objects.get()
    assert response["Location"] == url_of(conversation)
    assert {conversation.organisation_a, conversation.organisation_b} == {
        organisation,
        other_organisation,
    }


def test_nobody_writes_for_an_organisation_they_do_not_edit(
    client, organisation, other_organisation, third_editor
):
    client.force_login(third_editor)
    client.post(
        reverse("partnerships:conversation_start"),
        {"partner": other_organisation.slug, "organisation": organisation.pk},
    )
    assert Conversation.objects.count() == 0


def test_record_a_partnership_and_see_it_on_both_profiles(
    client, organisation, other_organisation, organisation_editor
):
    client.force_login(organisation_editor)
    url = reverse("partnerships:new") + f"?organisation={organisation.slug}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "organisation": organisation.pk,
            "partner": other_organisation.slug,
            "kind": PartnershipKind.TWINNING,
            "status": PartnershipStatus.ACTIVE,
            "started_on": "1991-05-01",
        },
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get()
    assert partnership.status == PartnershipStatus.ACTIVE
    client.logout()
    for own, partner in ((organisation, other_organisation), (other_organisation, organisation)):
        content = client.get(own.get_absolute_url()).content.decode()
        assert "Partnerships" in content
        assert partner.get_absolute_url() in content
        assert "Town twinning" in content
        assert "since 1991" in content


@pytest.mark.parametrize(
    "typed, recorded",
    [
        ("http://testserver/en/directory/krakow/", True),
        ("  KRAKOW ", True),
        ("<script>x</script>", False),
    ],
)
def test_the_partner_is_named_by_its_address_or_its_profile_s_web_address(
    client, organisation, other_organisation, organisation_editor, typed, recorded
):
    client.force_login(organisation_editor)
    response = client.post(
        reverse("partnerships:new"),
        {
            "organisation": organisation.pk,
            "partner": typed,
            "kind": PartnershipKind.TWINNING,
            "status": PartnershipStatus.ACTIVE,
        },
    )
    assert Partnership.objects.exists() is recorded
    if not recorded:
        page = response.content.decode()
        assert "paste that web address" in page
        assert "slug" not in page.lower()


def test_hidden_partners_are_not_shown_on_a_public_profile(
    client, organisation, other_organisation
):
    services.record_partnership(
        actor=None,
        organisation=organisation,
        partner=other_organisation,
        kind=PartnershipKind.TWINNING,
    )
    other_organisation.visibility = "hidden"
    other_organisation.save(update_fields=["visibility"])
    content = client.get(organisation.get_absolute_url()).content.decode()
    assert "Kraków" not in content
    assert "No partnerships recorded." in content


def test_edit_a_partnership_status(client, organisation, other_organisation, partner_editor):
    partnership = services.record_partnership(
        actor=None,
        organisation=organisation,
        partner=other_organisation,
        kind=PartnershipKind.TWINNING,
    )
    client.force_login(partner_editor)
    url = reverse("partnerships:edit", kwargs={"pk": partnership.pk})
    response = client.post(url, {"status": "dormant", "started_on": ""})
    assert response.status_code == 200
    assert "cannot become" in response.content.decode()
    response = client.post(url, {"status": "active", "started_on": "2001-01-01"})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert (partnership.status, str(partnership.started_on)) == ("active", "2001-01-01")


def test_a_third_party_cannot_edit_a_partnership(
    client, organisation, other_organisation, third_editor
):
    partnership = services.record_partnership(
        actor=None,
        organisation=organisation,
        partner=other_organisation,
        kind=PartnershipKind.TWINNING,
    )
    client.force_login(third_editor)
    url = reverse("partnerships:edit", kwargs={"pk": partnership.pk})
    assert client.post(url, {"status": "ended"}).status_code == 404
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.EXPLORING


def test_the_message_threads_are_in_the_main_navigation_of_editors(
    client, organisation_editor, member_user
):
    link = 'href="/en/partnerships/conversations/"'
    client.force_login(organisation_editor)
    assert link in client.get("/en/events/").content.decode()
    client.force_login(member_user)  # no organisation to write for
    assert link not in client.get("/en/events/").content.decode()


def test_a_thread_opened_without_writing_is_not_listed(
    client, organisation, other_organisation, organisation_editor, partner_editor
):
    client.force_login(organisation_editor)
    response = client.post(
        reverse("partnerships:conversation_start"),
        {"partner": other_organisation.slug, "organisation": organisation.pk},
    )
    thread = response["Location"]
    for editor in (organisation_editor, partner_editor):
        client.force_login(editor)
        assert thread not in client.get(reverse("partnerships:conversations")).content.decode()
    client.force_login(organisation_editor)
    client.post(thread, {"text": "Shall we talk about district heating?"})
    for editor in (organisation_editor, partner_editor):
        client.force_login(editor)
        assert thread in client.get(reverse("partnerships:conversations")).content.decode()
