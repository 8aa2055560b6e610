import pytest
from rest_framework.test import APIClient

from municipia.networking import services
from municipia.networking.enums import RequestStatus
from municipia.networking.models import MeetingRequest


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def base(event):
    return f"/api/events/{event.slug}/networking"


def test_anonymous_gets_401(event):
    assert api().get(f"{base(event)}/requests/").status_code in (401, 403)


def test_without_registration_403(event, plain_user):
    assert api(plain_user).get(f"{base(event)}/requests/").status_code == 403


def test_request_accept_and_meeting_listed(event, event_organiser, grid, anna, piotr):
    response = api(anna.user).post(
        f"{base(event)}/requests/",
        {"recipient": piotr.pk, "message": "Heat pumps?", "priority": 2},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["recipient"]["name"] == "Piotr Nowak" and body["status"] == "requested"
    assert "email" not in str(body)
    request_id = body["id"]
    assert api(anna.user).post(f"{base(event)}/requests/{request_id}/accept/").status_code == 403
    response = api(piotr.user).post(
        f"{base(event)}/requests/{request_id}/accept/", {"response": "Yes"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    services.run_scheduler(actor=event_organiser, event=event)
    meetings = api(anna.user).get(f"{base(event)}/meetings/").json()["results"]
    assert len(meetings) == 1 and meetings[0]["meeting_point"] in ("Table 1", "Table 2")
    listed = api(piotr.user).get(f"{base(event)}/requests/").json()["results"]
    assert listed[0]["meeting"]["slot"]["id"] == meetings[0]["slot"]["id"]


def test_field_errors_not_500(event, grid, anna, piotr):
    client = api(anna.user)
    response = client.post(f"{base(event)}/requests/", {"recipient": "x"}, format="json")
    assert response.status_code == 400 and "recipient" in response.json()["errors"]
    response = client.post(f"{base(event)}/requests/", {"recipient": 999999}, format="json")
    assert response.status_code == 400
    response = client.post(
        f"{base(event)}/requests/", {"recipient": piotr.pk, "proposed_slot": 999999}, format="json"
    )
    assert response.status_code == 400 and "proposed_slot" in response.json()["errors"]
    client.post(f"{base(event)}/requests/", {"recipient": piotr.pk}, format="json")
    response = client.post(f"{base(event)}/requests/", {"recipient": piotr.pk}, format="json")
    assert response.status_code == 400  # one open request per pair


def test_rate_limit_429(event, grid, anna, piotr, monkeypatch):
    monkeypatch.setattr(services, "REQUEST_RATE_LIMIT", 0)
    response = api(anna.user).post(
        f"{base(event)}/requests/", {"recipient": piotr.pk}, format="json"
    )
    assert response.status_code == 429


def test_propose_decline_cancel(event, grid, anna, piotr, aino):
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    url = f"{base(event)}/requests/{meeting_request.pk}"
    assert api(aino.user).get(f"{url}/").status_code == 404
    response = api(piotr.user).post(f"{url}/propose/", {"slot": grid[1].pk}, format="json")
    assert response.status_code == 200 and response.json()["proposed_slot"]["id"] == grid[1].pk
    assert api(anna.user).post(f"{url}/decline/").status_code == 200
    assert MeetingRequest.objects.get().status == RequestStatus.DECLINED
    assert api(anna.user).post(f"{url}/cancel/").status_code == 400  # no longer open


@pytest.mark.parametrize("who", ["anna", "organiser"])
def test_export_for_managers_only(event, event_organiser, grid, anna, who):
    user = event_organiser if who == "organiser" else anna.user
    response = api(user).get(f"{base(event)}/export/")
    assert response.status_code == (200 if who == "organiser" else 403)
    if who == "organiser":
        assert response.json()["format"] == "municipia-networking"
