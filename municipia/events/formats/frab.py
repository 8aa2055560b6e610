"""frab / Pentabarf ``schedule.xml``: a tolerant reader and a writer whose output
validates against the c3voc XSD (``schedule.xml.xsd``).

Real files differ from the schema (FOSDEM has no guids, no ``<date>`` and no day
start/end; 31C3 has non-UUID guids; none has ``<version>`` and a time zone), so
the reader takes what it can, falls back on the day's date and the event's time
zone, and returns a warning for everything it skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from municipia.parsing import parse_whole_number

from .model import (
    DayData,
    LinkData,
    Notice,
    PersonData,
    RoomData,
    ScheduleData,
    SessionData,
    TrackData,
    absolute_url,
    derived_uuid,
    format_duration,
    gettext_noop,
    is_uuid,
    parse_duration,
    slugify,
)

GENERATOR = "municipia"


class ScheduleFormatError(ValueError):
    """The file cannot be read at all (not XML/JSON, not a schedule)."""


# ---------------------------------------------------------------- reading


def _text(element: ET.Element | None, tag: str) -> str:
    if element is None:
        return ""
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def valid_zone(name: str, fallback: str, warnings: list[str]) -> str:
    if name:
        try:
            ZoneInfo(name)
            return name
        except (ZoneInfoNotFoundError, ValueError):
            warnings.append(
                Notice(
                    gettext_noop("Unknown time zone “%(zone)s”; using %(fallback)s."),
                    zone=name,
                    fallback=fallback,
                )
            )
    return fallback


def no_time_zone(default_tz: str) -> Notice:
    return Notice(
        gettext_noop("No time zone named; times without an offset read in %(zone)s."),
        zone=default_tz,
    )


def appears_twice(session: SessionData) -> Notice:
    return Notice(
        gettext_noop("Event %(id)s “%(title)s” appears twice; the second was skipped."),
        id=session.guid,
        title=session.title,
    )


def event_notice(template: str, event_id: str, title: str, **params) -> Notice:
    """A warning about one event of the file, named by its id and title."""
    return Notice(template, id=event_id or "?", title=title, **params)


def parse_datetime(value: str, zone: ZoneInfo) -> datetime | None:
    """ISO 8601 date-time; a time without offset is read in ``zone``."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def parse_clock(value: str) -> time | None:
    value = (value or "").strip()
    try:
        return time.fromisoformat(value if value.count(":") == 2 else f"{value}:00")
    except ValueError:
        return None


def refuse_doctype(data: bytes) -> None:
    """No schedule needs a DOCTYPE; refusing it rules out entity-expansion bombs
    and external entities whatever the XML library does."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise ScheduleFormatError(
            Notice(gettext_noop("XML with a DOCTYPE or entity declarations is not accepted."))
        )


def read_frab(data: bytes | str, *, default_tz: str = "UTC") -> tuple[ScheduleData, list[str]]:
    """Read a frab ``schedule.xml``. ``default_tz`` is used for times without an
    offset when the file names no (valid) time zone."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    refuse_doctype(data)
    try:
        root = ET.fromstring(data)  # noqa: S314 DOCTYPEs refused above
    except ET.ParseError as error:
        raise ScheduleFormatError(
            Notice(gettext_noop("Not well-formed XML: %(error)s"), error=str(error))
        ) from error
    # Some generators put the schedule in an XML namespace; the format has none.
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = element.tag.split("}", 1)[1]
    if root.tag != "schedule":
        raise ScheduleFormatError(
            Notice(
                gettext_noop("The root element is <%(tag)s>, not <schedule>."), tag=str(root.tag)
            )
        )

    warnings: list[str] = []
    conference = root.find("conference")
    if conference is None:
        warnings.append(
            Notice(gettext_noop("No <conference> element; conference details left empty."))
        )
    if not _text(root, "version"):
        warnings.append(Notice(gettext_noop("No <version> element.")))
    if not _text(conference, "time_zone_name"):
        warnings.append(no_time_zone(default_tz))
    tz_name = valid_zone(_text(conference, "time_zone_name"), default_tz, warnings)
    zone = ZoneInfo(tz_name)
    day_change = parse_clock(_text(conference, "day_change")) or time(0, 0)

    schedule = ScheduleData(
        title=_text(conference, "title"),
        acronym=_text(conference, "acronym"),
        start=parse_date(_text(conference, "start")),
        end=parse_date(_text(conference, "end")),
        time_zone=tz_name,
        version=_text(root, "version"),
        url=_text(conference, "url") or _text(root, "url"),
        base_url=_text(conference, "base_url"),
    )
    if conference is not None:
        for track in conference.findall("track"):
            name = (track.get("name") or track.text or "").strip()
            if name:
                schedule.tracks.append(
                    TrackData(name=name, color=track.get("color", ""), slug=track.get("slug", ""))
                )

    rooms: dict[str, RoomData] = {}
    seen_guids: set[str] = set()
    missing_guids = sum(1 for event in root.iter("event") if not (event.get("guid") or "").strip())
    for position, day in enumerate(root.findall("day"), start=1):
        day_date = parse_date(day.get("date", ""))
        day_start = parse_datetime(day.get("start", ""), zone)
        if day_date is None and day_start is not None:
            day_date = day_start.astimezone(zone).date()
        if day_date is None:
            warnings.append(
                Notice(
                    gettext_noop("Day %(day)d: no valid date; its sessions were skipped."),
                    day=position,
                )
            )
            schedule.skipped_sessions += len(day.findall("room/event"))
            continue
        index = parse_whole_number(day.get("index") or "")
        index = position if index is None else index
        schedule.days.append(
            DayData(
                index=index,
                date=day_date,
                start=day_start,
                end=parse_datetime(day.get("end", ""), zone),
            )
        )
        for room in day.findall("room"):
            room_name = (room.get("name") or "").strip()
            if room_name and room_name not in rooms:
                rooms[room_name] = RoomData(name=room_name, guid=room.get("guid", ""))
            for event in room.findall("event"):
                session = _read_event(
                    event, room_name, day_date, day_change, zone, schedule.acronym, warnings
                )
                if add_session(schedule, session, seen_guids, warnings) and session.room:
                    rooms.setdefault(session.room, RoomData(name=session.room))
    schedule.rooms = list(rooms.values())
    summarise_identifiers(schedule.sessions, missing_guids, warnings)
    return schedule, warnings


