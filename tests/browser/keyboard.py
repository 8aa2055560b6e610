"""Keyboard-only moves of the browser tests: press Tab (or Shift+Tab) until the
wanted element has the focus."""


def _focused_text(page) -> str:
    text = page.evaluate("document.activeElement && document.activeElement.innerText") or ""
    return " ".join(text.split())


def tab_until(page, has_focus, what: str, key: str = "Tab", presses: int = 120) -> None:
    for _ in range(presses):
        if has_focus():
            return
        page.keyboard.press(key)
    seen = page.evaluate("[...document.querySelectorAll('button')].map(b => b.innerText)")
    raise AssertionError(f"{what} cannot be reached with {key}; buttons: {seen}")


def focus_button(page, starts_with: str, key: str = "Tab") -> None:
    """Until the focused element's text starts with `starts_with`."""
    tab_until(page, lambda: _focused_text(page).startswith(starts_with), repr(starts_with), key)


def focus_by_keyboard(page, name: str, key: str = "Tab") -> None:
    """Until the link or button called exactly `name` has the focus."""
    tab_until(page, lambda: _focused_text(page) == name, repr(name), key)


def tab_to(page, locator, key: str = "Tab") -> None:
    """Until the form field `locator` has the focus (fields have no text to match)."""
    tab_until(
        page,
        lambda: locator.evaluate("(field) => field === document.activeElement"),
        str(locator),
        key,
    )
