"""Background tasks of matchmaking: thin, taking plain values only."""

from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend


@task()
def rebuild_matching_engine() -> int:
    """Build the matching engine from the current directory and partnerships and
    publish it for the web processes; returns how many organisations it holds."""
    from .services import rebuild_engine

    # A worker serves no requests and need not keep the engine; the immediate
    # backend (tests, a bare runserver) runs the task in the process that serves.
    in_this_process = isinstance(rebuild_matching_engine.get_backend(), ImmediateBackend)
    return rebuild_engine(hold=in_this_process)
