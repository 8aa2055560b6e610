"""The browser-test harness itself: axe findings and unchecked pages really fail a test, and a
missing browser is a skip on a workstation but an error on CI."""

from pathlib import Path

import pytest

from . import harness


def test_missing_tool_is_a_skip_locally(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="axe-core is missing"):
        harness.require(Path("/nonexistent/axe.min.js"), "axe-core")


def test_missing_tool_fails_on_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Chromium is missing"):
        harness.require(Path("/nonexistent/chromium"), "Chromium")


def test_report_lists_rule_help_and_targets():
    report = harness.describe_violations(
        "http://testserver/en/",
        [
            {
                "id": "image-alt",
                "impact": "critical",
                "help": "Images must have alternative text",
                "helpUrl": "https://dequeuniversity.com/rules/axe/4.11/image-alt",
                "targets": ["main > img", "#logo"],
            }
        ],
    )
    assert report.splitlines() == [
        "http://testserver/en/:",
        "  - image-alt (critical): Images must have alternative text",
        "    https://dequeuniversity.com/rules/axe/4.11/image-alt",
        "      at main > img",
        "      at #logo",
    ]


@pytest.mark.browser
def test_axe_finds_a_violation_in_a_page_state(page):
    page.goto("/en/")
    assert page._axe_report() == ""
    # Contrast must be judged on the real colours: the site's style sheet is served and applied.
    assert page.evaluate("document.styleSheets[0].cssRules.length") > 10
    # Break the page the way a careless template would, then mark it as a new state.
    page.evaluate(
        """() => {
          const img = document.createElement('img');
          img.src = '/static/img/logo.svg';
          const faint = document.createElement('p');
          faint.id = 'faint';
          faint.style.color = '#ddd';
          faint.textContent = 'Hardly readable';
          document.querySelector('main').append(img, faint);
          window.__municipiaAxeChecked = false;
        }"""
    )
    report = page._axe_report()
    assert "image-alt (critical)" in report
    assert "at #main > img" in report
    assert "color-contrast (serious)" in report
    assert "at #faint" in report
    page._problems.clear()  # the failure was the point of this test


@pytest.mark.browser
def test_a_page_left_unchecked_fails(page, live_server):
    # The wrapped page is bypassed on purpose: only a test that dodges the guard can do this.
    page._raw.goto("/en/themes/")
    page._raw.goto("/en/")
    report = page._axe_report()
    assert "Left before axe could check them" in report
    assert f"  - {live_server.url}/en/themes/" in report
    assert page._axe_checked_urls == [f"{live_server.url}/en/"]
    page._loaded.clear()


@pytest.mark.browser
def test_every_document_is_checked_without_asking(page, live_server):
    page.goto("/en/")
    page.get_by_role("link", name="Themes", exact=True).first.click()
    page.get_by_role("heading", level=1).wait_for()
    page.go_back()
    assert page._axe_report() == ""
    assert page._axe_checked_urls == [
        f"{live_server.url}/en/",
        f"{live_server.url}/en/themes/",
        f"{live_server.url}/en/",
    ]
