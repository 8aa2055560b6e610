"""The iCalendar writer, checked by parsing its output back with a small strict
RFC 5545 reader (no calendar package): line endings and lengths, folding, TEXT
escaping, required properties, and times resolved through the written VTIMEZONE
back to the same instants, across daylight-saving changes."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from municipia.events.formats.ical import (
    CalendarEntry,
    escape_text,
    fold_line,
    render_calendar,
    render_vtimezone,
)

MADRID = ZoneInfo("Europe/Madrid")
STAMP = datetime(2024, 10, 1, 8, 0, tzinfo=UTC)

# ---------------------------------------------------------------- strict reader

NAME = re.compile(r"^[A-Za-z0-9-]+$")


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n"), "the calendar must end with CRLF"
    raw = text.split("\r\n")[:-1]
    for line in raw:
        assert "\n" not in line and "\r" not in line, f"bare line break in {line!r}"
        assert len(line.encode("utf-8")) <= 75, f"line longer than 75 octets: {line!r}"
    lines: list[str] = []
    for line in raw:
        if line.startswith((" ", "\t")):
            assert lines, "continuation line at the start"
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def split_content_line(line: str) -> tuple[str, dict[str, str], str]:
    """name *(";" param) ":" value, with quoted parameter values."""
    match = re.match(r'^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*))*):(.*)$', line)
    assert match, f"not a content line: {line!r}"
    name, params_text, value = match.groups()
    params = {
        key.upper(): val.strip('"')
        for key, val in re.findall(r';([A-Za-z0-9-]+)=("[^"]*"|[^";:,]*)', params_text)
    }
    return name.upper(), params, value


def unescape_text(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        char = value[i]
        if char == "\\":
            following = value[i + 1]
            assert following in "\\;,nN", f"bad escape \\{following}"
            out.append("\n" if following in "nN" else following)
            i += 2
            continue
        assert char not in ";,", f"unescaped {char!r} in TEXT {value!r}"
        out.append(char)
        i += 1
    return "".join(out)


def split_list(value: str) -> list[str]:
    parts, current, i = [], "", 0
    while i < len(value):
        if value[i] == "\\":
            current += value[i : i + 2]
            i += 2
            continue
        if value[i] == ",":
            parts.append(current)
            current = ""
        else:
            current += value[i]
        i += 1
    return [*parts, current]


def parse(text: str) -> dict:
    """A component tree: {"name", "props": [(name, params, value)], "children"}."""
    root = {"name": None, "props": [], "children": []}
    stack = [root]
    for line in unfold(text):
        name, params, value = split_content_line(line)
        if name == "BEGIN":
            component = {"name": value, "props": [], "children": []}
            stack[-1]["children"].append(component)
            stack.append(component)
        elif name == "END":
            assert stack[-1]["name"] == value, f"END:{value} closes {stack[-1]['name']}"
            stack.pop()
        else:
            stack[-1]["props"].append((name, params, value))
    assert len(stack) == 1, "unclosed component"
    assert [c["name"] for c in root["children"]] == ["VCALENDAR"]
    return root["children"][0]


def prop(component, name):
    found = [p for p in component["props"] if p[0] == name]
    assert len(found) <= 1, f"{name} appears twice"
    return found[0] if found else None


def parse_offset(value: str) -> timedelta:
    match = re.fullmatch(r"([+-])(\d\d)(\d\d)(\d\d)?", value)
    assert match, value
    sign = -1 if match[1] == "-" else 1
    return sign * timedelta(hours=int(match[2]), minutes=int(match[3]), seconds=int(match[4] or 0))


def resolve(value: str, params: dict, timezones: dict) -> datetime:
    """The UTC instant of a DATE-TIME value, through the calendar's own VTIMEZONE."""
    if value.endswith("Z"):
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert "TZID" in params, f"floating time {value}"
    local = datetime.strptime(value, "%Y%m%dT%H%M%S")
    observances = timezones[params["TZID"]]
    applicable = [o for o in observances if o["onset_local"] <= local]
    assert applicable, f"{value} precedes every observance of {params['TZID']}"
    return (local - applicable[-1]["offset_to"]).replace(tzinfo=UTC)


