"""Bulk import of organisations and people from CSV or XLSX files.

An import happens in two steps. First every row of the file is read and
checked, and every problem is collected with its row number, column and a
message that says how to fix it. Only a file without a single problem is then
written, all of it in one transaction: a file with any error writes nothing.

Files: CSV in UTF-8 (with or without a byte-order mark; comma, semicolon or
tab separated, guessed from the header line) or XLSX (read row by row, never
loaded whole), at most MAX_UPLOAD_BYTES. Row numbers are those a spreadsheet
shows: the header is row 1.

Rows without a key (`slug`, `geonames_id`) are matched by name, type, country
and region: importing the same file twice updates what the first run created.

Who may import: platform staff anything, association managers organisations
and people of their association's country (`rules.can_bulk_import`, asked for
the country of every row). Once the file is authorised as a whole, the rows
are written through `services` as the system (`actor=None`).
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from municipia.accounts import rules

from . import organisations, people
from .all_or_nothing import MAX_ROWS, counted_rows, write_all_or_nothing
from .reading import binary_file, read_table
from .report import (
    COLUMNS,
    KINDS,
    ORGANISATION_COLUMNS,
    ORGANISATIONS,
    PEOPLE,
    PEOPLE_COLUMNS,
    Column,
    FileProblem,
    ImportReport,
    Problem,
)

__all__ = [
    "KINDS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "ORGANISATIONS",
    "ORGANISATION_COLUMNS",
    "PEOPLE",
    "PEOPLE_COLUMNS",
    "Column",
    "ImportReport",
    "Problem",
    "import_file",
]

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


_MODULES = {ORGANISATIONS: organisations, PEOPLE: people}


def import_file(*, actor, file, filename: str, kind: str, dry_run: bool = False) -> ImportReport:
    """Check, then (unless `dry_run` or anything is wrong) write a file of
    organisations or people; see the module docstring. `file` is an upload, an
    open binary file or a path. Returns the report; never raises for bad input."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    report = ImportReport(kind=kind, dry_run=dry_run)
    if actor is not None and not rules.can_bulk_import(actor):
        report.problems.append(Problem(None, "", _("You may not import into the directory.")))
        return report
    binary = None
    try:
        size = getattr(file, "size", None)
        if size is None and isinstance(file, str | Path):
            size = Path(file).stat().st_size
        if size is not None and size > MAX_UPLOAD_BYTES:
            raise FileProblem(
                _("The file is %(size)s MB; at most %(limit)d MB can be imported at once.")
                % {
                    "size": round(size / 1024 / 1024, 1),
                    "limit": MAX_UPLOAD_BYTES // 1024 // 1024,
                }
            )
        binary = binary_file(file)
        header, rows = read_table(binary, filename=filename)
        columns = COLUMNS[kind]
        known = {column.name for column in columns}
        missing = [c.name for c in columns if c.required and c.name not in header]
        report.ignored_columns = [name for name in header if name and name not in known]
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
        duplicated = sorted({name for name in header if name and header.count(name) > 1})
        if duplicated:
            report.problems.append(
                Problem(
                    None,
                    ", ".join(duplicated),
                    _("These columns appear more than once: %(columns)s.")
                    % {"columns": ", ".join(duplicated)},
                )
            )
            return report
        records = _MODULES[kind].check(actor, header, counted_rows(rows, report), report)
    except FileProblem as problem:
        report.problems.append(Problem(problem.row, "", problem.message))
        return report
    finally:
        # Close what binary_file opened (paths and uploads on disk), not the
        # caller's own file object.
        if binary is not None and binary is not getattr(file, "file", file):
            binary.close()
    if report.problems or dry_run:
        return report
    write_all_or_nothing(lambda: _MODULES[kind].write(records, report), report)
    return report