def add_session(
    schedule: ScheduleData, session: SessionData | None, seen: set[str], warnings: list[str]
) -> bool:
    """Keep a session the reader could use, once per guid; count the others."""
    if session is None:
        schedule.skipped_sessions += 1
        return False
    if session.guid in seen:
        warnings.append(appears_twice(session))
        schedule.skipped_sessions += 1
        return False
    seen.add(session.guid)
    schedule.sessions.append(session)
    return True


def summarise_identifiers(sessions, missing_guids: int, warnings: list[str]) -> None:
    """One warning per kind of non-conforming identifier rather than one per event."""
    if missing_guids:
        warnings.append(
            Notice(
                gettext_noop("%(count)d event(s) without a guid: identified by their id instead."),
                count=missing_guids,
            )
        )
    not_uuids = sum(1 for s in sessions if not is_uuid(s.guid))
    if not_uuids:
        warnings.append(
            Notice(
                gettext_noop(
                    "%(count)d event guid(s) are not UUIDs: kept as identifiers; "
                    "exports replace them with derived UUIDs."
                ),
                count=not_uuids,
            )
        )


def _read_event(
    event: ET.Element,
    room_name: str,
    day_date: date,
    day_change: time,
    zone: ZoneInfo,
    acronym: str,
    warnings: list[str],
) -> SessionData | None:
    title = _text(event, "title")
    event_id = (event.get("id") or "").strip()
    if not title:
        warnings.append(
            event_notice(gettext_noop("Event %(id)s: no title; skipped."), event_id, title)
        )
        return None
    guid = (event.get("guid") or "").strip()
    if not guid:
        if not event_id:
            warnings.append(
                event_notice(
                    gettext_noop("Event “%(title)s”: neither guid nor id; skipped."),
                    event_id,
                    title,
                )
            )
            return None
        # FOSDEM has ids only: a stable guid keeps re-imports idempotent.
        guid = derived_uuid("frab", acronym or "", event_id)
    start = parse_datetime(_text(event, "date"), zone)
    if start is None:
        clock = parse_clock(_text(event, "start"))
        if clock is None:
            warnings.append(
                event_notice(
                    gettext_noop("Event %(id)s “%(title)s”: no valid start time; skipped."),
                    event_id,
                    title,
                )
            )
            return None
        # Sessions before the day change (e.g. 01:00 at a congress) belong to the
        # night after the day's date.
        on = day_date + timedelta(days=1) if clock < day_change else day_date
        start = datetime.combine(on, clock).replace(tzinfo=zone)
    duration = parse_duration(_text(event, "duration"))
    if duration is None or duration <= timedelta(0):
        warnings.append(
            event_notice(
                gettext_noop("Event %(id)s “%(title)s”: invalid duration “%(value)s”; skipped."),
                event_id,
                title,
                value=_text(event, "duration"),
            )
        )
        return None
    persons = []
    persons_element = event.find("persons")
    for person in persons_element.findall("person") if persons_element is not None else []:
        name = (person.text or "").strip()
        if not name:
            continue
        person_id = (person.get("id") or "").strip()
        persons.append(
            PersonData(
                name=name,
                guid=person.get("guid", ""),
                id=parse_whole_number(person_id),
            )
        )
    links = []
    links_element = event.find("links")
    for link in links_element.findall("link") if links_element is not None else []:
        href = (link.get("href") or "").strip()
        if href:
            links.append(LinkData(url=href, title=(link.text or "").strip()))
    return SessionData(
        guid=guid,
        title=title,
        start=start,
        duration=duration,
        room=_text(event, "room") or room_name,
        id=parse_whole_number(event_id),
        subtitle=_text(event, "subtitle"),
        abstract=_text(event, "abstract"),
        description=_text(event, "description"),
        track=_text(event, "track"),
        kind=_text(event, "type"),
        language=_text(event, "language"),
        persons=persons,
        links=links,
        url=_text(event, "url"),
        slug=_text(event, "slug"),
    )