def read_timezones(calendar) -> dict:
    zones = {}
    for component in calendar["children"]:
        if component["name"] != "VTIMEZONE":
            continue
        tzid = prop(component, "TZID")[2]
        observances = []
        for sub in component["children"]:
            assert sub["name"] in ("STANDARD", "DAYLIGHT")
            for required in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO"):
                assert prop(sub, required), f"{required} missing in {sub['name']}"
            observances.append(
                {
                    "kind": sub["name"],
                    "onset_local": datetime.strptime(prop(sub, "DTSTART")[2], "%Y%m%dT%H%M%S"),
                    "offset_from": parse_offset(prop(sub, "TZOFFSETFROM")[2]),
                    "offset_to": parse_offset(prop(sub, "TZOFFSETTO")[2]),
                }
            )
        observances.sort(key=lambda o: o["onset_local"])
        zones[tzid] = observances
    return zones


def read_events(text: str) -> list[dict]:
    calendar = parse(text)
    assert prop(calendar, "VERSION")[2] == "2.0"
    assert prop(calendar, "PRODID")
    timezones = read_timezones(calendar)
    events = []
    for component in calendar["children"]:
        if component["name"] != "VEVENT":
            continue
        for required in ("UID", "DTSTAMP", "DTSTART"):
            assert prop(component, required), f"{required} missing"
        assert re.fullmatch(r"\d{8}T\d{6}Z", prop(component, "DTSTAMP")[2])
        event = {"props": {p[0]: p for p in component["props"]}}
        for key in ("DTSTART", "DTEND"):
            _, params, value = prop(component, key)
            if params.get("VALUE") == "DATE":
                event[key] = datetime.strptime(value, "%Y%m%d").date()
            else:
                event[key] = resolve(value, params, timezones)
                if "TZID" in params:
                    assert params["TZID"] in timezones, "TZID without a VTIMEZONE"
        for key in ("SUMMARY", "DESCRIPTION", "LOCATION", "UID"):
            if prop(component, key):
                event[key] = unescape_text(prop(component, key)[2])
        if prop(component, "CATEGORIES"):
            event["CATEGORIES"] = [
                unescape_text(v) for v in split_list(prop(component, "CATEGORIES")[2])
            ]
        events.append(event)
    return events


# ---------------------------------------------------------------- tests

MULTILINGUAL = (
    "Réception des maires; ouverte aux maires, sur invitation\n"
    "Empfang für Bürgermeisterinnen – Ελληνικά καλωσόρισμα – Приём мэров – "
    "市长招待会 🏛️ back\\slash"
)


def entry(**overrides):
    values = {
        "uid": "session-1@municipia.test",
        "summary": "Opening plenary",
        "start": datetime(2024, 11, 5, 9, 0, tzinfo=MADRID),
        "end": datetime(2024, 11, 5, 10, 30, tzinfo=MADRID),
        "tz_name": "Europe/Madrid",
    }
    values.update(overrides)
    return CalendarEntry(**values)


def test_escape_text_escapes_the_four_specials():
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


@pytest.mark.parametrize("text", ["x" * 200, "é" * 100, "市" * 80, "🏛️" * 40, MULTILINGUAL])
def test_folding_never_exceeds_75_octets_nor_splits_a_character(text):
    folded = fold_line("DESCRIPTION:" + text)
    pieces = folded.split("\r\n")
    for piece in pieces:
        assert len(piece.encode("utf-8")) <= 75
        piece.encode("utf-8").decode("utf-8")  # whole characters only
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == "DESCRIPTION:" + text
    assert all(p.startswith(" ") for p in pieces[1:])


def test_short_lines_are_not_folded():
    assert fold_line("SUMMARY:Opening") == "SUMMARY:Opening"
    exactly = "X" * 75
    assert fold_line(exactly) == exactly


def test_multilingual_text_survives_a_round_trip():
    text = render_calendar(
        [
            entry(
                summary=MULTILINGUAL,
                description=MULTILINGUAL * 3,
                location="Fira Barcelona Gran Via, Hall 8; Room 3",
                categories=["Démocratie, inclusion", "Plenary"],
            )
        ],
        name="CEMR Strategic Retreat, Barcelona",
        dtstamp=STAMP,
    )
    (event,) = read_events(text)
    assert event["SUMMARY"] == MULTILINGUAL.replace("\r\n", "\n")
    assert event["DESCRIPTION"] == MULTILINGUAL * 3
    assert event["LOCATION"] == "Fira Barcelona Gran Via, Hall 8; Room 3"
    assert event["CATEGORIES"] == ["Démocratie, inclusion", "Plenary"]
    calendar = parse(text)
    assert unescape_text(prop(calendar, "X-WR-CALNAME")[2]) == "CEMR Strategic Retreat, Barcelona"


