"""The pieces of the browser-test harness: where the tools are, and a Playwright page that has
axe-core check every document before a test touches it."""

import os
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import Error, Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
PASSWORD = "Lighthouse-keeper-42"

# Runs axe once per document: the flag lives on the document's window, so a new document (after
# any navigation) starts unchecked. Returns null when this document was already checked.
AXE_RUN = """
async (tags) => {
  if (window.__municipiaAxeChecked) return null;
  window.__municipiaAxeChecked = true;
  // A navigation may have committed since Python waited for "load": judge the finished page.
  if (document.readyState !== 'complete') {
    await new Promise((resolve) => window.addEventListener('load', resolve, {once: true}));
  }
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  // The document's own address: a navigation may have committed after Python read page.url.
  return {url: location.href, violations: results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((node) => node.target.join(' ')),
  }))};
}
"""

# A page changed in place by htmx is a new state: check it again at the next use of the page.
# afterSwap fires in the same task as the swap, so once a test sees new content the flag is reset.
HTMX_RECHECK = """
document.addEventListener('htmx:afterSwap', () => { window.__municipiaAxeChecked = false; });
"""


def require(path: Path, what: str) -> None:
    """Skip when a tool the browser tests need is absent; on CI (CI=true), fail instead."""
    if path.exists():
        return
    message = f"{what} is missing ({path}); `make test` installs it."
    # On CI a missing tool must not turn the browser tests into silent skips.
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def serious_violations(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def describe_violations(url: str, violations: list[dict]) -> str:
    """One readable block per page: rule id, impact, help text, link, and each failing element."""
    lines = [f"{url}:"]
    for violation in violations:
        lines.append(f"  - {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        lines.extend(f"      at {target}" for target in violation["targets"])
    return "\n".join(lines)


class AxeCheckedPage(Page):
    """A Playwright page that has axe check each document before the test touches it.

    Any public attribute (goto, locator, get_by_role, keyboard, url…) first checks the document
    shown, once per document. `_axe_report()`, called by the conftest when the test ends, checks
    the last one and adds every document that was loaded but left unchecked. It is built on the
    driver object of the page it wraps, so it is a real `Page` that `expect(page)` accepts.
    """

    def __init__(self, page: Page) -> None:
        super().__init__(page._impl_obj)
        self._raw = page
        self._checking = False
        self._loaded: list[str] = []
        self._checked: list[str] = []
        self._problems: list[str] = []
        # Only a note, no browser call: handlers run while the test goes on.
        page.on("domcontentloaded", lambda: self._loaded.append(page.url))

    def __getattribute__(self, name):
        if not name.startswith("_") and not object.__getattribute__(self, "_checking"):
            object.__getattribute__(self, "_check_current_document")()
        return super().__getattribute__(name)

    def _check_current_document(self) -> None:
        raw = self._raw
        self._checking = True
        try:
            # A navigation may commit while we look: wait for the new document and try again.
            for _attempt in range(5):
                try:
                    raw.wait_for_load_state("load")
                    url = raw.url
                    if url == "about:blank":
                        return
                    result = raw.evaluate(AXE_RUN, AXE_TAGS)
                except Error as error:
                    if "context was destroyed" in str(error) or "navigat" in str(error):
                        continue
                    raise
                if result is not None:
                    url = result["url"]
                    self._checked.append(url)
                    serious = serious_violations(result["violations"])
                    if serious:
                        self._problems.append(describe_violations(url, serious))
                return
            self._problems.append(f"{raw.url}: axe could not run (the page kept navigating)")
        finally:
            self._checking = False

    def _axe_report(self) -> str:
        """Check the document shown now, then describe every problem met so far ("" if none)."""
        self._check_current_document()
        problems = list(self._problems)
        unchecked = Counter(self._loaded) - Counter(self._checked)
        if unchecked:
            problems.append(
                "Left before axe could check them (use the page once after each navigation):\n"
                + "\n".join(f"  - {url}" for url in unchecked.elements())
            )
        return "\n".join(problems)

    @property
    def _axe_checked_urls(self) -> list[str]:
        return list(self._checked)