# ---------------------------------------------------------------- writing


def export_guid(session: SessionData, acronym: str) -> str:
    """The session's guid when it is a UUID, else one derived from it (the XSD and
    schema.json require UUIDs; 31C3's guids are not)."""
    return session.guid if is_uuid(session.guid) else derived_uuid("guid", acronym, session.guid)


def export_acronym(schedule: ScheduleData) -> str:
    """An acronym both schemas accept: lower-case letters, digits and ``_``, at
    least four characters (schema.json allows no hyphen after the first)."""
    acronym = slugify(schedule.acronym or schedule.title, "_") or "programme"
    return acronym if len(acronym) >= 4 else f"{acronym}_programme"


def export_slug(session: SessionData, acronym: str, number: int) -> str:
    """``<acronym>-<id>-<title>``: matches the XSD's ``voc-slug-new`` and the
    schema.json slug pattern."""
    title = slugify(session.title, "_")[:60].strip("_") or "session"
    if len(title) < 4:
        title = f"{title}_session"
    return f"{acronym}-{number}-{title}"


def numbered(sessions: Iterable[SessionData]) -> list[tuple[int, SessionData]]:
    """Positive, unique integer ids (both formats require them): the file's own
    id when it has one and it is free, else the next free number."""
    sessions = list(sessions)
    used: set[int] = set()
    result: list[tuple[int, SessionData]] = []
    pending = []
    for session in sessions:
        if session.id and session.id > 0 and session.id not in used:
            used.add(session.id)
            result.append((session.id, session))
        else:
            pending.append(session)
    number = max(used, default=0)
    for session in pending:
        number += 1
        result.append((number, session))
    order = {id(s): i for i, s in enumerate(sessions)}
    return sorted(result, key=lambda pair: order[id(pair[1])])


def is_http_url(value: str) -> bool:
    return bool(value) and absolute_url(value) == value


def grouped_by_day(schedule: ScheduleData) -> list[tuple[DayData, list[SessionData]]]:
    """Days of the programme with their sessions: each session goes to the day
    whose start/end contains it, else the day of its local date; days are added
    for sessions on dates the schedule does not list."""
    zone = ZoneInfo(schedule.time_zone or "UTC")
    days = {day.date: DayData(**day.__dict__) for day in schedule.days}
    buckets: dict[date, list[SessionData]] = {d: [] for d in days}
    for session in sorted(schedule.sessions, key=lambda s: (s.start, s.room, s.title)):
        home = None
        for day in days.values():
            if day.start and day.end and day.start <= session.start < day.end:
                home = day.date
                break
        if home is None:
            home = session.start.astimezone(zone).date()
        if home not in days:
            days[home] = DayData(index=0, date=home)
            buckets[home] = []
        buckets[home].append(session)
    result = []
    for index, day_date in enumerate(sorted(days), start=1):
        day = days[day_date]
        day.index = index
        sessions = buckets[day_date]
        if day.start is None:
            earliest = min((s.start for s in sessions), default=None)
            day.start = earliest or datetime.combine(day_date, time(0, 0), tzinfo=zone)
        if day.end is None:
            latest = max((s.end for s in sessions), default=None)
            day.end = latest or datetime.combine(day_date, time(23, 59), tzinfo=zone)
        result.append((day, sessions))
    return result


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: v for k, v in attributes.items() if v})
    if text is not None:
        element.text = text
    return element


