"""Downloading one's personal data (GDPR articles 15 and 20)."""

import json

from django.urls import reverse

from municipia.accounts.personal_data import personal_data_of


def test_export_holds_the_persons_own_data(world):
    data = personal_data_of(user=world.anna)

    assert data["account"]["email"] == "anna@koeln.example"
    assert data["account"]["display_name"] == "Anna Schmidt"
    assert [grant["organisation"] for grant in data["role_grants"]] == ["Köln"]
    assert [n["title"] for n in data["notifications"]] == ["Welcome Anna"]
    registrations = data["events"]["registrations"]
    assert [r["event"] for r in registrations] == ["Seminar past-seminar", "Seminar future-seminar"]
    assert [r["dietary_needs"] for r in registrations] == ["Vegetarian", "Vegan"]
    assert registrations[1]["session_sign_ups"][0]["session"] == "Heat pumps workshop"
    assert registrations[1]["networking_profile"]["topics"] == "Heat pumps"
    assert registrations[0]["blocked_times"][0]["note"] == "Doctor's appointment"
    requests = data["events"]["meeting_requests"]
    assert [(r["direction"], r["with"], r["status"]) for r in requests] == [
        ("received", "Piotr Nowak", "accepted"),
        ("sent", "Piotr Nowak", "requested"),
    ]
    assert [m["text"] for m in data["messages_sent"]] == ["Hello from Köln"]
    assert data["funding"]["deadline_alert_settings"] == {"days_before": [14, 2]}
    assert [i["message"] for i in data["funding"]["expressions_of_interest"]] == [
        "Köln is interested"
    ]
    assert data["partner_matching_decisions"][0]["candidate"] == "Kraków"
    assert data["directory_entry"]["email"] == "anna@koeln.example"
    assert len(data["api_tokens"]) == 1
    assert {entry["action"] for entry in data["audit_trail"]} == {
        "role_granted",
        "api_token_created",
    }


def test_export_holds_no_other_persons_data_and_no_secret(world):
    text = json.dumps(personal_data_of(user=world.anna), default=str)

    # The meeting partner appears by name only; nothing of Piotr's own.
    for leaked in (
        "piotr@krakow.example",
        "Halal",
        "District heating",
        "Piotr's own notification",
        "private to Piotr",
        "aino@espoo.example",
    ):
        assert leaked not in text
    # Secrets never leave.
    world.anna.refresh_from_db()
    world.anna_future.refresh_from_db()
    for secret in (
        world.anna.password,
        world.token_key,
        world.anna_future.feed_token,
        world.anna.deadline_alert_settings.feed_token,
    ):
        assert secret not in text
    assert "password" not in text


def test_data_page_and_download(client, world):
    client.force_login(world.anna)
    page = client.get(reverse("accounts:personal_data"))
    assert page.status_code == 200
    assert reverse("accounts:download_personal_data") in page.content.decode()

    response = client.get(reverse("accounts:download_personal_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="municipia-personal-data-'
    )
    assert response["Cache-Control"] == "no-store, private"
    data = json.loads(response.content)
    assert data["account"]["email"] == "anna@koeln.example"
    assert world.token_key not in response.content.decode()


def test_account_menu_links_to_your_data(client, plain_user):
    client.force_login(plain_user)
    response = client.get(reverse("accounts:profile"))
    assert reverse("accounts:personal_data") in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for name in ("personal_data", "download_personal_data", "delete_account"):
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    response = client.post(reverse("accounts:delete_account"), {"password": "x"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_export_query_count_is_bounded(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        personal_data_of(user=world.anna)
