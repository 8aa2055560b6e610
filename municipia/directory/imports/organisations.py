"""Checking and writing rows of organisations.

A row updates an existing organisation when its `slug` or `geonames_id` names
one, or else when exactly one organisation of the same type and country has
the same name (and region, when the row gives one); otherwise it creates one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.accounts import rules

from .. import selectors, services
from ..enums import OrganisationType, PartnershipInterest
from ..models import Organisation
from ..text import decode_codes, fold
from .report import ImportReport, Problem
from .values import RowChecker, choice, codes, country, decimal, integer, kind_of

NOT_YOUR_COUNTRY = gettext_lazy(
    "You may import only organisations of the country of your national association."
)


@dataclass
class OrganisationRow:
    row: int
    name: str
    kind: str
    country: str
    fields: dict
    associations: list[str]
    slug: str = ""
    geonames_id: int | None = None
    region: str = ""
    existing: Organisation | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)

    def problem(self, column: str, message) -> None:
        self.problems.append((column, str(message)))


class Permissions:
    """`rules.can_bulk_import` per country, asked once per country."""

    def __init__(self, actor):
        self.actor = actor
        self.is_staff = actor is None or rules.is_platform_staff(actor)
        self._countries: dict[str, bool] = {}

    def country(self, code: str) -> bool:
        if self.is_staff:
            return True
        if code not in self._countries:
            self._countries[code] = rules.can_bulk_import(self.actor, code)
        return self._countries[code]

    def managed_associations(self) -> set[int]:
        return set() if self.actor is None else rules.managed_association_ids(self.actor)


def add_validation_problems(report: ImportReport, row: int, error: ValidationError) -> None:
    """A service's ValidationError as problems of `row`."""
    if hasattr(error, "message_dict"):
        for column, messages in error.message_dict.items():
            for message in messages:
                report.problems.append(Problem(row, column, message))
    else:
        for message in error.messages:
            report.problems.append(Problem(row, "", message))


# -- one row at a time ------------------------------------------------------------------


def _read_row(check: RowChecker) -> OrganisationRow | None:
    name = check.text("name", 200) if check.get("name") else check.required("name")
    kind = ""
    if raw_kind := check.required("type"):
        kind = kind_of(raw_kind) or ""
        if not kind:
            check.problem(
                "type",
                _("Unknown type “%(value)s”: use one of %(choices)s.")
                % {"value": raw_kind, "choices": ", ".join(OrganisationType.values)},
            )
    country_code = ""
    if raw_country := check.required("country"):
        country_code = country(raw_country) or ""
        if not country_code:
            check.problem(
                "country",
                _(
                    "Unknown country “%(value)s”: use an ISO 3166-1 code such as DE or DEU, "
                    "or the English name."
                )
                % {"value": raw_country},
            )
    fields: dict = {}
    if value := check.get("population"):
        population = integer(value)
        if population is None:
            check.problem("population", _("“%(value)s” is not a whole number.") % {"value": value})
        else:
            fields["population"] = population
    _read_coordinates(check, fields)
    if website := check.get("website"):
        if "://" not in website:
            website = f"https://{website}"
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            check.problem("website", _("“%(value)s” is not a web address.") % {"value": website})
        else:
            fields["website"] = website
    if value := check.get("working_languages"):
        languages = [code.lower() for code in codes(value)]
        unknown = [code for code in languages if not services.is_language_code(code)]
        if unknown:
            check.problem(
                "working_languages",
                _("Unknown language codes: %(codes)s.") % {"codes": ", ".join(unknown)},
            )
        fields["working_languages"] = languages
    if value := check.get("partnership_interests"):
        interests = []
        for label in codes(value, spaces=False):
            interest = choice(label, PartnershipInterest.choices)
            if interest is None:
                check.problem(
                    "partnership_interests",
                    _("Unknown partnership interest “%(value)s”.") % {"value": label},
                )
            interests.append(interest)
        fields["partnership_interests"] = interests
    geonames_id = None
    if value := check.get("geonames_id"):
        geonames_id = integer(value)
        if geonames_id is None:
            check.problem("geonames_id", _("“%(value)s” is not a whole number.") % {"value": value})
    if not check.ok:
        return None
    return OrganisationRow(
        row=check.row,
        name=name,
        kind=kind,
        country=country_code,
        fields=fields,
        associations=[slug.lower() for slug in codes(check.get("association"))],
        slug=check.get("slug").lower(),
        geonames_id=geonames_id,
        region=check.get("region"),
    )


