"""frab ``schedule.xml``: every real file in ``shared/data/schedules`` is read
(what was skipped is reported), and what the writer produces validates against
the c3voc XSD.

Neither ``xmlschema`` nor ``lxml`` is installed, so the XSD is applied by the
small validator below, which interprets the constructs this XSD uses (sequence,
choice, all, occurrence bounds, attributes and their use, simple types with
patterns and unions, simpleContent extensions, unique constraints). It is shown
to reject the real files that the README says do not validate.
"""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from municipia.events.formats.frab import ScheduleFormatError, read_frab, write_frab
from municipia.events.formats.model import (
    DayData,
    PersonData,
    RoomData,
    ScheduleData,
    SessionData,
    is_uuid,
)

SCHEDULES = Path(__file__).resolve().parents[4] / "shared" / "data" / "schedules"
XS = "{http://www.w3.org/2001/XMLSchema}"
needs_data = pytest.mark.skipif(not SCHEDULES.is_dir(), reason="shared data sets not present")


# ---------------------------------------------------------------- XSD subset


class XsdSubset:
    def __init__(self, path: Path):
        self.schema = ET.parse(path).getroot()  # noqa: S314 the project's own schema file
        self.complex = {t.get("name"): t for t in self.schema.findall(f"{XS}complexType")}
        self.simple = {t.get("name"): t for t in self.schema.findall(f"{XS}simpleType")}
        self.elements = {e.get("name"): e for e in self.schema.findall(f"{XS}element")}

    def errors(self, document: str) -> list[str]:
        root = ET.fromstring(document)  # noqa: S314 files written by the tests or shipped data
        errors: list[str] = []
        declaration = self.elements.get(root.tag)
        if declaration is None:
            return [f"unknown root element {root.tag}"]
        self._element(root, declaration, root.tag, errors)
        return errors

    # simple values

    def _builtin(self, name: str, value: str) -> bool:
        if name == "xs:string":
            return True
        if name == "xs:integer":
            return bool(re.fullmatch(r"[+-]?\d+", value.strip()))
        if name == "xs:positiveInteger":
            return bool(re.fullmatch(r"\+?\d+", value.strip())) and int(value) > 0
        if name == "xs:boolean":
            return value.strip() in ("true", "false", "1", "0")
        if name == "xs:date":
            if not re.fullmatch(r"\d{4}-\d\d-\d\d(Z|[+-]\d\d:\d\d)?", value.strip()):
                return False
            return _parses(date.fromisoformat, value.strip()[:10])
        if name == "xs:dateTime":
            pattern = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"
            if not re.fullmatch(pattern, value.strip()):
                return False
            return _parses(datetime.fromisoformat, value.strip().replace("Z", "+00:00"))
        if name == "xs:anyURI":
            return not re.search(r"\s", value.strip())
        raise AssertionError(f"built-in type {name} not supported by this checker")

    def simple_ok(self, type_name: str | None, node: ET.Element | None, value: str) -> bool:
        if type_name and type_name.startswith("xs:"):
            return self._builtin(type_name, value)
        if node is None:
            node = self.simple[type_name]
        union = node.find(f"{XS}union")
        if union is not None:
            return any(self.simple_ok(m, None, value) for m in union.get("memberTypes").split())
        restriction = node.find(f"{XS}restriction")
        if not self.simple_ok(restriction.get("base"), None, value):
            return False
        patterns = [p.get("value") for p in restriction.findall(f"{XS}pattern")]
        return not patterns or any(re.fullmatch(p, value) for p in patterns)

    # elements

    def _type_of(self, declaration: ET.Element):
        type_name = declaration.get("type")
        if type_name:
            if type_name.startswith("xs:") or type_name in self.simple:
                return "simple", type_name, None
            return "complex", type_name, self.complex[type_name]
        inline = declaration.find(f"{XS}complexType")
        if inline is not None:
            return "complex", None, inline
        inline = declaration.find(f"{XS}simpleType")
        return "simple", None, inline

    def _element(self, element, declaration, path, errors):
        kind, type_name, node = self._type_of(declaration)
        if kind == "simple":
            if len(element) or element.attrib:
                errors.append(f"{path}: simple element with children or attributes")
            if not self.simple_ok(type_name, node, element.text or ""):
                errors.append(f"{path}: {element.text!r} is not a valid {type_name}")
        else:
            self._complex(element, node, path, errors)
        for unique in declaration.findall(f"{XS}unique"):
            selector = unique.find(f"{XS}selector").get("xpath")
            field = unique.find(f"{XS}field").get("xpath")
            seen = set()
            for selected in element.findall(selector):
                value = selected.get(field[1:]) if field.startswith("@") else (selected.text or "")
                if value is None:
                    continue
                if value in seen:
                    errors.append(f"{path}: duplicate {field} {value!r} ({unique.get('name')})")
                seen.add(value)

    def _attributes(self, element, declarations, any_attribute, path, errors):
        declared = {a.get("name"): a for a in declarations}
        for name, value in element.attrib.items():
            if name not in declared:
                if not any_attribute:
                    errors.append(f"{path}: undeclared attribute {name}")
                continue
            attribute = declared[name]
            if not self.simple_ok(attribute.get("type"), attribute.find(f"{XS}simpleType"), value):
                errors.append(f"{path}/@{name}: {value!r} is not a valid {attribute.get('type')}")
        for name, attribute in declared.items():
            if attribute.get("use") == "required" and name not in element.attrib:
                errors.append(f"{path}: required attribute {name} missing")

    def _complex(self, element, node, path, errors):
        simple_content = node.find(f"{XS}simpleContent")
        if simple_content is not None:
            extension = simple_content.find(f"{XS}extension")
            if len(element):
                errors.append(f"{path}: element children in simple content")
            if not self.simple_ok(extension.get("base"), None, element.text or ""):
                errors.append(f"{path}: invalid text {element.text!r}")
            self._attributes(
                element,
                extension.findall(f"{XS}attribute"),
                extension.find(f"{XS}anyAttribute") is not None,
                path,
                errors,
            )
            return
        self._attributes(
            element,
            node.findall(f"{XS}attribute"),
            node.find(f"{XS}anyAttribute") is not None,
            path,
            errors,
        )
        if (element.text or "").strip():
            errors.append(f"{path}: text in element-only content")
        children = list(element)
        group = next((c for c in node if c.tag in (f"{XS}sequence", f"{XS}all")), None)
        if group is None:
            if children:
                errors.append(f"{path}: children in an empty element")
            return
        if group.tag == f"{XS}all":
            declared = {e.get("name"): e for e in group.findall(f"{XS}element")}
            counts: dict[str, int] = {}
            for child in children:
                if child.tag not in declared:
                    errors.append(f"{path}: unexpected <{child.tag}>")
                    continue
                counts[child.tag] = counts.get(child.tag, 0) + 1
                self._element(child, declared[child.tag], f"{path}/{child.tag}", errors)
            for name, declaration in declared.items():
                count = counts.get(name, 0)
                if count < int(declaration.get("minOccurs", "1")):
                    errors.append(f"{path}: <{name}> missing")
                if count > 1:
                    errors.append(f"{path}: <{name}> more than once")
            return
        position = self._particle(group, children, 0, path, errors)
        for child in children[position:]:
            errors.append(f"{path}: unexpected <{child.tag}>")

    def _occurs(self, particle):
        low = int(particle.get("minOccurs", "1"))
        high = particle.get("maxOccurs", "1")
        return low, (10**9 if high == "unbounded" else int(high))

    def _particle(self, particle, children, position, path, errors) -> int:
        low, high = self._occurs(particle)
        if particle.tag == f"{XS}element":
            name, count = particle.get("name"), 0
            while position < len(children) and children[position].tag == name and count < high:
                self._element(children[position], particle, f"{path}/{name}", errors)
                position += 1
                count += 1
            if count < low:
                errors.append(f"{path}: <{name}> expected {low} time(s), found {count}")
            return position
        if particle.tag == f"{XS}sequence":
            for item in particle:
                if item.tag in (f"{XS}element", f"{XS}choice", f"{XS}sequence"):
                    position = self._particle(item, children, position, path, errors)
            return position
        if particle.tag == f"{XS}choice":
            options = {e.get("name"): e for e in particle.findall(f"{XS}element")}
            rounds = 0
            while position < len(children) and children[position].tag in options and rounds < high:
                child = children[position]
                self._element(child, options[child.tag], f"{path}/{child.tag}", errors)
                position += 1
                rounds += 1
            if rounds < low:
                errors.append(f"{path}: choice expected at least {low} time(s)")
            return position
        raise AssertionError(f"particle {particle.tag} not supported")


