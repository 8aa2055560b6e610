"""Background tasks of the networking centre: thin, taking plain values only."""

from django_tasks import task


@task()
def expire_meeting_requests() -> int:
    """Expire the requests left unanswered after the organisers' deadline; run
    it every few minutes (``python manage.py expire_meeting_requests`` does
    the same from cron). Returns how many expired."""
    from .services import expire_requests

    return expire_requests()


@task()
def run_meeting_scheduler(*, run_id: int) -> int:
    """Carry out a run queued by ``services.start_scheduler_run``; a run that
    fails is marked so, with the error in its report. Returns the run's id."""
    from django.utils import timezone

    from .enums import RunStatus
    from .models import SchedulerRun
    from .services import run_scheduler

    run = SchedulerRun.objects.select_related("event", "started_by").get(pk=run_id)
    if run.status != RunStatus.RUNNING:
        return run.pk
    try:
        run_scheduler(
            actor=None,  # checked when the run was queued
            event=run.event,
            replan=run.replan,
            time_limit=float(run.report.get("time_limit", 10)),
            run=run,
        )
    except Exception as error:
        SchedulerRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            report={"error": f"{type(error).__name__}: {error}"},
        )
        raise
    return run.pk
