"""Browser tests: Debian's Chromium, driven by Playwright against pytest-django's live server,
with axe-core checking every page a test visits.

The `page` fixture is an `AxeCheckedPage` (see harness.py): each document is checked by axe
before the test touches it and the last one when the test ends, without the test asking. A
document left before it could be checked fails the test instead of going unchecked, and so do
serious and critical violations (WCAG 2.1 A and AA rules).
"""

import os

import pytest

from .harness import (
    AXE_SCRIPT,
    CHROMIUM,
    CHROMIUM_ARGS,
    HTMX_RECHECK,
    PASSWORD,
    AxeCheckedPage,
    require,
)
from .taxonomy_data import ensure_taxonomy

# Playwright's sync API keeps an asyncio loop open in this thread; the ORM calls the tests make
# between browser steps are still ordinary synchronous calls, not calls from a coroutine.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session; each test gets its own context."""
    require(CHROMIUM, "Chromium (Debian package chromium)")
    require(AXE_SCRIPT, "axe-core (npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, django_db_serialized_rollback):
    """A fresh browser context (no cookies) on the live server; paths are relative to it.

    The live server needs a transactional database, which is emptied after each test; the
    serialized rollback brings back what the migrations loaded (the themes) for each test,
    except after other transactional tests of the session (ensure_taxonomy says why).
    """
    ensure_taxonomy()
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    # Init scripts reach every document, even those reached by a form post or a redirect.
    context.add_init_script(path=str(AXE_SCRIPT))
    context.add_init_script(script=HTMX_RECHECK)
    page = AxeCheckedPage(context.new_page())
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    # Only reached when the test body passed; a failing test already reports its own error.
    page = item.funcargs.get("page")
    if isinstance(page, AxeCheckedPage):
        report = page._axe_report()
        if report:
            pytest.fail(
                "Serious or critical accessibility problems (axe-core, WCAG 2.1 A/AA):\n" + report,
                pytrace=False,
            )
    return result


@pytest.fixture
def verified_user(transactional_db):
    """Someone who signed up and confirmed their e-mail address, so allauth lets them in."""
    from allauth.account.models import EmailAddress

    from municipia.accounts.models import User

    user = User.objects.create_user(email="anna@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def log_in(page, live_server):
    """Sign a user in by handing the browser a session cookie (for pages behind the login).

    The log-in form itself is covered by its own tests; here it would only cost time.
    """
    from django.conf import settings
    from django.test import Client

    def log_in(user) -> None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )

    return log_in
