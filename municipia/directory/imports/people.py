"""Checking and writing rows of people."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.parsing import parse_id

from .. import services
from ..enums import Position
from ..models import Organisation, Person
from ..text import fold
from .organisations import NOT_YOUR_COUNTRY, Permissions, add_validation_problems
from .report import ImportReport, Problem
from .values import RowChecker, choice, consent_of


@dataclass
class PersonRow:
    row: int
    organisation_ref: str
    name: str
    position: str
    fields: dict
    consent: bool
    organisation: Organisation | None = None
    existing: Person | None = None


def _read_row(check: RowChecker) -> PersonRow | None:
    reference = check.required("organisation")
    name = check.text("name", 200) if check.get("name") else check.required("name")
    position = ""
    if raw := check.required("position"):
        position = choice(raw, Position.choices) or ""
        if not position:
            check.problem(
                "position",
                _("Unknown position “%(value)s”: use one of %(choices)s.")
                % {"value": raw, "choices": ", ".join(Position.values)},
            )
    fields = {"title": check.text("title", 200), "phone": check.text("phone", 50)}
    if email := check.get("email"):
        try:
            validate_email(email)
        except ValidationError:
            check.problem("email", _("“%(value)s” is not an e-mail address.") % {"value": email})
    fields["email"] = email
    # Empty cells leave what is recorded; they do not erase it.
    fields = {name: value for name, value in fields.items() if value}
    consent = consent_of(check.get("consent"))
    if consent is None:
        check.problem("consent", _("Write yes or no."))
    if not check.ok:
        return None
    return PersonRow(
        row=check.row,
        organisation_ref=reference.lower(),
        name=" ".join(name.split()),
        position=position,
        fields=fields,
        consent=bool(consent),
    )


def check(actor, header: list[str], rows, report: ImportReport) -> list[PersonRow]:
    """Read and check every row; return the rows to write (all of them when
    the report has no problem)."""
    records: list[PersonRow] = []
    for number, cells in rows:
        check = RowChecker(report, number, dict(zip(header, cells, strict=False)))
        record = _read_row(check)
        if record is not None:
            records.append(record)
    references = {r.organisation_ref for r in records}
    geonames_ids = [number for ref in references if (number := parse_id(ref)) is not None]
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=references)}
    for organisation in Organisation.objects.filter(geonames_id__in=geonames_ids):
        organisations[str(organisation.geonames_id)] = organisation
    existing: dict[tuple[int, str], Person] = {}
    for person in Person.objects.filter(organisation__in={o.pk for o in organisations.values()}):
        existing.setdefault((person.organisation_id, fold(person.name)), person)
    permissions = Permissions(actor)
    seen: dict[tuple[int, str], int] = {}
    checked = []
    for record in records:
        organisation = organisations.get(record.organisation_ref)
        if organisation is None:
            report.problems.append(
                Problem(
                    record.row,
                    "organisation",
                    _("No organisation has the address or GeoNames id “%(value)s”.")
                    % {"value": record.organisation_ref},
                )
            )
            continue
        if not permissions.country(organisation.country):
            report.problems.append(Problem(record.row, "organisation", str(NOT_YOUR_COUNTRY)))
            continue
        key = (organisation.pk, fold(record.name))
        if key in seen:
            report.problems.append(
                Problem(
                    record.row,
                    "name",
                    _("The same person as in row %(row)d.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = record.row
        record.organisation = organisation
        record.existing = existing.get(key)
        checked.append(record)
    report.problems.sort(key=lambda p: p.row or 0)
    return checked


def write(records: list[PersonRow], report: ImportReport) -> None:
    """Add or update the people of checked rows, as the system."""
    now = timezone.now()
    for record in records:
        try:
            if record.existing is None:
                services.add_person(
                    actor=None,
                    organisation=record.organisation,
                    name=record.name,
                    position=record.position,
                    consent_given_at=now if record.consent else None,
                    **record.fields,
                )
                report.created += 1
                continue
            person = record.existing
            # The name matched up to case and accents: keep it as written before.
            wanted = {"position": record.position, **record.fields}
            changes = {k: v for k, v in wanted.items() if getattr(person, k) != v}
            if not changes and record.consent == person.has_consented:
                report.unchanged += 1
                continue
            if changes:
                services.update_person(actor=None, person=person, **changes)
            if record.consent != person.has_consented:
                services.record_consent(person=person, given=record.consent)
            report.updated += 1
        except ValidationError as error:
            add_validation_problems(report, record.row, error)
