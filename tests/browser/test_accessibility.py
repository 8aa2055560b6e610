"""Every page of the interface, public and signed in, meets WCAG 2.1 A/AA as far as axe-core can
tell (serious and critical violations fail; the `page` fixture runs axe on each page state)."""

import re

import pytest
from playwright.sync_api import expect

from municipia.notifications.services import notify
from municipia.taxonomy.models import Theme

pytestmark = pytest.mark.browser


def test_public_pages(page, live_server):
    paths = []
    for path, heading in [
        ("/en/", "Partners for local and regional governments"),
        ("/en/themes/", "Themes and Sustainable Development Goals"),
        ("/en/themes/sdg/11/", "11 Sustainable cities and communities"),
        ("/en/accounts/login/", "Sign In"),
        ("/en/accounts/signup/", "Sign Up"),
        ("/en/accounts/password/reset/", "Password Reset"),
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        paths.append(path)

    theme = Theme.objects.filter(parent__isnull=False).order_by("code").first()
    page.goto("/en/themes/")
    page.get_by_role("link", name=theme.labels["en"], exact=True).first.click()
    expect(page).to_have_url(f"{live_server.url}/en/themes/{theme.code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(theme.labels["en"])
    paths += ["/en/themes/", f"/en/themes/{theme.code}/"]
    assert page._axe_checked_urls == [live_server.url + path for path in paths]


def test_forms_after_submission(page, verified_user, mailoutbox):
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(verified_user.email)
    page.get_by_label("Password:", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign In").click()
    error = "The email address and/or password you specified are not correct."
    expect(page.get_by_text(error)).to_be_visible()

    page.goto("/en/accounts/signup/")
    page.get_by_label("Email").fill("new@example.org")
    page.get_by_label("Password:", exact=True).fill("Lighthouse-keeper-42")
    page.get_by_label("Password (again)").fill("Something-else-43")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_text("You must type the same password each time.")).to_be_visible()

    page.goto("/en/accounts/password/reset/")
    page.get_by_label("Email").fill(verified_user.email)
    page.get_by_role("button", name="Reset My Password").click()
    expect(page.get_by_text("We have sent you an email.")).to_be_visible()
    assert [message.to for message in mailoutbox] == [[verified_user.email]]


def test_signed_in_pages(page, log_in, verified_user):
    notify(recipient=verified_user, kind="info", title="Welcome to the network", email=False)
    log_in(verified_user)
    for path, heading in [
        ("/en/account/", "Your account"),
        ("/en/accounts/email/", "Email Addresses"),
        ("/en/accounts/password/change/", "Change Password"),
        ("/en/accounts/2fa/", "Two-Factor Authentication"),
        ("/en/notifications/", "Notifications"),
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    # htmx swaps the notification in place: that new state is checked by axe as well.
    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_role("button", name="Mark as read")).to_have_count(0)
    expect(page.locator(".notification").first).to_contain_text("· read")


def test_the_focus_stays_where_a_keyboard_user_acted(page, log_in, verified_user):
    """Marking a notification as read replaces it: the focus goes to the new
    notification, not back to the top of the page."""
    for title in ("First news", "Second news"):
        notify(recipient=verified_user, kind="info", title=title, email=False)
    log_in(verified_user)
    page.goto("/en/notifications/")
    button = page.get_by_role("button", name=re.compile(r"^Mark as read\W+First news$"))
    button.focus()
    page.keyboard.press("Enter")
    item = page.locator(".notification", has_text="First news")
    expect(item).to_contain_text("read")
    expect(item).to_be_focused()
    # The next Tab goes on from there, not from the top of the page.
    page.keyboard.press("Tab")
    assert item.evaluate(
        "item => Boolean(item.compareDocumentPosition(document.activeElement)"
        " & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