def _read_coordinates(check: RowChecker, fields: dict) -> None:
    given = {}
    for column, limit in (("latitude", 90), ("longitude", 180)):
        if value := check.get(column):
            given[column] = value
            number = decimal(value)
            if number is None or not -limit <= number <= limit:
                check.problem(
                    column,
                    _("“%(value)s” is not a number between -%(limit)d and %(limit)d.")
                    % {"value": value, "limit": limit},
                )
            else:
                fields[column] = number
    if len(given) == 1:
        missing = "longitude" if "latitude" in given else "latitude"
        check.problem(missing, _("Give both latitude and longitude, or neither."))


# -- the file as a whole ---------------------------------------------------------------------


class _Directory:
    """What the rows refer to, read with a few queries for the whole file."""

    def __init__(self, rows: list[OrganisationRow]):
        self.by_slug = {
            o.slug: o
            for o in Organisation.objects.filter(
                slug__in={r.slug for r in rows if r.slug}
            ).prefetch_related("member_of")
        }
        self.by_geonames = {
            o.geonames_id: o
            for o in Organisation.objects.filter(
                geonames_id__in={r.geonames_id for r in rows if r.geonames_id is not None}
            ).prefetch_related("member_of")
        }
        self.associations = {
            o.slug: o
            for o in Organisation.objects.filter(
                kind=OrganisationType.NATIONAL_ASSOCIATION,
                slug__in={slug for r in rows for slug in r.associations},
            )
        }
        self.regions: dict[str, list[tuple[str, str]]] = {}
        self._by_name = self._same_names(rows)

    @staticmethod
    def _same_names(rows) -> dict[tuple, list[tuple]]:
        # Organisations whose official name is that of a row without a key,
        # found through the folded name at the start of `search_text`.
        wanted = {
            (fold(r.name), r.country, r.kind) for r in rows if not r.slug and r.geonames_id is None
        }
        by_name: dict[tuple, list[tuple]] = defaultdict(list)
        names = {name for name, _country, _kind in wanted}
        countries = {country_code for _name, country_code, _kind in wanted}
        if not wanted:
            return by_name
        candidates = (
            Organisation.objects.filter(country__in=countries)
            .filter(kind__in={kind for _name, _country, kind in wanted})
            .values_list("pk", "name", "country", "kind", "region_code", "region_name")
        )
        for pk, name, country_code, kind, region_code, region_name in candidates.iterator():
            folded = fold(name)
            if folded in names and (folded, country_code, kind) in wanted:
                by_name[(folded, country_code, kind)].append((pk, region_code, region_name))
        return by_name

    def regions_of(self, country_code: str) -> list[tuple[str, str]]:
        if country_code not in self.regions:
            self.regions[country_code] = selectors.regions_of_country(country=country_code)
        return self.regions[country_code]

    def same_name(self, record: OrganisationRow) -> list[int]:
        candidates = self._by_name.get((fold(record.name), record.country, record.kind), [])
        code = record.fields.get("region_code", "")
        name = fold(record.fields.get("region_name", ""))
        if record.region:
            candidates = [
                c for c in candidates if (code and c[1] == code) or (name and fold(c[2]) == name)
            ]
        return [pk for pk, *_region in candidates]


def _resolve_region(record: OrganisationRow, directory: _Directory) -> None:
    if not record.region:
        return
    wanted = fold(record.region)
    for code, name in directory.regions_of(record.country):
        if wanted in (fold(code), fold(name)):
            record.fields["region_code"], record.fields["region_name"] = code, name
            return
    if record.region.upper().startswith(f"{record.country}."):
        record.fields["region_code"], record.fields["region_name"] = record.region.upper(), ""
    else:
        record.fields["region_code"], record.fields["region_name"] = "", record.region


def _find_existing(record: OrganisationRow, directory: _Directory, matches: dict) -> None:
    if record.slug:
        record.existing = directory.by_slug.get(record.slug)
        if record.existing is None:
            record.problem(
                "slug", _("No organisation has the address “%(slug)s”.") % {"slug": record.slug}
            )
    if record.geonames_id is not None:
        by_geonames = directory.by_geonames.get(record.geonames_id)
        if record.existing is None:
            record.existing = by_geonames
        elif by_geonames is not None and by_geonames.pk != record.existing.pk:
            record.problem(
                "geonames_id",
                _("This GeoNames id belongs to another organisation (%(slug)s).")
                % {"slug": by_geonames.slug},
            )
    if record.slug or record.geonames_id is not None:
        return
    found = directory.same_name(record)
    if len(found) == 1:
        matches[record.row] = found[0]
    elif len(found) > 1:
        record.problem(
            "name",
            _(
                "%(count)d organisations of this type in this country are called "
                "“%(name)s”: add the region, or the slug column, to say which one."
            )
            % {"count": len(found), "name": record.name},
        )


