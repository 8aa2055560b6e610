"""c3voc ``schedule.json``: the real files are read with warnings for what was
skipped; the writer's output validates against ``schema.json`` (draft 06) with
the formats checked, including date-time and uri, for which jsonschema needs
packages that are not installed, so the test adds its own checkers."""

import json
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from jsonschema import Draft6Validator, FormatChecker

from municipia.events.formats.detect import (
    FRAB_XML,
    SCHEDULE_JSON,
    detect_format,
    read_programme,
)
from municipia.events.formats.frab import ScheduleFormatError, read_frab, write_frab
from municipia.events.formats.model import PersonData, is_uuid, plain_text
from municipia.events.formats.schedule_json import read_schedule_json, write_schedule_json

from .test_formats_frab import SCHEDULES, needs_data, retreat

checker = FormatChecker()


@checker.checks("date-time", raises=ValueError)
def _date_time(value):
    if not isinstance(value, str):
        return True
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return "T" in value and moment.tzinfo is not None


@checker.checks("uri", raises=ValueError)
def _uri(value):
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("urn", "mailto"))


@checker.checks("color")
def _color(value):
    return not isinstance(value, str) or bool(value.startswith("#") and len(value) in (4, 7))


@pytest.fixture(scope="module")
def validator():
    if not SCHEDULES.is_dir():
        pytest.skip("shared data sets not present")
    schema = json.loads((SCHEDULES / "schema.json").read_text())
    return Draft6Validator(schema, format_checker=checker)


def errors(validator, text: str) -> list[str]:
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(json.loads(text))]


def test_written_schedule_validates_and_reads_back(validator):
    schedule = retreat()
    text = write_schedule_json(schedule)
    assert errors(validator, text) == []
    again, warnings = read_schedule_json(text)
    assert warnings == []
    assert [s.title for s in again.sessions] == [s.title for s in schedule.sessions]
    assert [s.start for s in again.sessions] == [s.start for s in schedule.sessions]
    assert [s.duration for s in again.sessions] == [s.duration for s in schedule.sessions]
    assert [p.name for p in again.sessions[0].persons] == ["Ana Pérez", "Jörg Müller"]
    assert again.sessions[0].abstract == "Welcome <by> the President; discussion, Q&A"
    assert again.time_zone == "Europe/Madrid"
    assert {r.name for r in again.rooms} == {"Room 3", "Barcelona City Hall"}
    assert next(r for r in again.rooms if r.name == "Room 3").capacity == 80
    assert all(is_uuid(s.guid) for s in again.sessions)


def test_the_validator_rejects_what_the_schema_forbids(validator):
    document = json.loads(write_schedule_json(retreat()))
    event = next(iter(document["schedule"]["conference"]["days"][0]["rooms"].values()))[0]
    event["guid"] = "not-a-uuid"
    event["date"] = "5 November"
    event["url"] = "no scheme"
    assert len(errors(validator, json.dumps(document))) == 3


def test_frab_and_json_exports_carry_the_same_guids():
    schedule = retreat()
    frab_guids = [s.guid for s in read_frab(write_frab(schedule))[0].sessions]
    json_guids = [s.guid for s in read_schedule_json(write_schedule_json(schedule))[0].sessions]
    assert frab_guids == json_guids


def test_sessions_without_url_get_the_programme_address(validator):
    schedule = retreat()
    document = json.loads(write_schedule_json(schedule))
    events = [
        e
        for day in document["schedule"]["conference"]["days"]
        for room in day["rooms"].values()
        for e in room
    ]
    assert all(e["url"].startswith(schedule.url + "#cemr_retreat_2024-") for e in events)
    schedule.url = ""
    text = write_schedule_json(schedule)
    assert errors(validator, text) == []
    assert '"url": "urn:uuid:' in text


def test_person_is_exactly_one_of_frab_or_pretalx(validator):
    schedule = retreat()
    schedule.sessions[0].persons = [PersonData(name="Ana", id=7, guid="x")]
    assert errors(validator, write_schedule_json(schedule)) == []


