"""Signing up with e-mail verification and signing in with a second factor, in the browser."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from playwright.sync_api import expect

from municipia.accounts.models import User

from .harness import PASSWORD

pytestmark = pytest.mark.browser


def log_out_button(page):
    return page.locator("header").get_by_role("button", name="Log out")


def test_sign_up_with_email_verification(page, mailoutbox):
    page.goto("/en/")
    page.locator("header").get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/signup/$"))
    page.get_by_label("Email").fill("ines@example.org")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    expect(log_out_button(page)).to_have_count(0)
    assert [message.to for message in mailoutbox] == [["ines@example.org"]]
    link = re.search(r"https?://\S+/en/accounts/confirm-email/\S+/", mailoutbox[0].body)
    assert link, mailoutbox[0].body

    # Opening the link only shows the question: confirming is a deliberate POST.
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Email Address")
    assert not EmailAddress.objects.get(email="ines@example.org").verified
    page.get_by_role("button", name="Confirm").click()

    expect(log_out_button(page)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/en/account/$"))
    assert EmailAddress.objects.get(email="ines@example.org").verified
    assert User.objects.get(email="ines@example.org").preferred_language == "en"


@pytest.fixture
def totp_secret(verified_user):
    """The secret of an authenticator app set up for `verified_user`, stored the way allauth
    stores it (encrypted, in an `Authenticator` of type TOTP)."""
    secret = generate_totp_secret()
    TOTP.activate(verified_user, secret)
    assert Authenticator.objects.get(user=verified_user).type == Authenticator.Type.TOTP
    return secret


def current_code(secret: str) -> str:
    """The code an authenticator app shows now, computed by allauth's own HOTP function."""
    period = mfa_settings.TOTP_PERIOD
    # Too close to the end of the period, the code could expire before the server checks it.
    if period - time.time() % period < 2:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def wrong_code(secret: str) -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    valid = {format_hotp_value(hotp_value(secret, counter + step)) for step in (-1, 0, 1, 2)}
    return next(code for code in ("000000", "123456", "999999") if code not in valid)


def sign_in(page, email: str) -> None:
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    expect(log_out_button(page)).to_have_count(0)


def test_sign_in_with_an_authenticator_code(page, totp_secret):
    sign_in(page, "anna@example.org")
    page.get_by_label("Code:", exact=True).fill(current_code(totp_secret))
    page.get_by_role("button", name="Sign In").click()

    expect(log_out_button(page)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/en/account/$"))


def test_a_wrong_authenticator_code_is_refused(page, totp_secret):
    sign_in(page, "anna@example.org")
    page.get_by_label("Code:", exact=True).fill(wrong_code(totp_secret))
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    expect(log_out_button(page)).to_have_count(0)
    # The account page stays out of reach: the half-finished log-in sends us back to the code.
    page.goto("/en/account/")
    expect(page).to_have_url(re.compile(r"/en/accounts/2fa/authenticate/$"))
    expect(log_out_button(page)).to_have_count(0)


def test_set_up_an_authenticator_app(page, log_in, verified_user):
    log_in(verified_user)
    page.goto("/en/accounts/2fa/")
    expect(page.get_by_text("An authenticator app is not active.")).to_be_visible()
    page.get_by_role("link", name="Activate").click()

    # Changing a second factor asks for the password again.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Access")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Activate Authenticator App")
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Activate").click()

    expect(page.get_by_text("Authenticator app activated.")).to_be_visible()
    assert Authenticator.objects.filter(user=verified_user, type=Authenticator.Type.TOTP).exists()
