"""c3voc ``schedule.json`` (the format pretalx and frab export): a tolerant
reader and a writer whose output validates against ``schema.json``.

Real files stray from the schema (string ids, rooms at the wrong level, persons
with both frab and pretalx fields, acronyms with capitals): the reader accepts
them and reports what it had to skip or guess.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from municipia.parsing import parse_whole_number

from .frab import (
    GENERATOR,
    ScheduleFormatError,
    add_session,
    event_notice,
    export_acronym,
    export_guid,
    export_slug,
    grouped_by_day,
    is_http_url,
    no_time_zone,
    numbered,
    parse_clock,
    parse_date,
    parse_datetime,
    summarise_identifiers,
    valid_zone,
)
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

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
ROOM_TYPES = frozenset(
    {"lecturehall", "stage", "workshop", "outside", "online", "project", "bbb", "hangar", "other"}
)


def _str(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = _str(value)
    return parse_whole_number(text)


def read_schedule_json(
    data: bytes | str, *, default_tz: str = "UTC"
) -> tuple[ScheduleData, list[str]]:
    """Read a ``schedule.json``; ``default_tz`` for times without an offset when
    the file names no valid time zone."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise ScheduleFormatError(
            Notice(gettext_noop("Not valid JSON: %(error)s"), error=str(error))
        ) from error
    if not isinstance(document, dict) or not isinstance(document.get("schedule"), dict):
        raise ScheduleFormatError(
            Notice(gettext_noop('No "schedule" object at the top of the file.'))
        )
    root = document["schedule"]
    conference = root.get("conference")
    if not isinstance(conference, dict):
        raise ScheduleFormatError(Notice(gettext_noop('No "conference" object in the schedule.')))

    warnings: list[str] = []
    if not _str(root.get("version")):
        warnings.append(Notice(gettext_noop('No "version".')))
    if not _str(conference.get("time_zone_name")):
        warnings.append(no_time_zone(default_tz))
    tz_name = valid_zone(_str(conference.get("time_zone_name")), default_tz, warnings)
    zone = ZoneInfo(tz_name)
    schedule = ScheduleData(
        title=_str(conference.get("title")),
        acronym=_str(conference.get("acronym")),
        start=parse_date(_str(conference.get("start"))),
        end=parse_date(_str(conference.get("end"))),
        time_zone=tz_name,
        version=_str(root.get("version")),
        url=_str(conference.get("url")),
        base_url=_str(root.get("base_url")),
        description=_str(conference.get("description")),
    )
    for track in conference.get("tracks") or []:
        if isinstance(track, dict) and _str(track.get("name")):
            schedule.tracks.append(
                TrackData(
                    name=_str(track["name"]),
                    color=_str(track.get("color")),
                    slug=_str(track.get("slug")),
                )
            )

    rooms: dict[str, RoomData] = {}
    room_list = conference.get("rooms")
    if room_list is None and isinstance(root.get("rooms"), list):
        warnings.append(
            Notice(
                gettext_noop('"rooms" is on the schedule instead of the conference; read anyway.')
            )
        )
        room_list = root["rooms"]
    for room in room_list or []:
        if not isinstance(room, dict) or not _str(room.get("name")):
            warnings.append(Notice(gettext_noop("A room without a name was skipped.")))
            continue
        description = room.get("description")
        if isinstance(description, dict):  # a translation object {"en": ..., "de": ...}
            description = description.get("en") or next(iter(description.values()), "")
        capacity = room.get("capacity")
        rooms[_str(room["name"])] = RoomData(
            name=_str(room["name"]),
            guid=_str(room.get("guid")),
            capacity=int(capacity) if isinstance(capacity, int | float) and capacity > 0 else None,
            kind=_str(room.get("type")),
            description=_str(description),
            url=_str(room.get("url")),
        )

    seen: set[str] = set()
    days = conference.get("days")
    if not isinstance(days, list):
        warnings.append(Notice(gettext_noop('No "days" list; no sessions read.')))
        days = []
    for position, day in enumerate(days, start=1):
        if not isinstance(day, dict):
            warnings.append(
                Notice(gettext_noop("Day %(day)d is not an object; skipped."), day=position)
            )
            continue
        day_date = parse_date(_str(day.get("date")))
        if day_date is None:
            warnings.append(
                Notice(
                    gettext_noop("Day %(day)d: no valid date; its sessions were skipped."),
                    day=position,
                )
            )
            rooms_of_day = day.get("rooms") if isinstance(day.get("rooms"), dict) else {}
            schedule.skipped_sessions += sum(
                len(events) for events in rooms_of_day.values() if isinstance(events, list)
            )
            continue
        index = _int(day.get("index")) or position
        schedule.days.append(
            DayData(
                index=index,
                date=day_date,
                start=parse_datetime(_str(day.get("day_start")), zone),
                end=parse_datetime(_str(day.get("day_end")), zone),
            )
        )
        day_rooms = day.get("rooms") or {}
        if not isinstance(day_rooms, dict):
            warnings.append(
                Notice(gettext_noop("Day %(day)d: rooms are not an object; skipped."), day=position)
            )
            continue
        for room_name, events in day_rooms.items():
            if room_name not in rooms:
                rooms[room_name] = RoomData(name=room_name)
            for event in events if isinstance(events, list) else []:
                session = _read_event(event, room_name, day_date, zone, schedule.acronym, warnings)
                add_session(schedule, session, seen, warnings)
    schedule.rooms = list(rooms.values())
    missing_guids = sum(
        1
        for day in days
        if isinstance(day, dict) and isinstance(day.get("rooms"), dict)
        for events in day["rooms"].values()
        if isinstance(events, list)
        for event in events
        if isinstance(event, dict) and not _str(event.get("guid"))
    )
    summarise_identifiers(schedule.sessions, missing_guids, warnings)
    return schedule, warnings


