"""Background tasks of matchmaking: thin, taking plain values only."""

from django_tasks import task


@task()
def rebuild_matching_engine() -> int:
    """Rebuild the matching engine of the process that runs the task from the
    current directory and partnerships; returns how many organisations it holds."""
    from .services import rebuild_engine

    return rebuild_engine()
