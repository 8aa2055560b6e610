"""The two steps every import shares: counting the rows it reads, and writing them
so that a file with any problem leaves nothing behind."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.db import transaction
from django.utils.translation import gettext as _

from .report import FileProblem, ImportReport

MAX_ROWS = 100_000


class _Rollback(Exception):
    pass


def counted_rows(rows: Iterable[tuple[int, list]], report: ImportReport) -> Iterator:
    """Skip empty rows, count the others, stop past MAX_ROWS."""
    for number, cells in rows:
        if not any(cells):
            continue
        report.rows += 1
        if report.rows > MAX_ROWS:
            raise FileProblem(
                _("The file has more than %(count)d rows; split it into several files.")
                % {"count": MAX_ROWS},
                row=number,
            )
        yield number, cells


def write_all_or_nothing(
    write: Callable[[], None], report: ImportReport, *, refusals: tuple = ()
) -> None:
    """Run `write` in one transaction. Rows were checked beforehand, but a service
    may still refuse one (it adds a problem to the report, or raises one of
    `refusals`): then nothing of the file stays written and no count is kept."""
    try:
        with transaction.atomic():
            write()
            if report.problems:
                raise _Rollback
    except (_Rollback, *refusals):
        report.created = report.updated = report.unchanged = 0
