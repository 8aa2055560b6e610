"""The FR, ES and DE catalogues are complete: every interface string in the code is in
them, translated, and none is fuzzy."""

import os
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
