"""iCalendar (RFC 5545) writer for programmes, agendas and single sessions.

Pure Python, no Django: callers turn sessions into ``CalendarEntry`` values and
``render_calendar`` returns the text of a ``VCALENDAR``. Times are written in the
event's time zone with a ``VTIMEZONE`` built from the ``zoneinfo`` database (so a
calendar shows a Barcelona session at 09:00 Barcelona time whatever the reader's
zone, across daylight-saving changes), or as UTC ``Z`` times when no zone is
given. Lines end with CRLF and are folded at 75 octets without splitting a UTF-8
character; TEXT values are escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_PRODID = "-//municipia//Events programme//EN"
MAX_LINE_OCTETS = 75
STATUSES = ("TENTATIVE", "CONFIRMED", "CANCELLED")
METHODS = ("PUBLISH", "REQUEST", "REPLY", "ADD", "CANCEL", "REFRESH", "COUNTER", "DECLINECOUNTER")


@dataclass
class CalendarEntry:
    """One VEVENT: a session, a whole event or an agenda item.

    ``start``/``end`` are aware datetimes (or ``date`` values for an all-day
    entry, ``end`` exclusive as RFC 5545 wants). ``tz_name`` is the IANA zone
    the times are shown in; ``"UTC"`` writes ``Z`` times.
    """

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date
    description: str = ""
    location: str = ""
    url: str = ""
    tz_name: str = "UTC"
    categories: Sequence[str] = field(default_factory=tuple)
    status: str = "CONFIRMED"
    sequence: int = 0
    last_modified: datetime | None = None
    organizer_name: str = ""
    organizer_email: str = ""


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


# Control characters other than HTAB are not allowed in a content line (§3.1).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def fold_line(line: str) -> str:
    """Fold one content line into chunks of at most 75 octets joined by CRLF + space,
    never cutting inside a UTF-8 encoded character."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    limit = MAX_LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            chunks.append("".join(current))
            current, size = [], 0
            limit = MAX_LINE_OCTETS - 1  # the leading space of a continuation line counts
        current.append(char)
        size += octets
    chunks.append("".join(current))
    return "\r\n ".join(chunks)


def _utc_stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("iCalendar times must be aware datetimes")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local_stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _offset(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _is_utc(tz_name: str | None) -> bool:
    return not tz_name or tz_name.upper() in ("UTC", "ETC/UTC", "Z", "GMT", "ETC/GMT")


def zone_transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """UTC instants in [start, end) where the zone's UTC offset, DST flag or
    abbreviation changes, found by a daily scan refined by bisection to the second
    (``zoneinfo`` does not expose its transition table)."""

    def state(moment: datetime):
        local = moment.astimezone(zone)
        return (local.utcoffset(), local.dst(), local.tzname())

    found: list[datetime] = []
    step = timedelta(hours=12)
    cursor = start
    before = state(cursor)
    while cursor < end:
        following = min(cursor + step, end)
        after = state(following)
        if after != before:
            low, high = cursor, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle <= low:
                    break
                if state(middle) == before:
                    low = middle
                else:
                    high = middle
            found.append(high)
        cursor, before = following, after
    return found


def render_vtimezone(tz_name: str, first_year: int, last_year: int) -> list[str]:
    """The unfolded lines of a VTIMEZONE for ``tz_name`` covering the given years:
    one observance valid from the start of the range plus one per transition
    inside it, each with a single DTSTART (no RRULE, so rule changes over the
    years need no special case)."""
    zone = ZoneInfo(tz_name)
    # A day of margin: 1 January at 00:30 local time is still 31 December in UTC.
    range_start = datetime(first_year, 1, 1, tzinfo=UTC) - timedelta(days=1)
    range_end = datetime(last_year + 1, 1, 1, tzinfo=UTC) + timedelta(days=1)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tz_name}"]

    def observance(moment: datetime, offset_from: timedelta) -> list[str]:
        local = moment.astimezone(zone)
        kind = "DAYLIGHT" if local.dst() else "STANDARD"
        # DTSTART of an observance is the onset in the local time before it (§3.6.5).
        onset = (moment + offset_from).replace(tzinfo=None)
        return [
            f"BEGIN:{kind}",
            f"DTSTART:{_local_stamp(onset)}",
            f"TZOFFSETFROM:{_offset(offset_from)}",
            f"TZOFFSETTO:{_offset(local.utcoffset())}",
            f"TZNAME:{escape_text(local.tzname() or tz_name)}",
            f"END:{kind}",
        ]

    initial_offset = range_start.astimezone(zone).utcoffset()
    lines += observance(range_start, initial_offset)
    previous = initial_offset
    for moment in zone_transitions(zone, range_start, range_end):
        lines += observance(moment, previous)
        previous = moment.astimezone(zone).utcoffset()
    lines.append("END:VTIMEZONE")
    return lines


def _time_property(name: str, value: datetime | date, tz_name: str) -> str:
    if not isinstance(value, datetime):
        return f"{name};VALUE=DATE:{value.strftime('%Y%m%d')}"
    if value.tzinfo is None:
        raise ValueError(f"{name} must be an aware datetime")
    if _is_utc(tz_name):
        return f"{name}:{_utc_stamp(value)}"
    local = value.astimezone(ZoneInfo(tz_name))
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        # The second pass through the hour repeated when clocks go back: a local
        # time with TZID means the first pass (§3.3.5), so only UTC says it right.
        return f"{name}:{_utc_stamp(value)}"
    return f"{name};TZID={tz_name}:{_local_stamp(local)}"


