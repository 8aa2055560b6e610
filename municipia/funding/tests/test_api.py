"""The funding API: calls, eligibility, calls for an organisation, partner
searches and answers; field errors, 401/403/404."""

import datetime

import pytest
from django.utils import timezone

from conftest import make_user
from municipia.accounts.enums import Role
from municipia.funding.enums import CallStatus

from .conftest import grant, make_call, make_org

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_list_and_read_calls_anonymously(client):
    call = make_call(title="Open to all", themes=[], sdgs=[])
    make_call(title="Draft", status=CallStatus.DRAFT)
    data = client.get("/api/funding/calls/").json()
    assert [c["title"] for c in data["results"]] == ["Open to all"]
    assert client.get(f"/api/funding/calls/{call.pk}/").json()["is_accepting"] is True


def test_publish_call_with_field_errors_and_permissions(client, funder, funder_editor, plain_user):
    body = {
        "organisation": funder.slug,
        "funder": "EIT Digital",
        "title": "AI",
        "deadline": (timezone.now() + datetime.timedelta(days=9)).isoformat(),
        "min_partners": 5,
        "max_partners": 2,
        "status": "open",
    }
    assert post(client, "/api/funding/calls/", body).status_code in (401, 403)
    client.force_login(plain_user)
    assert post(client, "/api/funding/calls/", {**body, "organisation": None}).status_code == 400
    del body["organisation"]
    assert post(client, "/api/funding/calls/", body).status_code == 403
    client.force_login(funder_editor)
    response = post(client, "/api/funding/calls/", {**body, "organisation": funder.slug})
    assert response.status_code == 400
    assert "max_partners" in response.json()["errors"]
    response = post(
        client,
        "/api/funding/calls/",
        {**body, "organisation": funder.slug, "max_partners": 8, "eligible_countries": ["fr"]},
    )
    assert response.status_code == 400 and "eligible_countries.0" in response.json()["errors"]
    response = post(
        client, "/api/funding/calls/", {**body, "organisation": funder.slug, "max_partners": 8}
    )
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("field", ["deadline", "opens_at"])
def test_a_date_at_the_end_of_the_calendar_is_a_field_error(client, funder, funder_editor, field):
    """9999-12-31 23:00 cannot be shown in Kiritimati's time (UTC+14): refused
    with a field error, so that no call breaks the pages that list it."""
    client.force_login(funder_editor)
    body = {
        "organisation": funder.slug,
        "funder": "EIT Digital",
        "title": "Far away",
        "deadline": (timezone.now() + datetime.timedelta(days=9)).isoformat(),
        "time_zone": "Pacific/Kiritimati",
        "status": "open",
        field: "9999-12-31T23:00:00+01:00",
    }
    response = post(client, "/api/funding/calls/", body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert client.get("/en/funding/").status_code == 200


def test_eligibility_check(client):
    call = make_call(eligible_groups=["eu"])
    make_org("Bergen", "NO")
    data = client.get(f"/api/funding/calls/{call.pk}/eligibility/?organisation=bergen").json()
    assert data["eligible"] is False and "Norway" in data["problems"][0]
    assert (
        client.get(f"/api/funding/calls/{call.pk}/eligibility/?organisation=x").status_code == 404
    )


def test_calls_for_an_organisation(client, organisation, organisation_editor, plain_user):
    make_call(title="Anyone")
    url = f"/api/funding/calls/for-organisation/?organisation={organisation.slug}"
    client.force_login(plain_user)
    assert client.get(url).status_code == 404
    client.force_login(organisation_editor)
    data = client.get(url).json()
    assert [r["call"]["title"] for r in data["results"]] == ["Anyone"]
    assert data["results"][0]["reasons"]
    for missing in ("/api/funding/calls/for-organisation/", f"{url.split('=')[0]}=%20"):
        response = client.get(missing)
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"organisation"}


def test_partner_search_and_interest_flow(client, organisation, organisation_editor):
    lyon = make_org("Lyon", "FR")
    lyon_editor = grant(make_user("lyon@example.org"), Role.ORGANISATION_EDITOR, lyon)
    client.force_login(organisation_editor)
    response = post(
        client,
        "/api/funding/partner-searches/",
        {"organisation": organisation.slug, "title": "Partners", "purpose": "Heat",
         "partners_sought": 2, "population_min": 10, "population_max": 5},
    )  # fmt: skip
    assert response.status_code == 400 and "population_max" in response.json()["errors"]
    search = post(
        client,
        "/api/funding/partner-searches/",
        {"organisation": organisation.slug, "title": "Partners", "purpose": "Heat"},
    ).json()
    base = f"/api/funding/partner-searches/{search['id']}"
    client.force_login(lyon_editor)
    interest = post(client, f"{base}/interests/", {"organisation": "lyon", "message": "Yes"})
    assert interest.status_code == 201
    interest_id = interest.json()["id"]
    assert (
        post(client, f"{base}/interests/{interest_id}/status/", {"status": "invited"}).status_code
        == 403
    )
    client.force_login(organisation_editor)
    assert client.get(f"{base}/interests/").json()["results"][0]["message"] == "Yes"
    response = post(client, f"{base}/interests/{interest_id}/status/", {"status": "invited"})
    assert response.status_code == 200 and response.json()["status"] == "invited"
    assert (
        post(client, f"{base}/interests/{interest_id}/status/", {"status": "nope"}).status_code
        == 400
    )
    assert post(client, f"{base}/close/", {"complete": True}).json()["status"] == "complete"
    assert client.get("/api/funding/partner-searches/").json()["results"] == []


def test_list_filters_are_checked(client):
    make_call(title="Open to all")
    make_call(title="Old", status=CallStatus.CLOSED)
    calls = "/api/funding/calls/"
    titles = {c["title"] for c in client.get(calls, {"closed": "true"}).json()["results"]}
    assert titles == {"Old", "Open to all"}
    assert len(client.get(calls, {"closed": "false"}).json()["results"]) == 1
    for bad in ({"closed": "null"}, {"closed": "maybe"}, {"country": "FRA"}, {"theme": "a b"}):
        response = client.get(calls, bad)
        assert response.status_code == 400, bad
        assert set(bad) <= set(response.json()["errors"])
    searches = "/api/funding/partner-searches/"
    assert client.get(searches, {"kind": "municipality", "call": "1"}).status_code == 200
    for bad in ({"kind": "castle"}, {"call": "null"}, {"call": "0"}, {"country": "1"}):
        assert client.get(searches, bad).status_code == 400, bad


def test_a_calls_link_is_a_web_address_the_document_describes(client, funder, funder_editor):
    body = {
        "organisation": funder.slug,
        "funder": "EIT Digital",
        "title": "AI",
        "deadline": (timezone.now() + datetime.timedelta(days=9)).isoformat(),
    }
    client.force_login(funder_editor)
    for link in (
        "https://" + "a" * 64 + ".eu/call",  # a host label Django's validator refuses
        "ftp://files.example.org/call.pdf",
        "https://localhost/call",
    ):
        response = post(client, "/api/funding/calls/", {**body, "link": link})
        assert response.status_code == 400 and "link" in response.json()["errors"], link
    for link in ("https://eacea.ec.europa.eu/grants/call?id=7#rules", ""):
        response = post(client, "/api/funding/calls/", {**body, "link": link})
        assert response.status_code == 201, response.json()
        assert response.json()["link"] == link