def _parses(function, value) -> bool:
    try:
        function(value)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def xsd():
    return XsdSubset(SCHEDULES / "schedule.xml.xsd")


# ---------------------------------------------------------------- sample

MADRID = ZoneInfo("Europe/Madrid")


def retreat() -> ScheduleData:
    start = datetime(2024, 11, 5, 9, 0, tzinfo=MADRID)
    return ScheduleData(
        title="CEMR Strategic Retreat",
        acronym="cemr-retreat-2024",
        start=date(2024, 11, 5),
        end=date(2024, 11, 7),
        time_zone="Europe/Madrid",
        url="https://municipia.example/en/events/cemr-retreat-2024/",
        days=[DayData(index=1, date=date(2024, 11, 5), theme="Democracy")],
        rooms=[RoomData(name="Room 3", capacity=80)],
        sessions=[
            SessionData(
                guid="42",
                title="Opening: how to tackle extremism & build trust?",
                start=start,
                duration=timedelta(minutes=90),
                room="Room 3",
                track="Democracy",
                kind="plenary",
                language="en",
                abstract="Welcome <by> the President; discussion, Q&A",
                persons=[
                    PersonData(name="Ana Pérez", role="moderator"),
                    PersonData(name="Jörg Müller"),
                ],
            ),
            SessionData(
                guid="reception",
                title="Réception (tbc)",
                start=start + timedelta(hours=10),
                duration=timedelta(hours=2),
                room="Barcelona City Hall",
                kind="reception",
            ),
            # After midnight, the night after the second day: goes to that day.
            SessionData(
                guid="late",
                title="Late networking",
                start=datetime(2024, 11, 7, 0, 30, tzinfo=MADRID),
                duration=timedelta(minutes=30),
                room="Room 3",
            ),
        ],
    )


