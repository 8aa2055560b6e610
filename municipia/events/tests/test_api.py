"""The events API: events, days, sessions (online links only for those allowed),
own registrations and agenda; bad input gives field errors, never a 500."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from conftest import make_user
from municipia.events import services
from municipia.events.models import Registration
from municipia.events.tests.core_helpers import register_mayor

from .core_helpers import YEAR, at

pytest_plugins = ["municipia.events.tests.core_fixtures"]


@pytest.fixture
def api_client():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_anyone_lists_and_reads_public_events(api_client, retreat, plenary):
    response = api_client.get("/api/events/")
    assert response.status_code == 200
    [event] = response.json()["results"]
    assert event["slug"] == "cemr-retreat-2024"
    assert event["time_zone"] == "Europe/Madrid"
    assert event["organisers"] == ["koln"]
    days = api_client.get("/api/events/cemr-retreat-2024/days/").json()
    assert [d["date"] for d in days] == [f"{YEAR}-11-05", f"{YEAR}-11-06", f"{YEAR}-11-07"]
    assert api_client.get("/api/events/nope/").status_code == 404


def test_the_event_list_counts_places_left_in_one_query(api_client, retreat, event_organiser):
    def listed():
        with CaptureQueriesContext(connection) as queries:
            results = api_client.get("/api/events/").json()["results"]
        return {e["slug"]: e["places_left"] for e in results}, len(queries)

    retreat = services.update_event(actor=event_organiser, event=retreat, capacity=10)
    for i in range(2):
        services.register(actor=make_user(f"p{i}@example.org"), event=retreat)
    one, queries_for_one = listed()
    assert one == {"cemr-retreat-2024": 8}
    for i in range(5):
        services.create_event(
            actor=event_organiser,
            slug=f"seminar-{i}",
            title=f"Seminar {i}",
            kind="seminar",
            time_zone="Europe/Brussels",
            starts_on=retreat.starts_on,
            ends_on=retreat.ends_on,
            visibility="public",
            is_published=True,
            capacity=50,
        )
    six, queries_for_six = listed()
    assert six["cemr-retreat-2024"] == 8 and six["seminar-4"] == 50
    assert queries_for_six == queries_for_one


def test_members_only_events_are_hidden_from_others(
    api_client, retreat, event_organiser, member_user
):
    services.update_event(actor=event_organiser, event=retreat, visibility="members")
    assert api_client.get("/api/events/").json()["results"] == []
    assert api_client.get("/api/events/cemr-retreat-2024/").status_code == 404
    assert api_client.get("/api/events/cemr-retreat-2024/sessions/").status_code == 404
    member = client_for(member_user)
    assert member.get("/api/events/cemr-retreat-2024/").status_code == 200


def test_sessions_in_the_event_time_zone_with_links_only_for_those_allowed(
    api_client, retreat, plenary, reception
):
    url = "/api/events/cemr-retreat-2024/sessions/"
    sessions = api_client.get(url).json()["results"]
    assert [s["title"] for s in sessions] == ["Opening plenary", "Reception at the City Hall"]
    assert sessions[0]["starts_at"] == f"{YEAR}-11-06T09:30:00+01:00"
    assert sessions[1]["audience"] == "principals"
    assert sessions[1]["time_tbc"] and sessions[1]["place_tbc"]
    assert all(s["online_url"] == "" for s in sessions)

    officer = make_user("officer@example.org")
    services.register(actor=officer, event=retreat, answers={"position": "officer"})
    sessions = client_for(officer).get(url).json()["results"]
    assert sessions[0]["online_url"] == "https://meet.example.org/opening"
    assert sessions[1]["online_url"] == ""

    mayor = make_user("mayor@example.org")
    register_mayor(retreat, mayor)
    detail = client_for(mayor).get(f"{url}{reception.pk}/").json()
    assert detail["online_url"] == "https://meet.example.org/reception"


def test_session_filters(api_client, retreat, plenary, reception, event_organiser):
    services.save_session(
        actor=event_organiser,
        event=retreat,
        session=plenary,
        languages=["en"],
        interpretation=["fr"],
    )
    url = "/api/events/cemr-retreat-2024/sessions/"
    assert [s["title"] for s in api_client.get(url, {"kind": "reception"}).json()["results"]] == [
        "Reception at the City Hall"
    ]
    assert len(api_client.get(url, {"language": "fr"}).json()["results"]) == 1
    assert len(api_client.get(url, {"day": f"{YEAR}-11-06"}).json()["results"]) == 2
    assert api_client.get(url, {"day": f"{YEAR}-11-07"}).json()["results"] == []
    for edge in ("9999-12-31", "0001-01-01"):  # a day after the last cannot be computed
        assert api_client.get(url, {"day": edge}).json()["results"] == []
    response = api_client.get(url, {"day": "tomorrow", "kind": "party"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"day", "kind"}


def test_register_cancel_and_agenda(retreat, plenary, reception, event_organiser):
    retreat = services.update_event(actor=event_organiser, event=retreat, capacity=1)
    ana = make_user("ana@example.org", display_name="Ana")
    client = client_for(ana)
    response = client.post(
        "/api/registrations/",
        {"event": "cemr-retreat-2024", "position": "officer", "dietary_needs": "vegan"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    registration = response.json()
    assert registration["status"] == "confirmed"
    assert registration["dietary_needs"] == "vegan"
    assert "/agenda/" in registration["calendar_feed"]

    again = client.post("/api/registrations/", {"event": "cemr-retreat-2024"}, format="json")
    assert again.status_code == 400
    assert "participant_email" in again.json()["errors"]

    agenda_url = f"/api/registrations/{registration['id']}/agenda/"
    response = client.post(agenda_url, {"session": plenary.pk}, format="json")
    assert response.status_code == 201
    [item] = response.json()
    assert item["status"] == "confirmed"
    assert item["session"]["online_url"] == "https://meet.example.org/opening"

    refused = client.post(agenda_url, {"session": reception.pk}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "session": ["This session is open to principals and mayors only."]
    }
    assert client.post(agenda_url, {"session": 10**17}, format="json").status_code == 400
    assert client.post(agenda_url, {"session": "x"}, format="json").status_code == 400

    overlapping, _ = services.save_session(
        actor=event_organiser, event=retreat, title="Coffee", starts_at=at(6, 10), ends_at=at(6, 12)
    )
    client.post(agenda_url, {"session": overlapping.pk}, format="json")
    assert [i["clashes"] for i in client.get(agenda_url).json()] == [True, True]

    assert client.delete(f"{agenda_url}{overlapping.pk}/").status_code == 204
    assert client.delete(f"{agenda_url}{overlapping.pk}/").status_code == 404

    # Someone else cannot see or cancel it.
    stranger = client_for(make_user("stranger@example.org"))
    assert stranger.get(f"/api/registrations/{registration['id']}/").status_code == 404
    assert stranger.post(f"/api/registrations/{registration['id']}/cancel/").status_code == 404

    bob = make_user("bob@example.org")
    waiting = client_for(bob).post(
        "/api/registrations/", {"event": "cemr-retreat-2024"}, format="json"
    )
    assert waiting.json()["status"] == "waiting_list"
    response = client.post(f"/api/registrations/{registration['id']}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Registration.objects.get(user=bob).status == "confirmed"
    assert client.post(f"/api/registrations/{registration['id']}/cancel/").status_code == 400


def test_an_officer_registers_their_mayor(retreat, organisation_editor):
    client = client_for(organisation_editor)
    response = client.post(
        "/api/registrations/",
        {
            "event": "cemr-retreat-2024",
            "participant_name": "Henriette Reker",
            "participant_email": "ob@example.org",
            "organisation": "koln",
            "position": "mayor_or_president",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["registered_by_you"] is True
    assert body["is_principal"] is True
    assert [r["participant_name"] for r in client.get("/api/registrations/").json()["results"]] == [
        "Henriette Reker"
    ]
    # Not for another city.
    response = client.post(
        "/api/registrations/",
        {
            "event": "cemr-retreat-2024",
            "participant_name": "Someone",
            "participant_email": "someone@example.org",
            "organisation": "krakow",
        },
        format="json",
    )
    assert response.status_code in (400, 403)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"event": ""},
        {"event": "../etc"},
        {"event": "cemr-retreat-2024", "position": "emperor"},
        {"event": "cemr-retreat-2024", "participant_email": "not an address"},
        {"event": "cemr-retreat-2024", "consent": "perhaps"},
        {"event": "cemr-retreat-2024", "organisation": "no-such-place"},
        ["a list"],
    ],
)
def test_bad_registration_input_gives_field_errors(retreat, plain_user, body):
    response = client_for(plain_user).post("/api/registrations/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]


def test_registrations_need_a_signed_in_user(api_client, retreat):
    assert api_client.get("/api/registrations/").status_code == 401
    response = api_client.post("/api/registrations/", {"event": "cemr-retreat-2024"}, format="json")
    assert response.status_code == 401