def _read_event(event, room_name, day_date, zone, acronym, warnings) -> SessionData | None:
    if not isinstance(event, dict):
        warnings.append(
            Notice(
                gettext_noop("An event in room “%(room)s” is not an object; skipped."),
                room=room_name,
            )
        )
        return None
    title = _str(event.get("title"))
    event_id = _str(event.get("id"))
    if not title:
        warnings.append(
            event_notice(gettext_noop("Event %(id)s: no title; skipped."), event_id, title)
        )
        return None
    if event_id and not isinstance(event.get("id"), int):
        warnings.append(
            event_notice(
                gettext_noop("Event %(id)s “%(title)s”: the id is not a number; read as text."),
                event_id,
                title,
            )
        )
    guid = _str(event.get("guid"))
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
        guid = derived_uuid("schedule.json", acronym, event_id)
    start = parse_datetime(_str(event.get("date")), zone)
    if start is None:
        clock = parse_clock(_str(event.get("start")))
        if clock is None:
            warnings.append(
                event_notice(
                    gettext_noop("Event %(id)s “%(title)s”: no valid start time; skipped."),
                    event_id,
                    title,
                )
            )
            return None
        start = datetime.combine(day_date, clock).replace(tzinfo=zone)
    end = parse_datetime(_str(event.get("end")), zone)
    duration = end - start if end else parse_duration(_str(event.get("duration")))
    if duration is None or duration <= timedelta(0):
        warnings.append(
            event_notice(
                gettext_noop("Event %(id)s “%(title)s”: invalid duration or end; skipped."),
                event_id,
                title,
            )
        )
        return None
    persons = []
    for person in event.get("persons") or []:
        if isinstance(person, str):
            person = {"name": person}
        if not isinstance(person, dict):
            continue
        name = _str(
            person.get("name") or person.get("public_name") or person.get("full_public_name")
        )
        if name:
            persons.append(
                PersonData(name=name, guid=_str(person.get("guid")), id=_int(person.get("id")))
            )
    links = []
    for link in event.get("links") or []:
        if isinstance(link, dict) and _str(link.get("url")):
            links.append(LinkData(url=_str(link["url"]), title=_str(link.get("title"))))
    return SessionData(
        guid=guid,
        title=title,
        start=start,
        duration=duration,
        room=_str(event.get("room")) or room_name,
        id=_int(event.get("id")),
        subtitle=_str(event.get("subtitle")),
        abstract=_str(event.get("abstract")),
        description=_str(event.get("description")),
        track=_str(event.get("track")),
        kind=_str(event.get("type")),
        language=_str(event.get("language")),
        persons=persons,
        links=links,
        url=_str(event.get("url")),
        slug=_str(event.get("slug")),
    )


# ---------------------------------------------------------------- writing


def _person(person: PersonData, acronym: str) -> dict:
    # The schema's Person is oneOf(frab person, pretalx person): with a name and
    # no id it is only a pretalx person, so exactly one matches.
    guid = person.guid if is_uuid(person.guid) else derived_uuid("person", acronym, person.name)
    return {"name": person.name, "guid": guid}