def _check_permissions(record: OrganisationRow, permissions: Permissions) -> None:
    if not permissions.country(record.country):
        record.problem("country", NOT_YOUR_COUNTRY)
    existing = record.existing
    if existing is None or permissions.is_staff:
        if existing is None and record.geonames_id is not None and not permissions.is_staff:
            record.problem("geonames_id", _("Only platform staff may set GeoNames ids."))
        return
    if not permissions.country(existing.country):
        record.problem("country", NOT_YOUR_COUNTRY)
    if existing.kind != record.kind or existing.country != record.country:
        record.problem(
            "type", _("Only platform staff may change the type or country of an organisation.")
        )


def _set_associations(record, directory: _Directory, permissions: Permissions, managed) -> None:
    member_of = []
    for slug in record.associations:
        association = directory.associations.get(slug)
        if association is None:
            record.problem(
                "association",
                _("No national association has the address “%(slug)s”.") % {"slug": slug},
            )
        elif not permissions.is_staff and association.pk not in managed:
            record.problem(
                "association", _("You may add organisations only to the association you manage.")
            )
        else:
            member_of.append(association)
    if member_of:
        record.fields["member_of"] = member_of
    elif record.existing is None and not permissions.is_staff:
        # An association manager's new organisations join their association.
        record.fields["member_of"] = list(
            Organisation.objects.filter(pk__in=managed, country=record.country)
        )


def check(actor, header: list[str], rows, report: ImportReport) -> list[OrganisationRow]:
    """Read and check every row; return the rows to write (all of them when
    the report has no problem)."""
    records = []
    for number, cells in rows:
        record = _read_row(RowChecker(report, number, dict(zip(header, cells, strict=False))))
        if record is not None:
            records.append(record)
    directory = _Directory(records)
    permissions = Permissions(actor)
    managed = permissions.managed_associations()
    matches: dict[int, int] = {}
    for record in records:
        _resolve_region(record, directory)
        _find_existing(record, directory, matches)
    if matches:
        existing = Organisation.objects.prefetch_related("member_of").in_bulk(set(matches.values()))
        for record in records:
            if record.row in matches:
                record.existing = existing[matches[record.row]]
    seen: dict[tuple, int] = {}
    for record in records:
        if record.existing is not None:
            key: tuple = ("organisation", record.existing.pk)
        elif record.geonames_id is not None:
            key = ("geonames_id", record.geonames_id)
        else:
            key = ("name", fold(record.name), record.country, record.kind, fold(record.region))
        if key in seen:
            record.problem(
                "name", _("The same organisation as in row %(row)d.") % {"row": seen[key]}
            )
        else:
            seen[key] = record.row
        _check_permissions(record, permissions)
        _set_associations(record, directory, permissions, managed)
    checked = []
    for record in records:
        for column, message in record.problems:
            report.problems.append(Problem(record.row, column, message))
        if not record.problems:
            checked.append(record)
    report.problems.sort(key=lambda p: p.row or 0)
    return checked


def _changes(record: OrganisationRow, fields: dict) -> dict:
    """The fields of `fields` that differ from the existing organisation."""
    existing = record.existing
    changes = {}
    for name, value in fields.items():
        if name == "member_of":
            # Associations named in the file are added; none is taken away.
            current = {a.pk: a for a in existing.member_of.all()}
            if {a.pk for a in value} - set(current):
                changes[name] = list({**current, **{a.pk: a for a in value}}.values())
        elif name in ("working_languages", "partnership_interests"):
            if value != decode_codes(getattr(existing, name)):
                changes[name] = value
        elif getattr(existing, name) != value:
            changes[name] = value
    return changes


def write(records: list[OrganisationRow], report: ImportReport) -> None:
    """Create or update the organisations of checked rows, as the system; rows
    that would change nothing are counted as unchanged and not written."""
    for record in records:
        fields = dict(record.fields)
        if record.geonames_id is not None:
            fields["geonames_id"] = record.geonames_id
        try:
            if record.existing is None:
                services.create_organisation(
                    actor=None,
                    name=record.name,
                    kind=record.kind,
                    country=record.country,
                    **fields,
                )
                report.created += 1
                continue
            fields.update(name=record.name, kind=record.kind, country=record.country)
            changes = _changes(record, fields)
            if not changes:
                report.unchanged += 1
                continue
            services.update_organisation_profile(
                actor=None, organisation=record.existing, **changes
            )
            report.updated += 1
        except ValidationError as error:
            add_validation_problems(report, record.row, error)
