"""/api/me/: authentication by session and by bearer token, the user's roles, and
changing one's own name and language."""

import pytest
from rest_framework.test import APIClient

from municipia.accounts import services as account_services
from municipia.accounts.enums import Role

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"status", "code", "detail"}


def test_anonymous_is_told_to_authenticate(api_client):
    response = api_client.get("/api/me/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {
        "status": 401,
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
    }


def test_session_authentication(api_client, organisation_admin):
    api_client.force_login(organisation_admin)

    response = api_client.get("/api/me/")

    assert response.status_code == 200
    assert response.json() == {
        "id": organisation_admin.pk,
        "email": "admin@example.org",
        "display_name": "",
        "preferred_language": "en",
        "is_platform_staff": False,
        "roles": [
            {"role": "organisation_admin", "organisation": "koln", "organisation_name": "Köln"}
        ],
    }


def test_bearer_token_authentication_lists_every_role(bearer_client, organisation_admin):
    account_services.grant_role(actor=None, user=organisation_admin, role=Role.EVENT_ORGANISER)

    response = bearer_client.get("/api/me/")

    assert response.status_code == 200
    assert response.json()["email"] == "admin@example.org"
    assert sorted(response.json()["roles"], key=lambda grant: grant["role"]) == [
        {"role": "event_organiser", "organisation": None, "organisation_name": None},
        {"role": "organisation_admin", "organisation": "koln", "organisation_name": "Köln"},
    ]


def test_staff_flag(api_client, staff_user):
    api_client.force_login(staff_user)

    assert api_client.get("/api/me/").json()["is_platform_staff"] is True


def test_me_query_count(
    bearer_client, organisation_admin, organisation, django_assert_max_num_queries
):
    account_services.grant_role(actor=None, user=organisation_admin, role=Role.EVENT_ORGANISER)
    account_services.grant_role(
        actor=None, user=organisation_admin, role=Role.MEMBER, organisation=organisation
    )

    # The token with its user, then the roles with their organisations.
    with django_assert_max_num_queries(2):
        response = bearer_client.get("/api/me/")
    assert len(response.json()["roles"]) == 3


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-real-token",
        "Bearer",
        "Bearer two words",
    ],
)
def test_bad_token_is_refused(api_client, token, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)

    response = api_client.get("/api/me/")

    assert response.status_code == 401
    assert set(response.json()) == ERROR_KEYS
    assert response.json()["status"] == 401
    assert response.json()["code"] == "authentication_failed"


def test_bad_token_is_refused_on_public_endpoints_too(api_client, db):
    # Silently treating the caller as anonymous would hide a broken integration.
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-real-token")

    response = api_client.get("/api/themes/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_revoked_token_is_refused(bearer_client, organisation_admin):
    account_services.revoke_api_token(user=organisation_admin)

    assert bearer_client.get("/api/me/").status_code == 401


def test_token_of_deactivated_user_is_refused(bearer_client, organisation_admin):
    organisation_admin.is_active = False
    organisation_admin.save(update_fields=["is_active"])

    response = bearer_client.get("/api/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_patch_changes_name_and_language(bearer_client, organisation_admin):
    response = bearer_client.patch(
        "/api/me/", {"display_name": "  Anna Schmidt ", "preferred_language": "de"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["display_name"] == "Anna Schmidt"
    assert response.json()["preferred_language"] == "de"
    organisation_admin.refresh_from_db()
    assert (organisation_admin.display_name, organisation_admin.preferred_language) == (
        "Anna Schmidt",
        "de",
    )


def test_patch_keeps_what_is_not_sent(bearer_client, organisation_admin):
    organisation_admin.display_name = "Anna"
    organisation_admin.save(update_fields=["display_name"])

    response = bearer_client.patch("/api/me/", {"preferred_language": "fr"}, format="json")

    assert response.status_code == 200
    assert response.json()["display_name"] == "Anna"
    assert response.json()["preferred_language"] == "fr"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"preferred_language": "xx"}, "preferred_language"),
        ({"display_name": "x" * 151}, "display_name"),
        ({"display_name": 42}, "display_name"),
        ({"display_name": None}, "display_name"),
        ({"display_name": "nul\x00character"}, "display_name"),
        (["not", "an", "object"], "non_field_errors"),
    ],
)
def test_patch_validation_errors(bearer_client, organisation_admin, body, field):
    response = bearer_client.patch("/api/me/", body, format="json")

    assert response.status_code == 400
    assert response.json()["status"] == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["detail"] == "Invalid input."
    assert list(response.json()["errors"]) == [field]
    assert all(isinstance(message, str) for message in response.json()["errors"][field])
    organisation_admin.refresh_from_db()
    assert organisation_admin.preferred_language == "en"


def test_validation_messages_follow_accept_language(bearer_client, organisation_admin):
    response = bearer_client.patch(
        "/api/me/", {"preferred_language": "xx"}, format="json", HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert response.status_code == 400
    assert response.json()["detail"] != "Invalid input."
    assert "n'est pas un choix valide" in response.json()["errors"]["preferred_language"][0]


def test_patch_accepts_json_only(bearer_client, organisation_admin):
    response = bearer_client.patch(
        "/api/me/", "display_name=Anna", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_patch_by_session_needs_the_csrf_token(organisation_admin):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(organisation_admin)

    response = client.patch("/api/me/", {"display_name": "Anna"}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["detail"]


def test_patch_anonymous(api_client):
    response = api_client.patch("/api/me/", {"display_name": "Anna"}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_anonymous_requests_are_throttled(api_client, db, throttle_rates):
    throttle_rates(anon="2/minute", user="100/minute")

    statuses = [api_client.get("/api/themes/").status_code for _ in range(3)]
    response = api_client.get("/api/themes/")

    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert set(response.json()) == ERROR_KEYS
    assert (response.json()["status"], response.json()["code"]) == (429, "throttled")


def test_users_are_throttled_by_account(bearer_client, api_client, throttle_rates):
    throttle_rates(anon="100/minute", user="2/minute")

    statuses = [bearer_client.get("/api/me/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert bearer_client.get("/api/me/").json()["code"] == "throttled"
    # Another caller has a budget of its own.
    assert api_client.get("/api/themes/").status_code == 200