def _text(value: str) -> str:
    return escape_text(_CONTROL.sub("", value))


def _uri(value: str) -> str:
    return _CONTROL.sub("", value).replace("\n", "")


def _param_value(value: str) -> str:
    """A parameter value (§3.2): quoted when it holds , ; or :, and a double
    quote, which no parameter value may contain, dropped."""
    value = _CONTROL.sub("", value).replace('"', "").replace("\n", " ")
    return f'"{value}"' if any(c in value for c in ",;:") else value


def _organizer(name: str, email: str) -> str:
    email = _uri(email).strip()
    common_name = f";CN={_param_value(name)}" if name.strip() else ""
    return f"ORGANIZER{common_name}:mailto:{email}"


def _duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    time_part = "".join(
        f"{value}{unit}" for value, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if value
    )
    return "P" + (f"{days}D" if days else "") + (f"T{time_part}" if time_part else "")


def _event_lines(entry: CalendarEntry, dtstamp: str) -> list[str]:
    status = entry.status.upper()
    if status not in STATUSES:
        raise ValueError(f"Unknown VEVENT status: {entry.status}")
    if isinstance(entry.start, datetime) != isinstance(entry.end, datetime):
        raise ValueError(f"Entry {entry.uid} mixes a date and a date-time")
    if entry.end < entry.start:
        raise ValueError(f"Entry {entry.uid} ends before it starts")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_text(entry.uid)}",
        f"DTSTAMP:{dtstamp}",
        _time_property("DTSTART", entry.start, entry.tz_name),
        _time_property("DTEND", entry.end, entry.tz_name),
        f"SUMMARY:{_text(entry.summary)}",
    ]
    if entry.description:
        lines.append(f"DESCRIPTION:{_text(entry.description)}")
    if entry.location:
        lines.append(f"LOCATION:{_text(entry.location)}")
    if entry.url:
        lines.append(f"URL:{_uri(entry.url)}")
    categories = [c for c in entry.categories if c]
    if categories:
        lines.append("CATEGORIES:" + ",".join(_text(c) for c in categories))
    lines.append(f"STATUS:{status}")
    lines.append(f"SEQUENCE:{int(entry.sequence)}")
    if entry.last_modified is not None:
        lines.append(f"LAST-MODIFIED:{_utc_stamp(entry.last_modified)}")
    if entry.organizer_email:
        lines.append(_organizer(entry.organizer_name, entry.organizer_email))
    lines.append("END:VEVENT")
    return lines


def _years(entries: Sequence[CalendarEntry], tz_name: str) -> tuple[int, int]:
    zone = ZoneInfo(tz_name)
    years = []
    for entry in entries:
        for value in (entry.start, entry.end):
            years.append(value.astimezone(zone).year if isinstance(value, datetime) else value.year)
    return min(years), max(years)


def render_calendar(
    entries: Iterable[CalendarEntry],
    *,
    name: str,
    prodid: str = DEFAULT_PRODID,
    method: str | None = None,
    tz_name: str | None = None,
    dtstamp: datetime | None = None,
    refresh: timedelta | None = None,
) -> str:
    """Return an RFC 5545 ``VCALENDAR`` with one ``VEVENT`` per entry.

    ``tz_name`` is the calendar's default zone (``X-WR-TIMEZONE``); it is applied
    to entries left at ``"UTC"``. Every non-UTC zone used gets a ``VTIMEZONE``
    covering the years of its entries. ``method`` is ``PUBLISH`` for feeds and
    ``REQUEST`` for invitations attached to e-mails. ``dtstamp`` defaults to now.
    ``refresh`` tells subscribed calendar applications how often to fetch a
    feed again (RFC 7986 ``REFRESH-INTERVAL`` and the older ``X-PUBLISHED-TTL``).
    """
    entries = list(entries)
    if method is not None and method.upper() not in METHODS:
        raise ValueError(f"Unknown iTIP method: {method}")
    if tz_name and not _is_utc(tz_name):
        ZoneInfo(tz_name)  # an unknown zone fails here, before any output
        entries = [
            CalendarEntry(**{**entry.__dict__, "tz_name": tz_name})
            if _is_utc(entry.tz_name)
            else entry
            for entry in entries
        ]
    stamp = _utc_stamp(dtstamp or datetime.now(UTC))

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_text(prodid)}",
        "CALSCALE:GREGORIAN",
    ]
    if method:
        lines.append(f"METHOD:{method.upper()}")
    lines.append(f"X-WR-CALNAME:{_text(name)}")
    if tz_name and not _is_utc(tz_name):
        lines.append(f"X-WR-TIMEZONE:{tz_name}")
    if refresh is not None and refresh > timedelta(0):
        lines.append(f"REFRESH-INTERVAL;VALUE=DURATION:{_duration(refresh)}")
        lines.append(f"X-PUBLISHED-TTL:{_duration(refresh)}")

    zones = sorted({e.tz_name for e in entries if not _is_utc(e.tz_name)})
    for zone_name in zones:
        first, last = _years([e for e in entries if e.tz_name == zone_name], zone_name)
        lines += render_vtimezone(zone_name, first, last)
    for entry in entries:
        lines += _event_lines(entry, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)
