"""Demo funding calls and a partner search, loaded by `manage.py load_demo`.

Idempotent: each call is found again by its link and title and updated. The
real call keeps its real deadline and is shown closed once it has passed; the
generated examples get deadlines ahead of the loading day (see `demo_data`).
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.db import transaction
from django.utils import timezone

from municipia.directory.models import Organisation

from . import services
from .demo_data import CALLS
from .enums import CallStatus
from .models import FundingCall, PartnerSearch

FIELDS = (
    "funder", "programme", "summary", "link", "time_zone", "budget", "eligible_groups",
    "eligible_countries", "eligible_types", "min_partners", "max_partners", "min_countries",
    "max_per_country", "min_from_group", "min_from_group_count", "lead_types", "languages",
    "amounts_exclude_vat",
)  # fmt: skip
DATES = ("work_starts_on", "work_ends_on")


def _deadline(entry: dict, now: datetime.datetime) -> datetime.datetime:
    if "deadline" in entry:
        return datetime.datetime(*entry["deadline"], tzinfo=zoneinfo.ZoneInfo(entry["time_zone"]))
    day = timezone.localdate(now) + datetime.timedelta(days=entry["days_from_now"])
    return datetime.datetime.combine(
        day, datetime.time(17, 0), tzinfo=zoneinfo.ZoneInfo(entry["time_zone"])
    )


@transaction.atomic
def load_demo_calls(*, now: datetime.datetime | None = None) -> list[FundingCall]:
    now = now or timezone.now()
    calls = []
    for entry in CALLS:
        deadline = _deadline(entry, now)
        fields = {name: entry[name] for name in FIELDS if name in entry}
        fields.update({name: datetime.date(*entry[name]) for name in DATES if name in entry})
        fields.update(
            deadline=deadline,
            # Honest status: open only while the deadline is ahead.
            status=CallStatus.OPEN if deadline > now else CallStatus.CLOSED,
        )
        existing = FundingCall.objects.filter(title=entry["title"]).first()
        if existing is None:
            call = services.publish_call(
                actor=None,
                title=entry["title"],
                themes=entry.get("themes", ()),
                sdgs=entry.get("sdgs", ()),
                **fields,
            )
        else:
            call = services.update_call(
                actor=None,
                call=existing,
                themes=entry.get("themes", ()),
                sdgs=entry.get("sdgs", ()),
                **fields,
            )
        calls.append(call)
    _demo_search(calls)
    return calls


def _demo_search(calls: list[FundingCall]) -> None:
    """Köln (the demo editor's organisation) looks for partners for the networks
    of towns example."""
    koln = Organisation.objects.filter(slug="koln").first()
    call = next((c for c in calls if c.min_partners == 4 and c.is_accepting), None)
    if koln is None or call is None:
        return
    if PartnerSearch.objects.filter(owner=koln, call=call).exists():
        return
    services.publish_partner_search(
        actor=None,
        owner=koln,
        call=call,
        title="Networks of towns on climate adaptation: three partners sought",
        purpose=(
            "Köln prepares an application on heat-resilient neighbourhoods and looks for "
            "three municipalities, two of them outside Germany's neighbours, to exchange "
            "on heat action plans. (Demo partner search, generated.)"
        ),
        partners_sought=3,
        country_groups=call.eligible_groups,
        kinds=call.eligible_types,
        themes=list(call.themes.all()),
    )
