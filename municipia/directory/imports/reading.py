"""Reading CSV and XLSX files row by row, never whole: the header and an
iterator of (row number, cells as text)."""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..text import fold
from .report import COLUMNS, FileProblem

_SNIFF_BYTES = 64 * 1024


def _normalise_header(value) -> str:
    return fold(str(value or "")).replace(" ", "_").replace("-", "_")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value).strip()
    # Exports write "'=…" so that spreadsheets do not run the text as a formula.
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return text


def binary_file(file):
    """A binary, seekable file object for an upload, a path or an open file
    (opened here for paths and uploads on disk: the caller closes it)."""
    if isinstance(file, str | Path):
        return open(file, "rb")
    if hasattr(file, "temporary_file_path"):
        return open(file.temporary_file_path(), "rb")
    inner = getattr(file, "file", file)
    inner.seek(0)
    return inner


def _is_xlsx(head: bytes, filename: str) -> bool:
    return head.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx")


def read_table(file, *, filename: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The normalised header and an iterator of (row number, cells) of a CSV or
    XLSX file. Raises FileProblem for files that cannot be read (also while
    iterating, e.g. at a row that is not UTF-8)."""
    binary = binary_file(file)
    head = binary.read(_SNIFF_BYTES)
    binary.seek(0)
    if not head.strip():
        raise FileProblem(_("The file is empty."))
    lower = filename.lower()
    if lower.endswith(".xls") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(
            _("Old Excel files (.xls) cannot be read: save the file as .xlsx or as CSV UTF-8.")
        )
    if _is_xlsx(head, filename):
        return _read_xlsx(binary)
    return _read_csv(binary, head)


_ENCODING_HINT = gettext_lazy(
    "In Excel, save it as “CSV UTF-8”; in LibreOffice, choose the character set “Unicode (UTF-8)”."
)


def _read_csv(binary, head: bytes):
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem(_("The file is in UTF-16, not UTF-8.") + " " + str(_ENCODING_HINT))
    first_line = head.split(b"\n", 1)[0].removeprefix(codecs.BOM_UTF8)
    try:
        first_line.decode("utf-8")
    except UnicodeDecodeError:
        raise FileProblem(
            _("The file is not in UTF-8.") + " " + str(_ENCODING_HINT), row=1
        ) from None
    first_text = first_line.decode("utf-8")
    delimiter = max(
        (",", ";", "\t"), key=lambda d: len(next(csv.reader([first_text], delimiter=d), []))
    )
    # Lines are decoded one at a time (a newline byte never occurs inside a
    # UTF-8 sequence), so a decoding error names the row it is in.
    row_number = 1

    def lines():
        for number, line in enumerate(binary):
            if number == 0:
                line = line.removeprefix(codecs.BOM_UTF8)
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError:
                raise FileProblem(
                    _("This row is not in UTF-8.") + " " + str(_ENCODING_HINT),
                    row=row_number + 1,
                ) from None

    reader = csv.reader(lines(), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise FileProblem(_("The first row cannot be read: %(error)s") % {"error": error}) from None
    if header is None:
        raise FileProblem(_("The file is empty."))

    def rows():
        nonlocal row_number
        try:
            for cells in reader:
                row_number += 1
                yield row_number, [_cell_text(cell) for cell in cells]
        except csv.Error as error:
            raise FileProblem(
                _("This row cannot be read: %(error)s") % {"error": error}, row=row_number + 1
            ) from None

    return [_normalise_header(cell) for cell in header], rows()


def _read_xlsx(binary):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(binary, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileProblem(_("The file is not a valid Excel workbook (.xlsx).")) from None
    known = {column.name for columns in COLUMNS.values() for column in columns}
    chosen = None
    for sheet in workbook.worksheets:
        first = next(sheet.iter_rows(max_row=1, values_only=True), ())
        header = [_normalise_header(cell) for cell in first]
        if known & set(header):
            chosen = (sheet, header)
            break
    if chosen is None:
        if not workbook.worksheets:
            workbook.close()
            raise FileProblem(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        first = next(sheet.iter_rows(max_row=1, values_only=True), ())
        chosen = (sheet, [_normalise_header(cell) for cell in first])
    sheet, header = chosen
    while header and not header[-1]:
        header.pop()

    def rows():
        try:
            for number, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2):
                yield number, [_cell_text(cell) for cell in cells]
        finally:
            workbook.close()

    return header, rows()
