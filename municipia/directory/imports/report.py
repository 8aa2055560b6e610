"""What an import reports: the columns it reads, the problems it found, the
counts of what it wrote."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

# How many problems the import page lists; the command prints them all.
PROBLEMS_SHOWN = 1000

ORGANISATIONS = "organisations"
PEOPLE = "people"
KINDS = (ORGANISATIONS, PEOPLE)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str


ORGANISATION_COLUMNS = [
    Column("name", True, gettext_lazy("Official name.")),
    Column(
        "type",
        True,
        gettext_lazy("municipality, province, region, national_association, network or partner."),
    ),
    Column(
        "country",
        True,
        gettext_lazy("ISO 3166-1 code (DE or DEU) or the country's English name."),
    ),
    Column("region", False, gettext_lazy("First-level region: its name or its code (DE.07).")),
    Column("population", False, gettext_lazy("Whole number.")),
    Column("latitude", False, gettext_lazy("Decimal degrees, e.g. 50.9375.")),
    Column("longitude", False, gettext_lazy("Decimal degrees, e.g. 6.9603.")),
    Column("website", False, gettext_lazy("Address of the website.")),
    Column(
        "working_languages",
        False,
        gettext_lazy("ISO 639-1 codes separated by commas, e.g. de,en."),
    ),
    Column(
        "partnership_interests",
        False,
        gettext_lazy(
            "Codes separated by commas: twinning, thematic, peer_learning, solidarity, "
            "development_cooperation."
        ),
    ),
    Column(
        "association",
        False,
        gettext_lazy("Address (slug) of the national association the organisation belongs to."),
    ),
    Column(
        "geonames_id",
        False,
        gettext_lazy("GeoNames id: an organisation with this id is updated, not created."),
    ),
    Column(
        "slug",
        False,
        gettext_lazy("Address of an existing organisation to update (exports carry it)."),
    ),
]
PEOPLE_COLUMNS = [
    Column(
        "organisation",
        True,
        gettext_lazy("Address (slug) or GeoNames id of the person's organisation."),
    ),
    Column("name", True, gettext_lazy("Full name.")),
    Column(
        "position",
        True,
        gettext_lazy("mayor_or_president, elected_official, officer, expert or staff."),
    ),
    Column("title", False, gettext_lazy("Job title.")),
    Column("email", False, gettext_lazy("E-mail address.")),
    Column("phone", False, gettext_lazy("Phone number.")),
    Column(
        "consent",
        False,
        gettext_lazy("yes when the person agreed to be listed; no or empty otherwise."),
    ),
]
COLUMNS = {ORGANISATIONS: ORGANISATION_COLUMNS, PEOPLE: PEOPLE_COLUMNS}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: `row` is None for the file as a whole."""

    row: int | None
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import found and did."""

    kind: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problems_shown(self) -> list[Problem]:
        return self.problems[:PROBLEMS_SHOWN]

    @property
    def problems_not_shown(self) -> int:
        return max(0, len(self.problems) - PROBLEMS_SHOWN)


class FileProblem(Exception):
    """The file cannot be read at all (format, encoding, size)."""

    def __init__(self, message: str, *, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.row = row
