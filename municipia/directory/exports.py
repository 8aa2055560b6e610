"""Exports of a directory view to CSV and XLSX.

The columns are those the bulk import reads (see `imports`), so an exported
file can be corrected in a spreadsheet and imported again. People are exported
only when they consented to be listed, whoever asks.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .models import Person
from .text import decode_codes

ORGANISATION_EXPORT_COLUMNS = [
    "slug",
    "name",
    "type",
    "country",
    "region",
    "population",
    "latitude",
    "longitude",
    "website",
    "working_languages",
    "partnership_interests",
    "association",
    "geonames_id",
    "verified",
]
PEOPLE_EXPORT_COLUMNS = [
    "organisation",
    "name",
    "position",
    "title",
    "email",
    "phone",
    "consent",
]
FORMATS = ("csv", "xlsx")
CHUNK = 2000
# Spreadsheet programs run a cell that starts with one of these as a formula
# (OWASP "CSV injection"); a leading apostrophe makes it text, and the import
# takes the apostrophe off again.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """Text that a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def organisation_rows(organisations) -> Iterator[list]:
    """One row per organisation in ORGANISATION_EXPORT_COLUMNS order."""
    queryset = organisations.prefetch_related("member_of")
    for organisation in queryset.iterator(chunk_size=CHUNK):
        yield [
            organisation.slug,
            organisation.name,
            organisation.kind,
            organisation.country,
            organisation.region_name or organisation.region_code,
            organisation.population,
            organisation.latitude,
            organisation.longitude,
            organisation.website,
            ",".join(decode_codes(organisation.working_languages)),
            ",".join(decode_codes(organisation.partnership_interests)),
            ",".join(association.slug for association in organisation.member_of.all()),
            organisation.geonames_id,
            "yes" if organisation.is_verified else "no",
        ]


def consenting_people(organisations) -> Iterable[Person]:
    """People of `organisations` who consented to be listed."""
    organisation_ids = organisations.order_by().values("pk")
    return (
        Person.objects.filter(organisation__in=organisation_ids, consent_given_at__isnull=False)
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id", "name", "pk")
    )


def people_rows(organisations) -> Iterator[list]:
    """One row per consenting person in PEOPLE_EXPORT_COLUMNS order."""
    for person in consenting_people(organisations).iterator(chunk_size=CHUNK):
        yield [
            person.organisation.slug,
            person.name,
            person.position,
            person.title,
            person.email,
            person.phone,
            "yes",
        ]


class _Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value):
        return value


def _filename(stem: str, fmt: str) -> str:
    return f"municipia-{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def csv_response(stem: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """Stream rows as UTF-8 CSV with a byte-order mark, so that Excel reads the
    accents right."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow(["" if v is None else defuse(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "csv")}"'
    return response


def xlsx_response(stem: str, header: list[str], rows: Iterable[list]) -> FileResponse:
    """Rows as an XLSX workbook, written row by row to a temporary file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(stem)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                # openpyxl would store "=…" as a formula; names are never formulas.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_filename(stem, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _response(stem: str, header, rows, fmt: str):
    if fmt not in FORMATS:
        raise Http404("Unknown export format.")
    if fmt == "csv":
        return csv_response(stem, header, rows)
    return xlsx_response(stem, header, rows)


def organisations_response(organisations, *, fmt: str):
    """The organisations (a queryset the viewer may see) as a download."""
    return _response(
        "organisations", ORGANISATION_EXPORT_COLUMNS, organisation_rows(organisations), fmt
    )


def people_response(organisations, *, fmt: str):
    """The consenting people of the organisations as a download."""
    return _response("people", PEOPLE_EXPORT_COLUMNS, people_rows(organisations), fmt)