def _iso(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat()


def write_frab(schedule: ScheduleData, *, generator_version: str = "") -> str:
    """A ``schedule.xml`` valid against the c3voc XSD: UUID guids, unique integer
    ids and slugs, every day with start and end, times with offsets."""
    zone = ZoneInfo(schedule.time_zone or "UTC")
    acronym = export_acronym(schedule)
    days = grouped_by_day(schedule)
    root = ET.Element("schedule")
    _sub(root, "generator", name=GENERATOR, version=generator_version)
    if is_http_url(schedule.url):
        _sub(root, "url", schedule.url)
    _sub(root, "version", schedule.version or datetime.now(zone).strftime("%Y-%m-%d %H:%M"))
    conference = _sub(root, "conference")
    _sub(conference, "acronym", acronym)
    _sub(conference, "title", schedule.title)
    first = schedule.start or (days[0][0].date if days else None)
    last = schedule.end or (days[-1][0].date if days else None)
    if first:
        _sub(conference, "start", first.isoformat())
    if last:
        _sub(conference, "end", last.isoformat())
    _sub(conference, "days", str(len(days)))
    _sub(conference, "timeslot_duration", "00:05")
    if is_http_url(schedule.base_url):
        _sub(conference, "base_url", schedule.base_url)
    if is_http_url(schedule.url):
        _sub(conference, "url", schedule.url)
    _sub(conference, "time_zone_name", schedule.time_zone or "UTC")
    tracks = {t.name: t for t in schedule.tracks}
    for session in schedule.sessions:
        if session.track and session.track not in tracks:
            tracks[session.track] = TrackData(name=session.track)
    for track in tracks.values():
        slug = slugify(track.name, "-")
        _sub(
            conference,
            "track",
            track.name,
            name=track.name,
            color=track.color if _is_hex_colour(track.color) else "",
            slug=slug if slug[:1].isalpha() and len(slug) >= 2 else "",
        )

    ids = {id(session): number for number, session in numbered(schedule.sessions)}
    room_guids = {room.name: room.guid for room in schedule.rooms}
    room_order = [room.name for room in schedule.rooms]
    for day, sessions in days:
        day_element = _sub(
            root,
            "day",
            index=str(day.index),
            date=day.date.isoformat(),
            start=_iso(day.start, zone),
            end=_iso(day.end, zone),
        )
        by_room: dict[str, list[SessionData]] = {}
        for session in sessions:
            by_room.setdefault(session.room, []).append(session)
        names = sorted(
            by_room,
            key=lambda n: (room_order.index(n) if n in room_order else len(room_order), n),
        )
        for room_name in names:
            guid = room_guids.get(room_name, "")
            # The name is required even when empty (a session with no place yet).
            room_element = ET.SubElement(
                day_element,
                "room",
                {
                    "name": room_name,
                    "guid": guid if is_uuid(guid) else derived_uuid("room", acronym, room_name),
                },
            )
            for session in by_room[room_name]:
                _write_event(room_element, session, ids[id(session)], acronym, zone)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _is_hex_colour(value: str) -> bool:
    return (
        len(value) == 7
        and value.startswith("#")
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    )


def _write_event(parent, session: SessionData, number: int, acronym: str, zone: ZoneInfo):
    event = _sub(parent, "event", guid=export_guid(session, acronym), id=str(number))
    local = session.start.astimezone(zone)
    _sub(event, "room", session.room)
    _sub(event, "title", session.title)
    _sub(event, "subtitle", session.subtitle)
    _sub(event, "type", session.kind or "other")
    _sub(event, "date", local.isoformat())
    _sub(event, "start", local.strftime("%H:%M"))
    _sub(event, "duration", format_duration(session.duration))
    _sub(event, "abstract", session.abstract)
    _sub(event, "slug", export_slug(session, acronym, number))
    _sub(event, "track", session.track)
    persons = _sub(event, "persons")
    for person in session.persons:
        _sub(
            persons,
            "person",
            person.name,
            id=str(person.id) if person.id else "",
            guid=person.guid if is_uuid(person.guid) else "",
        )
    _sub(event, "language", session.language)
    _sub(event, "description", session.description)
    links = _sub(event, "links")
    for link in session.links:
        if absolute_url(link.url):
            _sub(links, "link", link.title or link.url, href=absolute_url(link.url))
    if is_http_url(session.url):
        _sub(event, "url", session.url)
