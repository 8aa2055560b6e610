"""Countries and languages as people read them in the interface.

Names come from pycountry and are translated with pycountry's own gettext
catalogues (domains `iso3166-1` and `iso639-3`), so the directory needs no
catalogue of country names of its own. Lists are cached per interface language.
"""

from __future__ import annotations

import gettext
import re
from functools import cache

import pycountry
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .services import EXTRA_COUNTRIES
from .text import fold

# Languages a European local government works in: the 24 official languages of
# the EU, then the other languages of CEMR's and its neighbours' members.
WORKING_LANGUAGES = (
    *("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr"),
    *("hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv"),
    *("ca", "eu", "gl", "cy", "lb", "is", "no", "sq", "mk", "sr", "bs", "uk"),
    *("ru", "ka", "hy", "az", "tr", "be", "ar"),
)

# Names pycountry does not carry (Kosovo's code is user-assigned).
_EXTRA_COUNTRY_LABELS = {"XK": _("Kosovo")}


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


@cache
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        # No catalogue for this language: English names.
        return gettext.NullTranslations()


def country_name(code: str, language: str | None = None) -> str:
    """The country's short name in `language` (the active language by default);
    "" for an unknown code."""
    code = (code or "").upper()
    if code in _EXTRA_COUNTRY_LABELS:
        with translation.override(language or _language()):
            return str(_EXTRA_COUNTRY_LABELS[code])
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return EXTRA_COUNTRIES.get(code, "")
    catalogue = _catalogue("iso3166-1", language or _language())
    common = getattr(country, "common_name", None)
    if common:
        # "Moldova" rather than "Moldova, Republic of", when the catalogue has it.
        translated = catalogue.gettext(common)
        if translated != common or language == "en":
            return translated
    translated = catalogue.gettext(country.name)
    return common if translated == country.name and common else translated


@cache
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    codes = [country.alpha_2 for country in pycountry.countries] + list(_EXTRA_COUNTRY_LABELS)
    named = [(code, country_name(code, language)) for code in codes]
    return tuple(sorted(named, key=lambda item: fold(item[1])))


def country_choices() -> list[tuple[str, str]]:
    """Every country as (alpha-2 code, name), sorted by name in the active language."""
    return list(_country_choices(_language()))


def language_name(code: str, language: str | None = None) -> str:
    """The name of an ISO 639-1 language in `language` (active language by default)."""
    found = pycountry.languages.get(alpha_2=(code or "").lower())
    if found is None:
        return code or ""
    name = _catalogue("iso639-3", language or _language()).gettext(found.name)
    # ISO 639's dating of a language is not part of its name for a city hall:
    # "Modern Greek (1453-)" is Modern Greek.
    return _DATED.sub("", name)


_DATED = re.compile(r"\s*\([^()]*\d[^()]*\)$")


@cache
def _language_choices(language: str) -> tuple[tuple[str, str], ...]:
    named = [(code, language_name(code, language)) for code in WORKING_LANGUAGES]
    return tuple(sorted(named, key=lambda item: fold(item[1])))


def language_choices() -> list[tuple[str, str]]:
    """The working languages offered in forms, as (code, name), sorted by name."""
    return list(_language_choices(_language()))
