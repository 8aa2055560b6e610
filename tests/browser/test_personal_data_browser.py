""" "Your data" with the keyboard only: downloading one's data as JSON, then deleting one's
account, first with a wrong password, then with the right one. axe-core checks every page
(conftest), the delete page with its field error included."""

import json
import re

import pytest
from playwright.sync_api import expect

from municipia.accounts.models import User

from .harness import PASSWORD
from .keyboard import focus_button, tab_to
from .test_accounts import log_out_button

pytestmark = pytest.mark.browser


def test_download_my_data_then_delete_my_account(page, live_server, log_in, verified_user):
    log_in(verified_user)
    page.goto("/en/")
    focus_button(page, "Account")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/account/$"))

    # The account navigation leads to "Your data".
    account_nav = page.get_by_role("navigation", name="Account settings")
    expect(account_nav.get_by_role("link", name="Your data")).to_be_visible()
    focus_button(page, "Your data")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/account/data/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(account_nav.get_by_role("link", name="Your data")).to_have_attribute(
        "aria-current", "page"
    )

    focus_button(page, "Download my data (JSON)")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert re.fullmatch(
        r"municipia-personal-data-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename
    )
    with open(download.path(), encoding="utf-8") as file:
        text = file.read()
    data = json.loads(text)
    assert data["account"]["email"] == "anna@example.org"
    assert "anna@example.org" in text
    assert "password" not in text.lower()

    focus_button(page, "Delete my account…")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/account/delete/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")

    # A wrong password: the error is shown and tied to the field for screen readers.
    password = page.get_by_label("Your password")
    tab_to(page, password)
    page.keyboard.type("not-my-password")
    focus_button(page, "Delete my account permanently")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/account/delete/$"))
    password = page.get_by_label("Your password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile(r"This password is not correct\."))
    error = page.locator("#id_password_error")
    expect(error).to_have_text("This password is not correct.")
    expect(error).to_be_visible()
    assert User.objects.filter(pk=verified_user.pk).exists()
    # axe checked "Your data", the delete page and, again, the delete page with the error.
    checked = page._axe_checked_urls
    assert f"{live_server.url}/en/account/data/" in checked
    assert checked.count(f"{live_server.url}/en/account/delete/") == 2
    expect(log_out_button(page)).to_be_visible()

    # The right password, sent with Enter from the field: the account is gone.
    tab_to(page, password)
    expect(password).to_have_value("")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.get_by_text("Your account and your personal data were deleted.")).to_be_visible()
    expect(log_out_button(page)).to_have_count(0)
    expect(page.locator("header").get_by_role("link", name="Log in")).to_be_visible()
    assert not User.objects.filter(pk=verified_user.pk).exists()
    assert not User.objects.filter(email="anna@example.org").exists()

    # Signed out: "Your data" now asks to log in.
    page.goto("/en/account/data/")
    expect(page).to_have_url(re.compile(r"/en/accounts/login/"))
