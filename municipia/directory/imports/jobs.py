"""Imports uploaded on the site run as background jobs.

Checking and writing a file of ten thousand rows takes longer than a proxy
lets a web request last, so the upload only stores the file in an `ImportJob`
and queues `tasks.run_import`; the job's page shows the report once the task
has run `import_file` (unchanged: all or nothing). The uploader's right to
import is asked at upload and again by `import_file` in the task, as it may
have been withdrawn in between.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from municipia.accounts import rules

from ..enums import ImportKind, ImportStatus
from ..models import ImportJob
from .report import PROBLEMS_SHOWN, ImportReport, Problem

logger = logging.getLogger(__name__)

# The function that imports each kind of file. Partnerships are named by path
# rather than imported: the partnerships app builds on the directory, not the
# other way round.
_IMPORTERS = {
    ImportKind.ORGANISATIONS: "municipia.directory.imports.import_file",
    ImportKind.PEOPLE: "municipia.directory.imports.import_file",
    ImportKind.PARTNERSHIPS: "municipia.partnerships.imports.import_file",
}


@dataclass(frozen=True)
class JobReport:
    """An import's report as its job stored it (the first PROBLEMS_SHOWN
    problems and how many there were), for the job's page."""

    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems_shown: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problem_count

    @property
    def problems_not_shown(self) -> int:
        return max(0, self.problem_count - len(self.problems_shown))


def report_as_json(report: ImportReport) -> dict:
    """What of a report a job keeps (JSON)."""
    return {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "problems": [
            {"row": p.row, "column": p.column, "message": str(p.message)}
            for p in report.problems[:PROBLEMS_SHOWN]
        ],
        "problem_count": len(report.problems),
        "ignored_columns": list(report.ignored_columns),
    }


def job_report(job: ImportJob) -> JobReport | None:
    """The report of a finished job; None while it waits or runs, or if it failed."""
    if job.status != ImportStatus.DONE:
        return None
    data = job.report
    return JobReport(
        dry_run=job.dry_run,
        rows=data.get("rows", 0),
        created=data.get("created", 0),
        updated=data.get("updated", 0),
        unchanged=data.get("unchanged", 0),
        problems_shown=[
            Problem(p["row"], p["column"], p["message"]) for p in data.get("problems", [])
        ],
        problem_count=data.get("problem_count", 0),
        ignored_columns=data.get("ignored_columns", []),
    )


def start_import_job(*, actor, file, kind: str, dry_run: bool = False) -> ImportJob:
    """Store an uploaded file as a job and queue its import; the job's page
    follows it. Raises PermissionDenied for users who may not import."""
    from ..tasks import run_import

    if not rules.can_bulk_import(actor):
        raise PermissionDenied(_("Only staff and association managers may import."))
    job = ImportJob(
        uploaded_by=actor,
        kind=kind,
        filename=file.name[:255],
        dry_run=dry_run,
        language=translation.get_language() or "",
    )
    # Stored under a name of our own: the uploader's may be long or odd, and
    # is kept (as `filename`) only to be shown.
    job.file.save(f"{uuid.uuid4().hex}{Path(file.name).suffix.lower()[:10]}", file, save=False)
    job.save()
    # Queued straight away rather than on commit: the database queue stores
    # the task in the same transaction as the job, and the immediate backend
    # (tests, a bare runserver) runs it on this connection, which sees the job.
    run_import.enqueue(job_id=job.pk)
    return job


def run_import_job(*, job_id: int) -> ImportJob:
    """Carry out a queued job: import its file as its uploader, keep the
    report, delete the file. A job that crashes is marked failed (nothing of
    its file is written) and the error logged; it never stays running."""
    started = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    if not started:
        return job  # already run (a task delivered twice)
    try:
        if job.uploaded_by is None:
            # actor=None would import as the system, with every right.
            raise PermissionDenied("the uploader's account was deleted")
        with (
            translation.override(job.language or None),
            job.file.open("rb") as file,
            transaction.atomic(),
        ):
            report = _import(job, file)
            # Lazy messages are rendered now, in the uploader's language.
            job.report = report_as_json(report)
        job.status = ImportStatus.DONE
    except Exception as error:
        logger.exception("Import job %s failed", job.pk)
        job.report = {"error": f"{type(error).__name__}: {error}"}
        job.status = ImportStatus.FAILED
    job.finished_at = timezone.now()
    job.save(update_fields=["report", "status", "finished_at"])
    _delete_file(job)
    return job


def _import(job: ImportJob, file) -> ImportReport:
    actor = job.uploaded_by
    if not rules.can_bulk_import(actor):
        # The right to import was withdrawn while the job waited.
        report = ImportReport(kind=job.kind, dry_run=job.dry_run)
        report.problems.append(Problem(None, "", _("You may no longer import files.")))
        return report
    options = {"actor": actor, "file": file, "filename": job.filename, "dry_run": job.dry_run}
    if job.kind != ImportKind.PARTNERSHIPS:
        options["kind"] = job.kind
    return import_string(_IMPORTERS[job.kind])(**options)


def _delete_file(job: ImportJob) -> None:
    # Uploads hold personal data (people's e-mail addresses): not kept.
    if job.file:
        try:
            job.file.delete(save=False)
        except OSError:
            logger.exception("Could not delete the file of import job %s", job.pk)
        job.save(update_fields=["file"])
