"""Background tasks of the directory: thin, taking plain values only."""

from django_tasks import task


@task()
def run_import(*, job_id: int) -> str:
    """Import the file of a job queued by `imports.jobs.start_import_job`.
    Returns the job's status."""
    from .imports.jobs import run_import_job

    return run_import_job(job_id=job_id).status
