import pytest
from rest_framework.test import APIClient

from municipia.notifications.models import Notification
from municipia.partnerships import services
from municipia.partnerships.enums import PartnershipKind
from municipia.partnerships.models import Message, Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def conversation(organisation, other_organisation):
    return services.open_conversation(organisations=(organisation, other_organisation))


def test_anyone_lists_an_organisations_partnerships(
    api_client, organisation, other_organisation, django_assert_max_num_queries
):
    services.record_partnership(
        actor=None,
        organisation=organisation,
        partner=other_organisation,
        kind=PartnershipKind.TWINNING,
        status="active",
    )
    with django_assert_max_num_queries(4):
        response = api_client.get("/api/organisations/krakow/partnerships/")
    assert response.status_code == 200
    [partnership] = response.json()["results"]
    assert partnership["kind"] == "twinning"
    assert partnership["status"] == "active"
    assert {o["slug"] for o in partnership["organisations"]} == {"koln", "krakow"}


def test_editors_record_partnerships_and_others_may_not(
    api_client, organisation, other_organisation, organisation_editor, third_editor
):
    body = {"partner": "krakow", "kind": "twinning", "started_on": "1991-05-01"}
    api_client.force_authenticate(third_editor)
    assert api_client.post("/api/organisations/koln/partnerships/", body).status_code == 403
    api_client.force_authenticate(organisation_editor)
    response = api_client.post("/api/organisations/koln/partnerships/", body, format="json")
    assert response.status_code == 201
    assert response.json()["started_on"] == "1991-05-01"
    response = api_client.post("/api/organisations/koln/partnerships/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"partner": ["This partnership is already recorded."]}
    assert Partnership.objects.count() == 1


def test_conversations_and_messages_are_for_their_organisations_only(
    api_client, conversation, organisation_editor, partner_editor, third_editor
):
    api_client.force_authenticate(partner_editor)
    url = f"/api/conversations/{conversation.pk}/messages/"
    response = api_client.post(url, {"text": "<b>Dzień dobry</b>"}, format="json")
    assert response.status_code == 201
    assert response.json()["organisation"] == "krakow"
    assert response.json()["sender_name"] == "Ola Nowak"
    assert "@" not in str(response.json())
    assert Notification.objects.filter(
        kind="partnerships.message", recipient=organisation_editor
    ).exists()

    api_client.force_authenticate(organisation_editor)
    listing = api_client.get("/api/conversations/").json()["results"]
    assert [c["id"] for c in listing] == [conversation.pk]
    messages = api_client.get(url).json()["results"]
    assert [m["text"] for m in messages] == ["<b>Dzień dobry</b>"]

    api_client.force_authenticate(third_editor)
    assert api_client.get("/api/conversations/").json()["results"] == []
    assert api_client.get(f"/api/conversations/{conversation.pk}/").status_code == 404
    assert api_client.get(url).status_code == 404
    assert api_client.post(url, {"text": "Hi"}, format="json").status_code == 404
    assert Message.objects.count() == 1


def test_open_a_conversation_through_the_api(
    api_client, organisation, other_organisation, organisation_editor, conversation
):
    api_client.force_authenticate(organisation_editor)
    response = api_client.post(
        "/api/conversations/", {"organisation": "koln", "partner": "krakow"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["id"] == conversation.pk
    response = api_client.post(
        "/api/conversations/", {"organisation": "krakow", "partner": "koln"}, format="json"
    )
    assert response.status_code == 404


def test_anonymous_callers_see_no_conversation(api_client, conversation):
    assert api_client.get("/api/conversations/").status_code == 401