def test_every_line_ends_with_crlf():
    text = render_calendar([entry()], name="x", dtstamp=STAMP)
    assert text.count("\n") == text.count("\r\n")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")


def test_local_times_with_a_vtimezone_resolve_to_the_same_instants():
    text = render_calendar([entry()], name="Retreat", dtstamp=STAMP, tz_name="Europe/Madrid")
    assert "DTSTART;TZID=Europe/Madrid:20241105T090000" in text
    assert "X-WR-TIMEZONE:Europe/Madrid" in text
    (event,) = read_events(text)
    assert event["DTSTART"] == datetime(2024, 11, 5, 8, 0, tzinfo=UTC)
    assert event["DTEND"] == datetime(2024, 11, 5, 9, 30, tzinfo=UTC)
    assert prop(parse(text)["children"][1], "DTSTAMP")[2] == "20241001T080000Z"


def test_times_around_daylight_saving_changes_resolve_correctly():
    # One hour after the other, through both 2024 changes in Madrid and in New York.
    entries = []
    for zone_name, days in (
        ("Europe/Madrid", ["2024-03-30", "2024-03-31", "2024-10-26", "2024-10-27", "2025-01-01"]),
        ("America/New_York", ["2024-03-10", "2024-11-03"]),
        ("Australia/Lord_Howe", ["2024-04-07", "2024-10-06"]),  # half-hour DST
        ("Asia/Kolkata", ["2024-06-01"]),  # no DST at all
    ):
        zone = ZoneInfo(zone_name)
        for day in days:
            start_utc = datetime.fromisoformat(day).replace(tzinfo=zone).astimezone(UTC)
            for hour in range(0, 24, 1):
                start = start_utc + timedelta(hours=hour)
                entries.append(
                    entry(
                        uid=f"{zone_name}-{day}-{hour}",
                        start=start,
                        end=start + timedelta(minutes=45),
                        tz_name=zone_name,
                    )
                )
    text = render_calendar(entries, name="DST", dtstamp=STAMP)
    events = read_events(text)
    assert len(events) == len(entries)
    for written, read in zip(entries, events, strict=True):
        assert read["UID"] == written.uid
        # The hour repeated when clocks go back is written in UTC (a local time
        # would mean its first pass), so every instant reads back exactly.
        assert read["DTSTART"] == written.start, written.uid
        assert read["DTEND"] == written.end, written.uid


def test_vtimezone_lists_each_transition_of_the_years_used():
    lines = render_vtimezone("Europe/Madrid", 2024, 2024)
    assert lines[0] == "BEGIN:VTIMEZONE" and lines[-1] == "END:VTIMEZONE"
    onsets = [line for line in lines if line.startswith("DTSTART:")]
    assert "DTSTART:20240331T020000" in onsets  # 02:00 CET becomes 03:00 CEST
    assert "DTSTART:20241027T030000" in onsets  # 03:00 CEST becomes 02:00 CET
    assert lines.count("BEGIN:DAYLIGHT") == 1


def test_zone_without_changes_has_one_observance():
    lines = render_vtimezone("Asia/Kolkata", 2021, 2021)
    assert lines.count("BEGIN:STANDARD") == 1
    assert "TZOFFSETTO:+0530" in lines


def test_utc_times_are_written_with_z_and_need_no_vtimezone():
    text = render_calendar([entry(tz_name="UTC")], name="x", dtstamp=STAMP)
    assert "DTSTART:20241105T080000Z" in text
    assert "VTIMEZONE" not in text
    (event,) = read_events(text)
    assert event["DTSTART"] == datetime(2024, 11, 5, 8, 0, tzinfo=UTC)


def test_all_day_entries_use_date_values():
    text = render_calendar(
        [entry(start=date(2021, 2, 15), end=date(2021, 2, 23), tz_name="UTC")],
        name="Seminar",
        dtstamp=STAMP,
    )
    (event,) = read_events(text)
    assert event["DTSTART"] == date(2021, 2, 15)
    assert event["DTEND"] == date(2021, 2, 23)