def write_schedule_json(schedule: ScheduleData, *, generator_version: str = "") -> str:
    """A ``schedule.json`` valid against the c3voc schema (draft 06)."""
    zone = ZoneInfo(schedule.time_zone or "UTC")
    acronym = export_acronym(schedule)
    days = grouped_by_day(schedule)
    ids = {id(session): number for number, session in numbered(schedule.sessions)}
    fallback_url = schedule.url if is_http_url(schedule.url) else schedule.base_url

    room_names = [room.name for room in schedule.rooms]
    for session in schedule.sessions:
        if session.room not in room_names:
            room_names.append(session.room)
    rooms_by_name = {room.name: room for room in schedule.rooms}
    rooms = []
    for name in room_names:
        room = rooms_by_name.get(name) or RoomData(name=name)
        entry = {
            "name": name,
            "guid": room.guid if is_uuid(room.guid) else derived_uuid("room", acronym, name),
        }
        slug = slugify(name, "-")
        if slug:
            entry["slug"] = slug
        if room.kind in ROOM_TYPES:
            entry["type"] = room.kind
        if room.capacity:
            entry["capacity"] = room.capacity
        if room.description:
            entry["description"] = room.description
        if is_http_url(room.url):
            entry["url"] = room.url
        rooms.append(entry)

    tracks = {t.name: t for t in schedule.tracks}
    for session in schedule.sessions:
        if session.track and session.track not in tracks:
            tracks[session.track] = TrackData(name=session.track)
    track_list = []
    for track in tracks.values():
        item = {"name": track.name}
        slug = slugify(track.name, "-")
        if slug:
            item["slug"] = slug
        if track.color:
            item["color"] = track.color
        track_list.append(item)

    day_list = []
    for day, sessions in days:
        by_room: dict[str, list] = {}
        for session in sessions:
            number = ids[id(session)]
            slug = export_slug(session, acronym, number)
            local = session.start.astimezone(zone)
            url = session.url if is_http_url(session.url) else ""
            if not url and fallback_url:
                url = f"{fallback_url.rstrip('#')}#{slug}"
            by_room.setdefault(session.room, []).append(
                {
                    "guid": export_guid(session, acronym),
                    "id": number,
                    "date": local.isoformat(),
                    "start": local.strftime("%H:%M"),
                    "duration": format_duration(session.duration),
                    "room": session.room,
                    "slug": slug,
                    "url": url or f"urn:uuid:{export_guid(session, acronym)}",
                    "title": session.title,
                    "subtitle": session.subtitle,
                    "track": session.track or None,
                    "type": session.kind or "other",
                    "language": session.language or None,
                    "abstract": session.abstract,
                    "description": session.description,
                    "persons": [_person(p, acronym) for p in session.persons],
                    "links": [
                        {"url": absolute_url(link.url), "title": link.title or link.url}
                        for link in session.links
                        if absolute_url(link.url)
                    ],
                }
            )
        day_list.append(
            {
                "index": day.index,
                "date": day.date.isoformat(),
                "day_start": day.start.astimezone(zone).isoformat(),
                "day_end": day.end.astimezone(zone).isoformat(),
                "rooms": by_room,
            }
        )

    conference = {
        "acronym": acronym,
        "title": schedule.title,
        "start": (
            schedule.start or (days[0][0].date if days else datetime.now(zone).date())
        ).isoformat(),
        "end": (
            schedule.end or (days[-1][0].date if days else datetime.now(zone).date())
        ).isoformat(),
        "daysCount": len(days),
        "timeslot_duration": "00:05",
        "time_zone_name": schedule.time_zone or "UTC",
        "rooms": rooms,
        "tracks": track_list,
        "days": day_list,
    }
    if schedule.description:
        conference["description"] = schedule.description
    if is_http_url(schedule.url):
        conference["url"] = schedule.url
    root = {
        "version": schedule.version or datetime.now(zone).strftime("%Y-%m-%d %H:%M"),
        "conference": conference,
    }
    if is_http_url(schedule.base_url):
        root["base_url"] = schedule.base_url
    document = {
        "$schema": SCHEMA_URL,
        "generator": {"name": GENERATOR, "version": generator_version}
        if generator_version
        else {"name": GENERATOR},
        "schedule": root,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