# ---------------------------------------------------------------- tests


def test_the_validator_rejects_what_the_schema_forbids(xsd):
    good = write_frab(retreat())
    assert xsd.errors(good) == []
    assert xsd.errors(good.replace("<version>", "<versio>").replace("</version>", "</versio>"))
    assert xsd.errors(re.sub(r'guid="[0-9a-f-]{36}"', 'guid="not-a-uuid"', good, count=1))
    assert xsd.errors(good.replace("<duration>01:30</duration>", "<duration>90 min</duration>"))
    assert xsd.errors(good.replace("<title>Opening", "<titel>x</titel><title>Opening"))
    duplicate = re.search(r'id="(\d+)"', good)[0]
    assert xsd.errors(re.sub(r'id="\d+"', duplicate, good))


def test_written_schedule_validates_and_reads_back(xsd):
    schedule = retreat()
    text = write_frab(schedule)
    assert xsd.errors(text) == []
    again, warnings = read_frab(text)
    assert warnings == []
    assert [s.title for s in again.sessions] == [s.title for s in schedule.sessions]
    assert [s.start for s in again.sessions] == [s.start for s in schedule.sessions]
    assert again.sessions[0].abstract == "Welcome <by> the President; discussion, Q&A"
    assert [p.name for p in again.sessions[0].persons] == ["Ana Pérez", "Jörg Müller"]
    assert again.time_zone == "Europe/Madrid"
    # Three dates: the late session is on 7 November in local time.
    assert [d.date for d in again.days] == [date(2024, 11, 5), date(2024, 11, 7)]
    assert all(is_uuid(s.guid) for s in again.sessions)


def test_writing_is_deterministic_for_guids_and_ids():
    first = write_frab(retreat())
    second = write_frab(retreat())
    strip = re.compile(r"<version>.*</version>")
    assert strip.sub("", first) == strip.sub("", second)


def test_acronym_and_slugs_follow_the_schema_patterns(xsd):
    schedule = retreat()
    schedule.acronym = "ÉVÉ"  # too short and accented
    schedule.sessions[0].title = "¿?"
    text = write_frab(schedule)
    assert xsd.errors(text) == []
    assert "<acronym>eve_programme</acronym>" in text


def test_empty_programme_is_still_valid(xsd):
    schedule = retreat()
    schedule.sessions = []
    assert xsd.errors(write_frab(schedule)) == []


def test_times_without_offset_use_the_given_zone():
    text = """<schedule><conference><title>T</title></conference>
      <day index="1" date="2024-03-31"><room name="A">
        <event id="1"><title>Before the change</title><start>01:30</start>
          <duration>01:00</duration><room>A</room></event>
        <event id="2"><title>After the change</title><start>03:30</start>
          <duration>1:00:00</duration><room>A</room></event>
      </room></day></schedule>"""
    schedule, warnings = read_frab(text, default_tz="Europe/Madrid")
    assert [s.start.isoformat() for s in schedule.sessions] == [
        "2024-03-31T01:30:00+01:00",
        "2024-03-31T03:30:00+02:00",
    ]
    assert "2 event(s) without a guid: identified by their id instead." in warnings
    # Re-reading gives the same derived guids: re-imports stay idempotent.
    assert [s.guid for s in read_frab(text)[0].sessions] == [s.guid for s in schedule.sessions]


def test_a_namespaced_schedule_is_read():
    text = """<s:schedule xmlns:s="https://c3voc.de/schedule"><s:conference><s:title>T</s:title>
      </s:conference><s:day index="1" date="2024-12-27"><s:room name="A">
        <s:event id="1" guid="g1"><s:title>Talk</s:title><s:start>10:00</s:start>
          <s:duration>00:30</s:duration></s:event></s:room></s:day></s:schedule>"""
    schedule, _ = read_frab(text)
    assert [(s.title, s.room) for s in schedule.sessions] == [("Talk", "A")]


