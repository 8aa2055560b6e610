import pytest
from django.urls import reverse

from municipia.accounts.enums import AuditAction
from municipia.accounts.models import AuditEntry


def test_account_page_lists_roles(client, organisation_editor):
    client.force_login(organisation_editor)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert "Köln" in response.content.decode()
    assert "Organisation editor" in response.content.decode()


def test_account_settings_change_language(client, plain_user):
    client.force_login(plain_user)
    response = client.post(
        reverse("accounts:profile"), {"display_name": "Anna", "preferred_language": "fr"}
    )
    assert response.status_code == 302
    plain_user.refresh_from_db()
    assert (plain_user.display_name, plain_user.preferred_language) == ("Anna", "fr")


def test_account_settings_field_errors(client, plain_user):
    client.force_login(plain_user)
    response = client.post(
        reverse("accounts:profile"), {"display_name": "x", "preferred_language": "xx"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_token_shown_once(client, plain_user):
    client.force_login(plain_user)
    client.post(reverse("accounts:create_token"))
    first = client.get(reverse("accounts:profile")).context["new_token"]
    assert first and len(first) == 40
    assert client.get(reverse("accounts:profile")).context["new_token"] is None
    assert AuditEntry.objects.filter(action=AuditAction.API_TOKEN_CREATED).count() == 1


def test_language_switch_remembers_signed_in_choice(client, plain_user):
    client.force_login(plain_user)
    response = client.post(reverse("set_language"), {"language": "es", "next": "/en/themes/"})
    assert response.status_code == 302
    assert response.url == "/es/themes/"
    plain_user.refresh_from_db()
    assert plain_user.preferred_language == "es"


def test_language_switch_for_visitors(client, db):
    response = client.post(reverse("set_language"), {"language": "de", "next": "/en/"})
    assert response.url == "/de/"


def test_signup_stores_the_language_of_the_page(client, db):
    from municipia.accounts.models import User

    response = client.post(
        "/fr/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="new@example.org").preferred_language == "fr"


def test_admin_only_for_staff(client, organisation_admin, staff_user):
    client.force_login(organisation_admin)
    assert client.get("/en/admin/").status_code == 302
    client.force_login(staff_user)
    assert client.get("/en/admin/").status_code == 200
    assert client.get("/en/admin/accounts/auditentry/").status_code == 200


def test_demo_logins_lists_every_demo_account(db):
    from io import StringIO

    from django.core.management import call_command

    from municipia.accounts.demo import DEMO_PASSWORD, DEMO_USERS

    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert DEMO_PASSWORD in out.getvalue()
    for email, *_rest in DEMO_USERS:
        assert email in out.getvalue()


@pytest.mark.parametrize(
    "asked, stored",
    [("de-zz", "de"), ("fr-abcdefgh-ijklmnop", "fr"), ("it", "en"), ("\x00", "en"), ("", "en")],
)
def test_the_language_switch_remembers_only_an_interface_language(
    client, plain_user, asked, stored
):
    client.force_login(plain_user)
    response = client.post("/i18n/setlang/", {"language": asked, "next": "/"})
    assert response.status_code == 302
    plain_user.refresh_from_db()
    assert plain_user.preferred_language == stored


@pytest.mark.parametrize("browser", ["fr", "de", "en"])
def test_the_language_switch_lands_on_the_same_page_in_the_chosen_language(client, db, browser):
    # The cookie or the browser may name another language than the page's prefix.
    client.cookies["django_language"] = browser
    response = client.post(
        "/i18n/setlang/",
        {"language": "es", "next": "/en/events/?past=1"},
        HTTP_ACCEPT_LANGUAGE=browser,
    )
    assert response.status_code == 302
    assert response["Location"] == "/es/events/?past=1"
    # An address elsewhere, or already in that language, is left as it is.
    for next_url in ("/api/events/", "/es/directory/"):
        response = client.post("/i18n/setlang/", {"language": "es", "next": next_url})
        assert response["Location"] == next_url


def test_account_e_mails_name_the_site(client, db, mailoutbox):
    client.post(
        "/en/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
        },
    )
    [message] = mailoutbox
    assert "from municipia!" in message.body
    assert "example.com" not in message.body
