"""Exposure counts: how often each organisation was recently shown as a
suggested partner, counted where suggestions are served and fed to the
engine's exposure damping.

Counting is two queries per list shown (create the day's rows that are
missing, then add one to each: concurrent lists never lose a count); reading
is one aggregate over the last `WINDOW_DAYS`, kept in the shared cache for
`CACHE_SECONDS` so that a request never waits for it twice in a row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import F, Sum
from django.utils import timezone

from .models import Exposure

WINDOW_DAYS = 7
CACHE_KEY = "matching:exposure"
CACHE_SECONDS = 300


def record_shown(organisation_ids: Iterable[int], *, day: datetime.date | None = None) -> None:
    """Add one showing to each of these organisations for today."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return
    day = day or timezone.now().date()
    # Two single statements, no transaction needed: a row created by a
    # concurrent list is kept (ignore_conflicts) and each UPDATE adds its one.
    Exposure.objects.bulk_create(
        [Exposure(organisation_id=pk, day=day, times=0) for pk in ids], ignore_conflicts=True
    )
    Exposure.objects.filter(day=day, organisation_id__in=ids).update(times=F("times") + 1)


def recent_exposure(*, today: datetime.date | None = None) -> dict[str, int]:
    """Engine id → times shown over the last `WINDOW_DAYS` days (today included)."""
    if today is None:
        counts = cache.get(CACHE_KEY)
        if counts is not None:
            return counts
    since = (today or timezone.now().date()) - datetime.timedelta(days=WINDOW_DAYS - 1)
    rows = (
        Exposure.objects.filter(day__gte=since)
        .values("organisation_id")
        .annotate(total=Sum("times"))
        .order_by()
        .values_list("organisation_id", "total")
    )
    counts = {str(pk): int(total) for pk, total in rows if total}
    if today is None:
        cache.set(CACHE_KEY, counts, CACHE_SECONDS)
    return counts


def forget_old_exposure(*, keep_days: int = 4 * WINDOW_DAYS) -> int:
    """Delete day rows older than `keep_days`; returns how many."""
    cutoff = timezone.now().date() - datetime.timedelta(days=keep_days)
    deleted, _ = Exposure.objects.filter(day__lt=cutoff).delete()
    return deleted
