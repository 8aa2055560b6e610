"""RFC 7953 availability of participants in iCalendar: pure Python, no Django.

A participant's availability at an event is one ``VAVAILABILITY`` component
whose ``DTSTART``/``DTEND`` span the event (``BUSYTYPE:BUSY-UNAVAILABLE``: the
whole span is unavailable) with one ``AVAILABLE`` sub-component per free
stretch; the times the participant blocked are the gaps between them. Times
are written in UTC; the reader also accepts ``TZID=`` local times and dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from municipia.events.formats.ical import escape_text, fold_line

PRODID = "-//municipia//networking availability//EN"


@dataclass
class Availability:
    """One participant's availability: free stretches within ``start``-``end``."""

    uid: str
    organizer: str  # the participant's e-mail address
    start: datetime
    end: datetime
    available: list[tuple[datetime, datetime]] = field(default_factory=list)

    @property
    def blocked(self) -> list[tuple[datetime, datetime]]:
        """The stretches of the span outside every AVAILABLE period."""
        gaps, at = [], self.start
        for start, end in sorted(self.available):
            if start > at:
                gaps.append((at, min(start, self.end)))
            at = max(at, end)
        if at < self.end:
            gaps.append((at, self.end))
        return [(s, e) for s, e in gaps if e > s]


def from_blocks(
    *, uid: str, organizer: str, start: datetime, end: datetime, blocks: list[tuple]
) -> Availability:
    """The availability of someone who blocked ``blocks`` within the span."""
    free, at = [], start
    for block_start, block_end in sorted(blocks):
        block_start, block_end = max(block_start, start), min(block_end, end)
        if block_end <= block_start:
            continue
        if block_start > at:
            free.append((at, block_start))
        at = max(at, block_end)
    if at < end:
        free.append((at, end))
    return Availability(uid=uid, organizer=organizer, start=start, end=end, available=free)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def render(entries: list[Availability], *, dtstamp: datetime | None = None) -> str:
    stamp = _utc(dtstamp or datetime.now(UTC))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}"]
    for entry in entries:
        lines += [
            "BEGIN:VAVAILABILITY",
            f"UID:{escape_text(entry.uid)}",
            f"DTSTAMP:{stamp}",
            f"ORGANIZER:mailto:{entry.organizer}",
            f"DTSTART:{_utc(entry.start)}",
            f"DTEND:{_utc(entry.end)}",
            "BUSYTYPE:BUSY-UNAVAILABLE",
        ]
        for index, (start, end) in enumerate(entry.available):
            lines += [
                "BEGIN:AVAILABLE",
                f"UID:{escape_text(entry.uid)}-{index}",
                f"DTSTAMP:{stamp}",
                f"DTSTART:{_utc(start)}",
                f"DTEND:{_utc(end)}",
                "END:AVAILABLE",
            ]
        lines.append("END:VAVAILABILITY")
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)


class AvailabilityError(ValueError):
    pass


def _unfold(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def _property(line: str) -> tuple[str, dict, str]:
    head, sep, value = line.partition(":")
    if not sep:
        raise AvailabilityError(f"not a content line: {line[:60]!r}")
    name, *params = head.split(";")
    parameters = {}
    for param in params:
        key, _eq, val = param.partition("=")
        parameters[key.upper()] = val.strip('"')
    return name.upper(), parameters, value


def _time(value: str, params: dict, default_tz: ZoneInfo) -> datetime:
    if value.endswith("Z"):
        zone = UTC
    elif "TZID" in params:
        try:
            zone = ZoneInfo(params["TZID"])
        except (KeyError, ValueError):
            raise AvailabilityError(f"unknown time zone {params['TZID']!r}") from None
    else:
        zone = default_tz
    digits = value.rstrip("Z")
    try:
        if params.get("VALUE", "").upper() == "DATE" or len(digits) == 8:
            return datetime(int(digits[:4]), int(digits[4:6]), int(digits[6:8]), tzinfo=zone)
        if len(digits) != 15 or digits[8] != "T":
            raise ValueError
        return datetime(
            int(digits[:4]),
            int(digits[4:6]),
            int(digits[6:8]),
            int(digits[9:11]),
            int(digits[11:13]),
            int(digits[13:15]),
            tzinfo=zone,
        )
    except ValueError:
        raise AvailabilityError(f"not an iCalendar date-time: {value!r}") from None


def _span(props: dict, default_tz: ZoneInfo, what: str) -> tuple[datetime, datetime]:
    if "DTSTART" not in props:
        raise AvailabilityError(f"{what} without DTSTART")
    start = _time(*props["DTSTART"], default_tz)
    if "DTEND" in props:
        end = _time(*props["DTEND"], default_tz)
    elif "DURATION" in props:
        end = start + _duration(props["DURATION"][0])
    else:
        raise AvailabilityError(f"{what} without DTEND or DURATION")
    if end <= start:
        raise AvailabilityError(f"{what} ends before it starts")
    return start, end


def _duration(value: str) -> timedelta:
    match = re.fullmatch(
        r"([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", value
    )
    if not match or value in ("P", "PT"):
        raise AvailabilityError(f"not an iCalendar duration: {value!r}")
    sign, weeks, days, hours, minutes, seconds = match.groups()
    delta = timedelta(
        weeks=int(weeks or 0),
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds or 0),
    )
    return -delta if sign == "-" else delta


def parse(text: str, *, default_tz: str = "UTC") -> list[Availability]:
    """Read every VAVAILABILITY of an iCalendar text; AvailabilityError on
    what cannot be read (the caller reports it)."""
    zone = ZoneInfo(default_tz)
    found: list[Availability] = []
    stack: list[tuple[str, dict]] = []
    for line in _unfold(text):
        name, params, value = _property(line)
        if name == "BEGIN":
            stack.append((value.upper(), {}))
            continue
        if name == "END":
            if not stack or stack[-1][0] != value.upper():
                raise AvailabilityError(f"END:{value} without its BEGIN")
            component, props = stack.pop()
            if component == "AVAILABLE":
                if not stack or stack[-1][0] != "VAVAILABILITY":
                    raise AvailabilityError("AVAILABLE outside a VAVAILABILITY")
                stack[-1][1].setdefault("_available", []).append(_span(props, zone, "AVAILABLE"))
            elif component == "VAVAILABILITY":
                start, end = _span(props, zone, "VAVAILABILITY")
                organizer = props.get("ORGANIZER", ("", {}, ""))[0]
                if organizer.lower().startswith("mailto:"):
                    organizer = organizer[7:]
                if not organizer:
                    raise AvailabilityError("VAVAILABILITY without ORGANIZER")
                found.append(
                    Availability(
                        uid=props.get("UID", ("",))[0],
                        organizer=organizer.strip().lower(),
                        start=start,
                        end=end,
                        available=sorted(props.get("_available", [])),
                    )
                )
            continue
        if stack:
            stack[-1][1][name] = (value, params)
    if stack:
        raise AvailabilityError(f"BEGIN:{stack[-1][0]} without its END")
    return found
