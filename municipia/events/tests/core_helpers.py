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
