"""Reading the values of cells: countries, types, codes, numbers, yes and no;
and `RowChecker`, which collects the problems of one row."""

from __future__ import annotations

import re

import pycountry
from django.utils.translation import gettext as _

from .. import services
from ..enums import OrganisationType
from ..text import fold
from .report import ImportReport, Problem


def country(value: str) -> str | None:
    """ISO alpha-2 code from an alpha-2 or alpha-3 code or an English name."""
    value = value.strip()
    if not value:
        return None
    if value.upper() in services.EXTRA_COUNTRIES or fold(value) == "kosovo":
        return "XK"
    try:
        return pycountry.countries.lookup(value).alpha_2
    except LookupError:
        return None


def choice(value: str, choices) -> str | None:
    """The code of a TextChoices member given its code or its English label."""
    wanted = fold(value).replace(" ", "_")
    for code, label in choices:
        if wanted in (code, fold(str(label)).replace(" ", "_")):
            return code
    return None


_TYPE_ALIASES = {"county": OrganisationType.PROVINCE, "city": OrganisationType.MUNICIPALITY}


def kind_of(value: str) -> str | None:
    return choice(value, OrganisationType.choices) or _TYPE_ALIASES.get(fold(value))


def codes(value: str, *, spaces: bool = True) -> list[str]:
    """A list written "de,en", "de; en" or "de en" (without `spaces` only the
    first two, for lists of labels that contain spaces)."""
    for separator in (";", "|", " ") if spaces else (";", "|"):
        value = value.replace(separator, ",")
    return [code.strip() for code in value.split(",") if code.strip()]


_THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")
_WHOLE = re.compile(r"^(\d+)(\.0+)?$")


def integer(value: str) -> int | None:
    """A whole number, also written "1 234 567", "1,234,567", "1.234.567" or "1234.0"."""
    value = value.strip()
    for separator in (" ", "\u00a0", "\u202f", "_", "'"):
        value = value.replace(separator, "")
    if _THOUSANDS.match(value):
        return int(value.replace(",", "").replace(".", ""))
    match = _WHOLE.match(value)
    return int(match.group(1)) if match else None


def decimal(value: str) -> float | None:
    """A number with a decimal point or a decimal comma."""
    try:
        return float(value.strip().replace(",", "."))
    except ValueError:
        return None


_YES = {"yes", "y", "true", "1", "x", "ja", "oui", "si"}
_NO = {"no", "n", "false", "0", "nein", "non", ""}


def consent_of(value: str) -> bool | None:
    """True for yes, False for no or nothing, None for anything else."""
    folded = fold(value)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return None


class RowChecker:
    """Reads the cells of one row and collects its problems in the report."""

    def __init__(self, report: ImportReport, row: int, cells: dict[str, str]):
        self.report = report
        self.row = row
        self.cells = cells
        self.ok = True

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def problem(self, column: str, message: str) -> None:
        self.ok = False
        self.report.problems.append(Problem(self.row, column, str(message)))

    def required(self, column: str) -> str:
        value = self.get(column)
        if not value:
            self.problem(column, _("This column must not be empty."))
        return value

    def text(self, column: str, max_length: int) -> str:
        value = self.get(column)
        if len(value) > max_length:
            self.problem(
                column, _("At most %(count)d characters are allowed.") % {"count": max_length}
            )
        return value
