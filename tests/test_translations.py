"""The FR, ES and DE catalogues are complete: every interface string in the code is in
them, translated, and none is fuzzy."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "municipia"
LANGUAGES = ["fr", "es", "de"]


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        message = f"{tool} (Debian package gettext) is missing; `make test` installs it."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """Extract the strings of the code as it is now, into a scratch copy of the package."""
    _need("xgettext")
    scratch = tmp_path_factory.mktemp("messages") / "municipia"
    shutil.copytree(
        PACKAGE,
        scratch,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po", "vendor", "node_modules"),
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "--no-obsolete"]
        + [f"--locale={language}" for language in LANGUAGES],
        cwd=scratch,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return scratch / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_string_is_in_the_catalogue(fresh_catalogues, language):
    _need("msgcmp")
    committed = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"
    assert committed.exists(), f"{committed} is missing: run `make makemessages`"
    fresh = fresh_catalogues / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgcmp", "--use-untranslated", str(committed), str(fresh)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (
        f"Strings missing from {committed.relative_to(ROOT)} "
        f"(run `make makemessages` and translate them):\n{result.stderr}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    _need("msgfmt")
    committed = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(committed)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


# Second-person forms of allauth's German catalogue ("du", "dein", imperatives).
INFORMAL_GERMAN = re.compile(
    r"\b(du|dein\w*|dich|dir|hast|kannst|bist|musst|möchtest|solltest|erhältst|gib|"
    r"klicke|melde|bestätige|versuche|wähle|kontaktiere|überprüfe|lass)\b",
    re.IGNORECASE,
)
# allauth apps municipia installs; strings of the others are never shown.
INSTALLED_ALLAUTH_PARTS = re.compile(r"(^|\s)(account/|mfa/|templates/(account|mfa|allauth)/)")


def _po_entries(path: Path):
    """(references, msgid, msgstr) of each translated, non-fuzzy entry of a .po file."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.splitlines()
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            continue
        references = " ".join(line[3:] for line in lines if line.startswith("#:"))
        parts = {"msgid": [], "msgstr": []}
        current = None
        for line in lines:
            keyword, _, rest = line.partition(" ")
            if keyword in parts:
                current = keyword
                parts[current].append(ast.literal_eval(rest))
            elif current and line.startswith('"'):
                parts[current].append(ast.literal_eval(line))
        msgid, msgstr = "".join(parts["msgid"]), "".join(parts["msgstr"])
        if msgid and msgstr:
            yield references, msgid, msgstr


def test_allauth_german_strings_say_sie_not_du():
    """Account pages speak to city-hall staff formally, as the rest of municipia does."""
    import allauth

    allauth_po = Path(allauth.__file__).parent / "locale/de/LC_MESSAGES/django.po"
    informal = {
        msgid
        for references, msgid, msgstr in _po_entries(allauth_po)
        if INSTALLED_ALLAUTH_PARTS.search(references) and INFORMAL_GERMAN.search(msgstr)
    }
    assert len(informal) > 20, "the scan of allauth's catalogue found nothing: check the parser"
    overrides = PACKAGE / "locale_overrides/de/LC_MESSAGES/django.po"
    overridden = {msgid: msgstr for _, msgid, msgstr in _po_entries(overrides)}
    missing = sorted(informal - overridden.keys())
    assert not missing, f"allauth strings still informal in German; add to {overrides}: {missing}"
    for msgstr in overridden.values():
        assert not INFORMAL_GERMAN.search(msgstr), msgstr


def test_german_overrides_are_what_django_serves():
    from django.utils import translation

    with translation.override("de"):
        assert translation.gettext("Are you sure you want to sign out?") == (
            "Möchten Sie sich wirklich abmelden?"
        )