def test_status_sequence_method_and_last_modified():
    text = render_calendar(
        [
            entry(
                status="cancelled",
                sequence=3,
                last_modified=datetime(2024, 10, 2, 10, 0, tzinfo=MADRID),
                url="https://example.org/events/retreat/#s1",
            )
        ],
        name="x",
        method="request",
        dtstamp=STAMP,
    )
    (event,) = read_events(text)
    assert event["props"]["STATUS"][2] == "CANCELLED"
    assert event["props"]["SEQUENCE"][2] == "3"
    assert event["props"]["LAST-MODIFIED"][2] == "20241002T080000Z"
    assert event["props"]["URL"][2] == "https://example.org/events/retreat/#s1"
    assert "METHOD:REQUEST" in text


def test_several_zones_each_get_a_vtimezone():
    text = render_calendar(
        [
            entry(uid="a"),
            entry(
                uid="b",
                start=datetime(2021, 2, 15, 14, tzinfo=UTC),
                end=datetime(2021, 2, 15, 16, tzinfo=UTC),
                tz_name="America/Mexico_City",
            ),
        ],
        name="x",
        dtstamp=STAMP,
    )
    calendar = parse(text)
    assert sorted(read_timezones(calendar)) == ["America/Mexico_City", "Europe/Madrid"]
    events = read_events(text)
    assert events[1]["DTSTART"] == datetime(2021, 2, 15, 14, tzinfo=UTC)


def test_calendar_default_zone_applies_to_utc_entries():
    text = render_calendar([entry(tz_name="UTC")], name="x", tz_name="Europe/Madrid", dtstamp=STAMP)
    assert "DTSTART;TZID=Europe/Madrid:20241105T090000" in text


@pytest.mark.parametrize(
    "overrides",
    [
        {"start": datetime(2024, 11, 5, 9), "end": datetime(2024, 11, 5, 10)},  # naive
        {"end": datetime(2024, 11, 5, 8, tzinfo=MADRID)},  # before the start
        {"status": "MAYBE"},
        {"start": date(2024, 11, 5)},  # a date and a date-time
    ],
)
def test_bad_entries_are_refused(overrides):
    with pytest.raises(ValueError):
        render_calendar([entry(**overrides)], name="x", dtstamp=STAMP)


def test_unknown_zone_is_refused():
    with pytest.raises(Exception):  # noqa: B017 zoneinfo raises ZoneInfoNotFoundError (a KeyError)
        render_calendar([entry()], name="x", tz_name="Europe/Atlantis")


def test_control_characters_are_dropped():
    text = render_calendar([entry(summary="Bell\x07 and tab\t")], name="x", dtstamp=STAMP)
    (event,) = read_events(text)
    assert event["SUMMARY"] == "Bell and tab\t"


def test_empty_calendar_is_valid():
    calendar = parse(render_calendar([], name="Nothing yet", dtstamp=STAMP))
    assert calendar["children"] == []


def test_organizer_with_a_common_name_that_needs_quoting():
    text = render_calendar(
        [
            entry(
                organizer_name='Revault, Martin "CEMR"',
                organizer_email="martin.revault@ccre-cemr.org",
            )
        ],
        name="x",
        dtstamp=STAMP,
    )
    (event,) = read_events(text)
    _name, params, value = event["props"]["ORGANIZER"]
    assert params["CN"] == "Revault, Martin CEMR"
    assert value == "mailto:martin.revault@ccre-cemr.org"
    assert 'ORGANIZER;CN="Revault, Martin CEMR":mailto:' in text.replace("\r\n ", "")


def test_refresh_interval_for_subscribed_feeds():
    text = render_calendar([], name="x", dtstamp=STAMP, refresh=timedelta(hours=1, minutes=30))
    calendar = parse(text)
    assert prop(calendar, "REFRESH-INTERVAL")[1] == {"VALUE": "DURATION"}
    assert prop(calendar, "REFRESH-INTERVAL")[2] == "PT1H30M"
    assert prop(calendar, "X-PUBLISHED-TTL")[2] == "PT1H30M"
    day = render_calendar([], name="x", dtstamp=STAMP, refresh=timedelta(days=1))
    assert "REFRESH-INTERVAL;VALUE=DURATION:P1D\r\n" in day
