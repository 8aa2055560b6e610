"""Background tasks of funding: thin, taking plain values only."""

from django_tasks import task


@task()
def send_deadline_alerts() -> int:
    """Remind followers of the calls whose deadline reaches one of their chosen
    intervals (run it every hour: see `manage.py send_deadline_alerts`)."""
    from .services import send_deadline_alerts as send

    return send()


@task()
def announce_partner_search(*, search_id: int) -> int:
    """Tell the organisations a new partner search fits about it, once."""
    from .services import announce_partner_search as announce

    return announce(search_id=search_id)
