"""Matchmaking in the API: suggestions with reasons and filters, swipes, matches,
permissions, field errors and the swipe rate limit."""

import pytest
from rest_framework.test import APIClient

from conftest import make_user
from municipia.directory.enums import Visibility
from municipia.matching import services
from municipia.matching.models import Match, Swipe

from .conftest import make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(places):
    return {
        "riga": make_editor("riga@example.org", places["riga"]),
        "tartu": make_editor("tartu@example.org", places["tartu"]),
    }


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def suggestions_url(slug: str) -> str:
    return f"/api/organisations/{slug}/suggestions/"


def swipes_url(slug: str) -> str:
    return f"/api/organisations/{slug}/swipes/"


def test_suggestions_come_with_reasons_in_words(places, editors):
    response = client_for(editors["tartu"]).get(suggestions_url("tartu"))
    assert response.status_code == 200
    items = response.json()
    assert items[0]["organisation"] == {"slug": "riga", "name": "Riga", "country": "LV"}
    assert items[0]["score"] > items[-1]["score"]
    assert "tartu" not in [item["organisation"]["slug"] for item in items]
    by_code = {reason["code"]: reason for reason in items[0]["reasons"]}
    offer = by_code["offers_expertise"]
    assert offer["facts"]["challenge"] == "District heating"
    assert offer["sentence"] == "Riga offers expertise on your challenge “District heating”"


def test_suggestions_take_the_find_partners_filters(places, editors):
    client = client_for(editors["tartu"])
    only_finland = client.get(suggestions_url("tartu"), {"countries": ["fi"]}).json()
    assert [item["organisation"]["slug"] for item in only_finland] == ["espoo"]
    not_latvia = client.get(suggestions_url("tartu"), {"excluded": ["LV"], "limit": 1}).json()
    assert len(not_latvia) == 1
    assert not_latvia[0]["organisation"]["slug"] != "riga"


def test_invalid_filters_are_field_errors(places, editors):
    response = client_for(editors["tartu"]).get(
        suggestions_url("tartu"), {"population_min": "many", "distance": "far", "limit": 0}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"population_min", "distance", "limit"}


def test_the_deck_leaves_out_swiped_candidates(places, editors):
    client = client_for(editors["tartu"])
    client.post(swipes_url("tartu"), {"candidate": "riga", "decision": "pass"}, format="json")
    deck = client.get(suggestions_url("tartu"), {"unswiped": "true"}).json()
    everyone = client.get(suggestions_url("tartu")).json()
    assert "riga" not in [item["organisation"]["slug"] for item in deck]
    assert "riga" in [item["organisation"]["slug"] for item in everyone]


def test_only_editors_get_suggestions(places, editors):
    outsider = make_user("outsider@example.org")
    refused = client_for(outsider).get(suggestions_url("tartu"))
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    # Riga's editor may not search on Tartu's behalf either.
    assert client_for(editors["riga"]).get(suggestions_url("tartu")).status_code == 403
    assert APIClient().get(suggestions_url("tartu")).status_code == 401
    assert client_for(editors["tartu"]).get(suggestions_url("nowhere")).status_code == 404


def test_a_swipe_is_idempotent_and_a_mutual_like_is_a_match(places, editors, mailoutbox):
    tartu, riga = client_for(editors["tartu"]), client_for(editors["riga"])
    for _ in range(2):
        first = tartu.post(swipes_url("tartu"), {"candidate": "riga", "decision": "like"})
        assert first.status_code == 200
        assert first.json() == {
            "candidate": "riga",
            "decision": "like",
            "match": None,
            "is_new_match": False,
        }
    assert Swipe.objects.count() == 1

    back = riga.post(swipes_url("riga"), {"candidate": "tartu", "decision": "like"})
    assert back.status_code == 200
    body = back.json()
    assert body["is_new_match"] is True
    assert body["match"]["organisation"]["slug"] == "tartu"
    assert Match.objects.count() == 1
    again = riga.post(swipes_url("riga"), {"candidate": "tartu", "decision": "like"}).json()
    assert again["is_new_match"] is False
    assert again["match"] is not None

    matches = tartu.get("/api/organisations/tartu/matches/")
    assert matches.status_code == 200
    [match] = matches.json()
    assert match["organisation"] == {"slug": "riga", "name": "Riga", "country": "LV"}
    assert isinstance(match["conversation_url"], str)


def test_another_decision_replaces_the_previous_one(places, editors):
    client = client_for(editors["tartu"])
    client.post(swipes_url("tartu"), {"candidate": "riga", "decision": "save"}, format="json")
    response = client.post(
        swipes_url("tartu"), {"candidate": "riga", "decision": "pass"}, format="json"
    )
    assert response.json()["decision"] == "pass"
    assert list(Swipe.objects.values_list("decision", flat=True)) == ["pass"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"candidate": "nowhere", "decision": "like"}, "candidate"),
        ({"candidate": "tartu", "decision": "like"}, "candidate"),
        ({"candidate": "riga", "decision": "love"}, "decision"),
        ({"decision": "like"}, "candidate"),
    ],
)
def test_bad_swipes_are_field_errors(places, editors, payload, field):
    response = client_for(editors["tartu"]).post(swipes_url("tartu"), payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not Swipe.objects.exists()


def test_a_candidate_that_stopped_looking_cannot_be_liked(places, editors):
    places["riga"].visibility = Visibility.HIDDEN
    places["riga"].save()
    response = client_for(editors["tartu"]).post(
        swipes_url("tartu"), {"candidate": "riga", "decision": "like"}, format="json"
    )
    assert response.status_code == 400
    assert "candidate" in response.json()["errors"]


def test_only_editors_swipe_and_see_matches(places, editors):
    riga = client_for(editors["riga"])
    refused = riga.post(swipes_url("tartu"), {"candidate": "lyon", "decision": "like"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert riga.get("/api/organisations/tartu/matches/").status_code == 403
    assert APIClient().post(swipes_url("tartu"), {}).status_code == 401
    assert not Swipe.objects.exists()


def test_too_many_swipes_are_throttled(places, editors, monkeypatch):
    monkeypatch.setattr(services, "SWIPE_RATE_LIMIT", 2)
    client = client_for(editors["tartu"])
    for slug in ("riga", "espoo"):
        passed = client.post(swipes_url("tartu"), {"candidate": slug, "decision": "pass"})
        assert passed.status_code == 200
    response = client.post(swipes_url("tartu"), {"candidate": "lyon", "decision": "pass"})
    assert response.status_code == 429
    body = response.json()
    assert body["status"] == 429
    assert body["code"] == "throttled"
    assert "Too many swipes" in body["detail"]
    assert int(response["Retry-After"]) > 0
    assert Swipe.objects.count() == 2
