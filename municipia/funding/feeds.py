"""The deadlines of followed calls as an iCalendar feed (events' RFC 5545 writer)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urljoin

from django.utils.translation import gettext as _

from municipia.events.formats.ical import CalendarEntry, render_calendar

from .models import FundingCall


def deadline_entry(call: FundingCall, *, base_url: str) -> CalendarEntry:
    """A deadline is a moment; calendars show it as a 30-minute slot ending at it,
    in the call's own time zone."""
    url = urljoin(base_url, call.get_absolute_url())
    return CalendarEntry(
        uid=f"funding-call-{call.pk}-deadline@municipia",
        summary=_("Deadline: %(title)s") % {"title": call.title},
        start=call.deadline - datetime.timedelta(minutes=30),
        end=call.deadline,
        description="\n".join(filter(None, [call.funder, call.programme, url, call.link])),
        url=url,
        tz_name=call.time_zone,
        status="CANCELLED" if call.status == "closed" and not call.deadline_passed else "CONFIRMED",
        last_modified=call.updated_at,
    )


def deadline_calendar(*, calls: Iterable[FundingCall], base_url: str) -> str:
    return render_calendar(
        [deadline_entry(call, base_url=base_url) for call in calls],
        name=str(_("Funding deadlines")),
        prodid="-//municipia//Funding deadlines//EN",
        method="PUBLISH",
    )
