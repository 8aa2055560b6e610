"""Helpers of the events-core tests (not fixtures, so tests may import them)."""

import datetime
from zoneinfo import ZoneInfo

MADRID = ZoneInfo("Europe/Madrid")
# The retreat of the seed programme (5–7 November 2024), moved to a year that
# is still ahead so that registration is open.
YEAR = 2030


def at(day: int, hour: int, minute: int = 0, *, month: int = 11, year: int = YEAR):
    """A time in Barcelona during the retreat."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=MADRID)


def register_mayor(event, user, **fields):
    """A participant who registers as a mayor and whom the organisers confirm as a
    principal (a position one states of oneself is not trusted until then)."""
    from municipia.events import services

    answers = {"position": "mayor_or_president", **fields.pop("answers", {})}
    registration = services.register(actor=user, event=event, answers=answers, **fields)
    return services.set_principal(
        actor=event.created_by, registration=registration, is_principal=True
    )
