"""Bulk import of existing partnerships (twinnings above all) from CSV or XLSX.

Reads files with the directory's import machinery (`directory.imports`: the
same formats, row numbers, problem reports and value parsing) and, like it,
checks every row first and writes only a file without a single problem, all
of it in one transaction.

Columns: `organisation` and `partner` (an address/slug, a GeoNames id, or
"name, country"), `kind`, and optionally `started_on` (a date or a year),
`status` and `themes` (theme codes). A row whose pair and kind are already
recorded updates its status, start date and themes.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from municipia.accounts import rules
from municipia.directory.imports.all_or_nothing import counted_rows, write_all_or_nothing
from municipia.directory.imports.organisations import add_validation_problems
from municipia.directory.imports.reading import binary_file, read_table
from municipia.directory.imports.report import FileProblem, ImportReport, Problem
from municipia.directory.imports.values import RowChecker, choice, codes, country
from municipia.directory.models import Organisation
from municipia.directory.text import fold
from municipia.parsing import parse_id

from . import services
from .enums import PartnershipKind, PartnershipStatus
from .models import Partnership

PARTNERSHIPS = "partnerships"
REQUIRED_COLUMNS = ("organisation", "partner", "kind")
OPTIONAL_COLUMNS = ("started_on", "status", "themes")


@dataclass
class PartnershipRow:
    row: int
    organisation_ref: str
    partner_ref: str
    kind: str
    status: str | None
    started_on: datetime.date | None
    themes: list[str] | None
    organisation: Organisation | None = None
    partner: Organisation | None = None
    existing: Partnership | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)
    # False when a cell other than the organisations is wrong (already reported):
    # the organisations are still looked up, so that the report lists every problem.
    readable: bool = True


_YEAR = re.compile(r"^\d{4}$")


def _date(value: str) -> datetime.date | None:
    if _YEAR.match(value):
        return datetime.date(int(value), 1, 1)
    try:
        # XLSX cells arrive as "1991-05-01T00:00:00".
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _read_row(check: RowChecker) -> PartnershipRow:
    organisation_ref = check.required("organisation")
    partner_ref = check.required("partner")
    kind = ""
    if raw := check.required("kind"):
        kind = choice(raw, PartnershipKind.choices) or ""
        if not kind:
            check.problem(
                "kind",
                _("Unknown kind “%(value)s”: use one of %(choices)s.")
                % {"value": raw, "choices": ", ".join(PartnershipKind.values)},
            )
    status = None
    if raw := check.get("status"):
        status = choice(raw, PartnershipStatus.choices)
        if status is None:
            check.problem(
                "status",
                _("Unknown status “%(value)s”: use one of %(choices)s.")
                % {"value": raw, "choices": ", ".join(PartnershipStatus.values)},
            )
    started_on = None
    if raw := check.get("started_on"):
        started_on = _date(raw)
        if started_on is None:
            check.problem(
                "started_on",
                _("“%(value)s” is not a date: write 1991-05-01 or just the year, 1991.")
                % {"value": raw},
            )
    themes = codes(check.get("themes")) if check.get("themes") else None
    return PartnershipRow(
        row=check.row,
        organisation_ref=organisation_ref,
        partner_ref=partner_ref,
        kind=kind,
        status=status,
        started_on=started_on,
        themes=themes,
        readable=check.ok,
    )


class _Organisations:
    """Finds the organisations rows name, with a few queries for the whole file."""

    def __init__(self, references: set[str]):
        self.found: dict[str, list[Organisation]] = {}
        slugs = {ref.lower() for ref in references}
        for organisation in Organisation.objects.filter(slug__in=slugs):
            self.found[organisation.slug] = [organisation]
        numbers = {parse_id(ref) for ref in references} - {None}
        for organisation in Organisation.objects.filter(geonames_id__in=numbers):
            self.found[str(organisation.geonames_id)] = [organisation]
        by_country: dict[str, set[str]] = defaultdict(set)
        self.named: dict[str, tuple[str, str]] = {}
        for ref in references:
            if "," in ref:
                name, _sep, place = ref.rpartition(",")
                code = country(place)
                if code:
                    self.named[ref] = (fold(name), code)
                    by_country[code].add(fold(name))
        for code, names in by_country.items():
            for organisation in Organisation.objects.filter(country=code).only(
                "pk", "name", "slug", "country"
            ):
                if fold(organisation.name) in names:
                    self.found.setdefault(f"{fold(organisation.name)}|{code}", []).append(
                        organisation
                    )

    def lookup(self, ref: str) -> list[Organisation]:
        if ref in self.named:
            name, code = self.named[ref]
            return self.found.get(f"{name}|{code}", [])
        return self.found.get(ref.lower(), [])


def _resolve(record: PartnershipRow, column: str, organisations: _Organisations):
    ref = getattr(record, f"{column}_ref")
    found = organisations.lookup(ref)
    if len(found) == 1:
        return found[0]
    if found:
        record.problems.append(
            (
                column,
                _(
                    "%(count)d organisations are called “%(value)s”: use the address (slug) "
                    "to say which one."
                )
                % {"count": len(found), "value": ref},
            )
        )
    else:
        record.problems.append(
            (
                column,
                _(
                    "No organisation is “%(value)s”: give its address (slug), its GeoNames "
                    "id, or its name and country as “Köln, DE”."
                )
                % {"value": ref},
            )
        )
    return None


def _check(actor, header: list[str], rows, report: ImportReport) -> list[PartnershipRow]:
    records = [
        _read_row(RowChecker(report, number, dict(zip(header, cells, strict=False))))
        for number, cells in rows
    ]
    organisations = _Organisations(
        {r.organisation_ref for r in records} | {r.partner_ref for r in records}
    )
    seen: dict[tuple, int] = {}
    for record in records:
        # An empty reference is already reported as an empty required cell.
        if record.organisation_ref:
            record.organisation = _resolve(record, "organisation", organisations)
        if record.partner_ref:
            record.partner = _resolve(record, "partner", organisations)
        if record.organisation is None or record.partner is None or not record.readable:
            continue
        if record.organisation.pk == record.partner.pk:
            record.problems.append(("partner", _("An organisation cannot be its own partner.")))
            continue
        if actor is not None and not rules.can_record_partnership(
            actor, record.organisation, record.partner
        ):
            record.problems.append(
                ("organisation", _("You may not record partnerships for these organisations."))
            )
        low, high = sorted((record.organisation.pk, record.partner.pk))
        key = (low, high, record.kind)
        if key in seen:
            record.problems.append(
                ("partner", _("The same partnership as in row %(row)d.") % {"row": seen[key]})
            )
        else:
            seen[key] = record.row
    existing = {
        (p.organisation_a_id, p.organisation_b_id, p.kind): p
        for p in Partnership.objects.filter(
            organisation_a__in={k[0] for k in seen}, organisation_b__in={k[1] for k in seen}
        ).prefetch_related("themes")
    }
    checked = []
    for record in records:
        for column, message in record.problems:
            report.problems.append(Problem(record.row, column, str(message)))
        if (
            record.readable
            and not record.problems
            and record.organisation is not None
            and record.partner
        ):
            low, high = sorted((record.organisation.pk, record.partner.pk))
            record.existing = existing.get((low, high, record.kind))
            checked.append(record)
    report.problems.sort(key=lambda p: p.row or 0)
    return checked


def _write(records: list[PartnershipRow], report: ImportReport) -> None:
    for record in records:
        try:
            if record.existing is None:
                services.record_partnership(
                    actor=None,
                    organisation=record.organisation,
                    partner=record.partner,
                    kind=record.kind,
                    themes=record.themes or (),
                    started_on=record.started_on,
                    status=record.status or PartnershipStatus.EXPLORING,
                )
                report.created += 1
                continue
            partnership = record.existing
            current_themes = sorted(t.code for t in partnership.themes.all())
            changes = {}
            if record.status is not None and record.status != partnership.status:
                changes["status"] = record.status
            if record.started_on is not None and record.started_on != partnership.started_on:
                changes["started_on"] = record.started_on
            if record.themes is not None and sorted(record.themes) != current_themes:
                changes["themes"] = record.themes
            if not changes:
                report.unchanged += 1
                continue
            services.update_partnership(actor=None, partnership=partnership, **changes)
            report.updated += 1
        except ValidationError as error:
            add_validation_problems(report, record.row, error)


def import_file(*, actor, file, filename: str, dry_run: bool = False) -> ImportReport:
    """Check, then (unless `dry_run` or anything is wrong) write a file of
    partnerships; see the module docstring. `actor` None is the system (the
    management command); a user must be allowed to record every row's
    partnership. Returns the report; never raises for bad input."""
    report = ImportReport(kind=PARTNERSHIPS, dry_run=dry_run)
    binary = None
    try:
        binary = binary_file(file)
        header, rows = read_table(binary, filename=filename)
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        report.ignored_columns = [
            name for name in header if name and name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
        ]
        if missing:
            report.problems.append(
                Problem(
                    None,
                    ", ".join(missing),
                    _("Required columns are missing: %(columns)s.")
                    % {"columns": ", ".join(missing)},
                )
            )
            return report
        records = _check(actor, header, counted_rows(rows, report), report)
    except FileProblem as problem:
        report.problems.append(Problem(problem.row, "", problem.message))
        return report
    finally:
        # Close what binary_file opened (paths, uploads on disk), not the
        # caller's own file object.
        if binary is not None and binary is not getattr(file, "file", file):
            binary.close()
    if report.problems or dry_run:
        return report
    write_all_or_nothing(lambda: _write(records, report), report, refusals=(PermissionDenied,))
    return report