def test_day_change_puts_small_hours_on_the_next_date():
    text = """<schedule><conference><title>T</title><day_change>06:00</day_change>
      <time_zone_name>Europe/Berlin</time_zone_name></conference>
      <day index="1" date="2024-12-27"><room name="A">
        <event id="1" guid="g1"><title>Night talk</title><start>01:00</start>
          <duration>00:30</duration></event>
      </room></day></schedule>"""
    schedule, _ = read_frab(text)
    assert schedule.sessions[0].start == datetime(
        2024, 12, 28, 1, 0, tzinfo=ZoneInfo("Europe/Berlin")
    )
    assert schedule.sessions[0].room == "A"


def test_broken_events_are_skipped_with_a_warning_each():
    text = """<schedule><conference><title>T</title>
      <time_zone_name>Mars/Olympus</time_zone_name></conference>
      <day index="1" date="2024-12-27"><room name="A">
        <event id="1" guid="g1"><start>10:00</start><duration>00:30</duration></event>
        <event id="2" guid="g2"><title>No time</title><duration>00:30</duration></event>
        <event id="3" guid="g3"><title>Bad length</title><start>10:00</start>
          <duration>half an hour</duration></event>
        <event id="4" guid="g4"><title>Good</title><start>10:00</start>
          <duration>00:30</duration></event>
        <event id="5" guid="g4"><title>Twice</title><start>11:00</start>
          <duration>00:30</duration></event>
      </room></day>
      <day index="2"><room name="A"/></day></schedule>"""
    schedule, warnings = read_frab(text, default_tz="Europe/Madrid")
    assert [s.title for s in schedule.sessions] == ["Good"]
    joined = "\n".join(warnings)
    for expected in (
        "Unknown time zone “Mars/Olympus”; using Europe/Madrid.",
        "Event 1: no title; skipped.",
        "Event 2 “No time”: no valid start time; skipped.",
        "Event 3 “Bad length”: invalid duration “half an hour”; skipped.",
        "Event g4 “Twice” appears twice; the second was skipped.",
        "Day 2: no valid date; its sessions were skipped.",
    ):
        assert expected in joined


@pytest.mark.parametrize(
    "data",
    [
        b"not xml at all <",
        b"<programme/>",
        b'<!DOCTYPE schedule [<!ENTITY a "aaaa">]><schedule>&a;</schedule>',
        b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><schedule/>',
    ],
)
def test_unreadable_files_raise_a_format_error(data):
    with pytest.raises(ScheduleFormatError):
        read_frab(data)


@needs_data
@pytest.mark.parametrize(
    ("name", "sessions", "rooms", "days", "expected_warning"),
    [
        ("31c3-schedule.xml", 138, 4, 4, "event guid(s) are not UUIDs"),
        ("fosdem-2019-schedule.xml", 775, 34, 2, "775 event(s) without a guid"),
    ],
)
def test_real_files_are_read_with_what_was_skipped_reported(
    xsd, name, sessions, rooms, days, expected_warning
):
    data = (SCHEDULES / name).read_bytes()
    assert xsd.errors(data.decode("utf-8")), "the README says no real file validates"
    schedule, warnings = read_frab(data, default_tz="Europe/Brussels")
    assert len(schedule.sessions) == sessions
    assert len(schedule.rooms) == rooms
    assert len(schedule.days) == days
    assert any(expected_warning in w for w in warnings), warnings
    assert any("No <version>" in w for w in warnings) == (name.startswith("fosdem"))
    assert all(s.start.tzinfo is not None and s.duration > timedelta(0) for s in schedule.sessions)
    # Exported again, the same programme validates.
    assert xsd.errors(write_frab(schedule)) == []


@needs_data
def test_31c3_details_survive():
    schedule, _ = read_frab((SCHEDULES / "31c3-schedule.xml").read_bytes())
    keynote = next(s for s in schedule.sessions if s.title == "31C3 Keynote")
    assert keynote.start.isoformat() == "2014-12-27T11:30:00+01:00"
    assert keynote.duration == timedelta(hours=1)
    assert keynote.subtitle == "A New Dawn"
    assert [p.name for p in keynote.persons] == ["alecempire"]
    assert keynote.guid == "8c4e647f-813e-41ef-b05b-65469dd841c3"
    german = next(s for s in schedule.sessions if s.guid == "HOqeNIb6G7M4hYFKFRkCmQ")
    assert german.language == "de"
    assert german.track == "Ethics, Society & Politics"