def test_end_wins_over_duration_and_string_ids_are_reported():
    text = json.dumps(
        {
            "schedule": {
                "version": "1",
                "conference": {
                    "title": "T",
                    "acronym": "t",
                    "time_zone_name": "Europe/Berlin",
                    "days": [
                        {
                            "index": 1,
                            "date": "2021-02-15",
                            "rooms": {
                                "Zoom": [
                                    {
                                        "id": "12",
                                        "guid": "2b5c0c44-6d4f-4b7e-9b4e-0f0c6a6d7e10",
                                        "title": "Plénière d'ouverture",
                                        "date": "2021-02-15T14:00:00+01:00",
                                        "end": "2021-02-15T15:30:00+01:00",
                                        "duration": "00:10",
                                        "persons": [
                                            {"public_name": "Emilia Saiz"},
                                            "Mohamed Boudra",
                                        ],
                                    },
                                    {"id": 13, "title": "No start", "duration": "00:30"},
                                    {
                                        "id": 14,
                                        "title": "Local",
                                        "start": "16:00",
                                        "duration": "1:00",
                                    },
                                    "garbage",
                                ]
                            },
                        },
                        {"index": 2, "date": "someday", "rooms": {}},
                    ],
                },
            }
        }
    )
    schedule, warnings = read_schedule_json(text)
    assert [s.title for s in schedule.sessions] == ["Plénière d'ouverture", "Local"]
    assert schedule.sessions[0].duration == timedelta(minutes=90)
    assert [p.name for p in schedule.sessions[0].persons] == ["Emilia Saiz", "Mohamed Boudra"]
    assert schedule.sessions[1].start == datetime(2021, 2, 15, 16, tzinfo=ZoneInfo("Europe/Berlin"))
    joined = "\n".join(warnings)
    assert "Event 12 “Plénière d'ouverture”: the id is not a number" in joined
    assert "Event 13 “No start”: no valid start time; skipped." in joined
    assert "An event in room “Zoom” is not an object; skipped." in joined
    assert "Day 2: no valid date; its sessions were skipped." in joined


@pytest.mark.parametrize("data", [b"{not json", b"[]", b'{"schedule": {}}', b'{"schedule": 3}'])
def test_unreadable_files_raise_a_format_error(data):
    with pytest.raises(ScheduleFormatError):
        read_schedule_json(data)


def test_format_is_detected_from_content():
    assert detect_format(b"\xef\xbb\xbf  <?xml version='1.0'?><schedule/>") == FRAB_XML
    assert detect_format(b'\n {"schedule": {}}') == SCHEDULE_JSON
    with pytest.raises(ScheduleFormatError):
        detect_format(b"BEGIN:VCALENDAR")
    kind, schedule, _ = read_programme(write_schedule_json(retreat()).encode())
    assert kind == SCHEDULE_JSON and len(schedule.sessions) == 3


def test_plain_text_turns_html_abstracts_into_text():
    assert plain_text("<p>Welcome to FOSDEM&nbsp;2019!</p><ul><li>one</li><li>two</li></ul>") == (
        "Welcome to FOSDEM\xa02019!\n\n- one\n\n- two"
    )
    assert plain_text("Ethics, Society &amp; Politics") == "Ethics, Society & Politics"
    assert plain_text("a < b and c > d") == "a < b and c > d"
    assert plain_text(None) == ""


@needs_data
@pytest.mark.parametrize(
    ("name", "sessions", "rooms", "days", "expected_warnings"),
    [
        ("frab-camp2019.json", 79, 2, 5, []),
        ("pretalx-rc3.json", 48, 5, 4, ["No time zone named"]),
        (
            "invalid-example.json",
            1,
            1,
            1,
            ['"rooms" is on the schedule instead of the conference', "the id is not a number"],
        ),
    ],
)
def test_real_files_are_read_with_what_was_skipped_reported(
    validator, name, sessions, rooms, days, expected_warnings
):
    data = (SCHEDULES / name).read_bytes()
    assert errors(validator, data.decode()), "the README says no real file validates"
    schedule, warnings = read_schedule_json(data, default_tz="Europe/Berlin")
    assert len(schedule.sessions) == sessions
    assert len(schedule.rooms) == rooms
    assert len(schedule.days) == days
    for expected in expected_warnings:
        assert any(expected in w for w in warnings), warnings
    assert all(s.start.tzinfo is not None for s in schedule.sessions)
    assert errors(validator, write_schedule_json(schedule)) == []


@needs_data
def test_camp_details_survive():
    schedule, _ = read_schedule_json((SCHEDULES / "frab-camp2019.json").read_bytes())
    opening = next(s for s in schedule.sessions if s.title == "Opening Ceremony")
    assert opening.start.isoformat() == "2019-08-21T11:00:00+02:00"
    assert opening.duration == timedelta(minutes=30)
    assert [p.name for p in opening.persons] == ["jinxx", "smtw"]
    assert opening.room == "Curie"
    assert schedule.start == date(2019, 8, 21)


@needs_data
@pytest.mark.parametrize("name", ["31c3-schedule.xml", "fosdem-2019-schedule.xml"])
def test_xml_files_convert_to_valid_json(validator, name):
    kind, schedule, _ = read_programme(
        (SCHEDULES / name).read_bytes(), default_tz="Europe/Brussels"
    )
    assert kind == FRAB_XML
    assert errors(validator, write_schedule_json(schedule)) == []
