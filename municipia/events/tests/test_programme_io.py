"""Programmes in and out of files: imports are all-or-nothing and idempotent,
keep what organisers set that files cannot say, and the exports of an imported
programme validate and re-import without a change."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from municipia.events.enums import SessionAudience, SessionKind, SessionRole
from municipia.events.formats.detect import read_programme
from municipia.events.formats.model import (
    DayData,
    PersonData,
    ScheduleData,
    SessionData,
)
from municipia.events.formats.schedule_json import write_schedule_json
from municipia.events.models import Day, Event, Room, Session, SessionPerson
from municipia.events.programme_io import (
    export_programme,
    import_programme,
    schedule_from_event,
    session_kind,
)
from municipia.taxonomy.models import Theme

from .test_formats_frab import SCHEDULES, XsdSubset, needs_data
from .test_formats_schedule_json import checker

MADRID = ZoneInfo("Europe/Madrid")


def at(day, hour, minute=0):
    return datetime.datetime(2024, 11, day, hour, minute, tzinfo=MADRID)


@pytest.fixture
def event(db):
    return Event.objects.create(
        slug="cemr-strategic-retreat-2024",
        title="CEMR Strategic Retreat",
        kind="retreat",
        time_zone="Europe/Madrid",
        starts_on=datetime.date(2024, 11, 5),
        ends_on=datetime.date(2024, 11, 7),
        is_published=True,
    )


def programme(**changes) -> ScheduleData:
    sessions = [
        SessionData(
            guid="talent-hub",
            title="Unlocking potential: The Talent HUB for cities and regions",
            start=at(5, 10, 45),
            duration=datetime.timedelta(minutes=45),
            room="Orange Agora",
            kind="side_event",
            track="Capacity building",
            language="en",
            abstract="<p>Launched in 2022 by CEMR in partnership with Eurocities, and UCLG.</p>",
            persons=[PersonData(name="Ana Pérez"), PersonData(name="Jörg Müller")],
        ),
        SessionData(
            guid="gbv",
            title="Local action for global impact: strategies to end gender-based violence",
            start=at(5, 16, 45),
            duration=datetime.timedelta(hours=1),
            room="Green Room",
            kind="Talk 30 min + 10min Q&A",
            track="Stadtentwicklung",
        ),
    ]
    schedule = ScheduleData(
        title="CEMR Strategic Retreat",
        acronym="cemr",
        time_zone="Europe/Madrid",
        days=[DayData(index=1, date=datetime.date(2024, 11, 5))],
        sessions=sessions,
    )
    for name, value in changes.items():
        setattr(schedule, name, value)
    return schedule


def import_json(event, schedule, **options):
    return import_programme(event=event, data=write_schedule_json(schedule).encode(), **options)


def test_import_creates_sessions_rooms_and_speakers(event):
    report = import_json(event, programme())
    assert report.ok, report.problems
    assert (report.format, report.created, report.updated, report.unchanged) == (
        "schedule-json",
        2,
        0,
        0,
    )
    assert report.rooms_created == 2
    assert sorted(Room.objects.filter(event=event).values_list("name", flat=True)) == [
        "Green Room",
        "Orange Agora",
    ]
    talent = Session.objects.get(event=event, title__startswith="Unlocking")
    assert talent.starts_at == at(5, 10, 45)
    assert talent.ends_at == at(5, 11, 30)
    assert talent.room.name == "Orange Agora"
    assert talent.kind == SessionKind.SIDE_EVENT
    assert talent.track == Theme.objects.get(code="capacity-building")
    assert talent.languages == ["en"]
    assert talent.description == (
        "Launched in 2022 by CEMR in partnership with Eurocities, and UCLG."
    )
    assert [p.guest_name for p in talent.people.all()] == ["Ana Pérez", "Jörg Müller"]
    assert all(p.role == SessionRole.SPEAKER and p.person is None for p in talent.people.all())
    gbv = Session.objects.get(event=event, title__startswith="Local action")
    assert gbv.kind == SessionKind.PLENARY  # a talk
    assert gbv.track is None
    assert any("Stadtentwicklung" in w and "matches no theme" in w for w in report.warnings)
    assert list(Day.objects.filter(event=event).values_list("date", flat=True)) == [
        datetime.date(2024, 11, 5),
        datetime.date(2024, 11, 6),
        datetime.date(2024, 11, 7),
    ]


def test_reimport_changes_nothing_and_adds_no_duplicates(event):
    import_json(event, programme())
    before = list(Session.objects.filter(event=event).values_list("pk", "sequence", "updated_at"))
    report = import_json(event, programme())
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert report.rooms_created == report.days_created == 0
    after = list(Session.objects.filter(event=event).values_list("pk", "sequence", "updated_at"))
    assert after == before
    assert SessionPerson.objects.filter(session__event=event).count() == 2


def test_reimport_updates_by_guid_and_keeps_what_files_cannot_say(event):
    import_json(event, programme())
    talent = Session.objects.get(event=event, title__startswith="Unlocking")
    talent.audience = SessionAudience.PRINCIPALS
    talent.online_url = "https://meet.example.org/talent"
    talent.time_tbc = True
    talent.capacity = 40
    talent.save()
    talent.people.filter(guest_name="Ana Pérez").update(role=SessionRole.MODERATOR)

    changed = programme()
    changed.sessions[0].title = "Unlocking potential: the Talent Hub"
    changed.sessions[0].start = at(5, 11, 0)
    changed.sessions[0].room = "Area CC1 Room 1.4"
    report = import_json(event, changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert report.rooms_created == 1

    talent.refresh_from_db()
    assert talent.title == "Unlocking potential: the Talent Hub"
    assert talent.starts_at == at(5, 11, 0)
    assert talent.room.name == "Area CC1 Room 1.4"
    assert talent.sequence == 1  # calendars replace their copy
    assert talent.audience == SessionAudience.PRINCIPALS
    assert talent.online_url == "https://meet.example.org/talent"
    assert talent.time_tbc is True
    assert talent.capacity == 40
    assert talent.people.get(guest_name="Ana Pérez").role == SessionRole.MODERATOR


def test_changed_speakers_are_replaced_keeping_roles_of_known_names(event):
    import_json(event, programme())
    talent = Session.objects.get(event=event, title__startswith="Unlocking")
    talent.people.filter(guest_name="Jörg Müller").update(role=SessionRole.MODERATOR)
    changed = programme()
    changed.sessions[0].persons = [PersonData(name="Jörg Müller"), PersonData(name="Li Wei")]
    report = import_json(event, changed)
    assert report.updated == 1
    assert [(p.guest_name, p.role) for p in talent.people.all()] == [
        ("Jörg Müller", SessionRole.MODERATOR),
        ("Li Wei", SessionRole.SPEAKER),
    ]


def test_organiser_reclassification_survives_reimport_of_a_foreign_file(event):
    import_json(event, programme())
    gbv = Session.objects.get(event=event, title__startswith="Local action")
    gbv.kind = SessionKind.WORKSHOP
    gbv.track = Theme.objects.get(code="gender-equality")
    gbv.save()
    report = import_json(event, programme())
    assert report.unchanged == 2
    gbv.refresh_from_db()
    assert gbv.kind == SessionKind.WORKSHOP
    assert gbv.track.code == "gender-equality"


def test_sessions_not_in_the_file_are_kept_and_counted(event):
    import_json(event, programme())
    report = import_json(event, programme(sessions=programme().sessions[:1]))
    assert report.not_in_file == 1
    assert Session.objects.filter(event=event).count() == 2


def test_dry_run_writes_nothing(event):
    report = import_json(event, programme(), dry_run=True)
    assert report.ok and report.created == 2
    assert not Session.objects.filter(event=event).exists()
    assert not Room.objects.filter(event=event).exists()


@pytest.mark.parametrize(
    "data", [b"", b"%PDF-1.4", b"<html><body>Programme</body></html>", b'{"programme": []}']
)
def test_unreadable_file_writes_nothing(event, data):
    report = import_programme(event=event, data=data)
    assert not report.ok
    assert report.problems[0].row is None
    assert not Session.objects.filter(event=event).exists()


def test_a_failure_while_writing_leaves_nothing_behind(event, monkeypatch):
    from municipia.events import programme_io

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(programme_io.SessionPerson.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        import_json(event, programme())
    assert not Session.objects.filter(event=event).exists()
    assert not Room.objects.filter(event=event).exists()


def test_a_programme_of_other_dates_is_refused(event):
    report = import_json(
        event,
        programme(
            sessions=[
                SessionData(
                    guid="x",
                    title="Elsewhere",
                    start=at(5, 9).replace(year=2019),
                    duration=datetime.timedelta(hours=1),
                ),
            ]
        ),
    )
    assert not report.ok
    assert "outside the event's dates (2024-11-05 – 2024-11-07)" in report.problems[0].message
    assert not Session.objects.filter(event=event).exists()
    event.refresh_from_db()
    assert event.starts_on == datetime.date(2024, 11, 5)


def test_event_dates_are_extended_to_cover_the_programme(event):
    late = programme()
    late.sessions[1].start = at(8, 9, 0)
    report = import_json(event, late)
    event.refresh_from_db()
    assert event.ends_on == datetime.date(2024, 11, 8)
    assert report.dates_extended
    assert Day.objects.filter(event=event, date=datetime.date(2024, 11, 8)).exists()


def test_only_those_who_manage_the_event_may_import(event, plain_user, staff_user):
    with pytest.raises(PermissionDenied):
        import_json(event, programme(), actor=plain_user)
    assert not Session.objects.filter(event=event).exists()
    assert import_json(event, programme(), actor=staff_user).created == 2


@pytest.mark.parametrize(
    ("file_type", "expected"),
    [
        ("plenary", (SessionKind.PLENARY, True)),
        ("reception", (SessionKind.RECEPTION, True)),
        ("lecture", (SessionKind.PLENARY, False)),
        ("Workshop 110min", (SessionKind.WORKSHOP, False)),
        ("BoF", (SessionKind.BREAKOUT, False)),
        ("performance", (SessionKind.SIDE_EVENT, False)),
        ("", (SessionKind.PLENARY, False)),
    ],
)
def test_file_types_map_to_session_kinds(file_type, expected):
    assert session_kind(file_type) == expected


# ---------------------------------------------------------------- exports


@pytest.fixture
def with_restricted_sessions(event):
    import_json(event, programme())
    Session.objects.filter(event=event, title__startswith="Unlocking").update(
        audience=SessionAudience.PRINCIPALS, online_url="https://meet.example.org/secret-room"
    )
    Session.objects.create(
        event=event,
        title="Cancelled side event",
        starts_at=at(6, 9),
        ends_at=at(6, 10),
        is_cancelled=True,
    )
    Session.objects.create(
        event=event,
        title="Cocktail reception organised by the Smart City Expo World Congress",
        starts_at=at(5, 19, 30),
        ends_at=at(5, 21, 30),
        time_tbc=True,
        place_tbc=True,
        place_name="Palacete Albéniz",
        kind=SessionKind.RECEPTION,
        audience=SessionAudience.PRINCIPALS,
        online_url="https://meet.example.org/principals",
    )
    return event


@pytest.mark.parametrize("file_format", ["ical", "frab-xml", "schedule-json"])
def test_exports_never_carry_online_links(with_restricted_sessions, file_format):
    text = export_programme(with_restricted_sessions, file_format)
    assert "meet.example.org" not in text
    assert "Palacete Albéniz" in text


def test_frab_and_json_leave_cancelled_sessions_out_calendars_mark_them(with_restricted_sessions):
    assert "Cancelled side event" not in export_programme(with_restricted_sessions, "frab-xml")
    assert "Cancelled side event" not in export_programme(with_restricted_sessions, "schedule-json")
    calendar = export_programme(with_restricted_sessions, "ical")
    assert "Cancelled side event" in calendar
    assert "STATUS:CANCELLED" in calendar
    assert "DTSTART;TZID=Europe/Madrid:20241105T193000" in calendar


def test_schedule_from_event_shapes_the_programme(with_restricted_sessions):
    with translation.override("en"):  # links are in the language of the request
        schedule = schedule_from_event(
            with_restricted_sessions, base_url="https://municipia.example"
        )
    assert schedule.time_zone == "Europe/Madrid"
    assert schedule.sessions[0].title.startswith("Unlocking")
    reception = next(s for s in schedule.sessions if s.title.startswith("Cocktail"))
    assert reception.room == "Palacete Albéniz"
    assert reception.kind == "reception"
    pk = Session.objects.get(title__startswith="Cocktail").pk
    assert reception.url == (
        f"https://municipia.example/en/events/cemr-strategic-retreat-2024/sessions/{pk}/"
    )
    assert [t.slug for t in schedule.tracks] == ["capacity-building"]


def test_exports_of_an_own_programme_reimport_without_change(with_restricted_sessions):
    event = with_restricted_sessions
    count = Session.objects.filter(event=event).count()
    for file_format in ("frab-xml", "schedule-json"):
        report = import_programme(event=event, data=export_programme(event, file_format).encode())
        assert report.ok
        assert (report.created, report.updated) == (0, 0), (file_format, report.warnings)
        assert report.unchanged == 3
        assert Session.objects.filter(event=event).count() == count


# ---------------------------------------------------------------- real files


@needs_data
@pytest.mark.django_db
def test_31c3_round_trip_validates_and_reimport_changes_nothing():
    """The acceptance test of the issue: import 31c3-schedule.xml, export it as
    frab XML and schedule.json, both validate, and re-import changes nothing."""
    from jsonschema import Draft6Validator

    event = Event.objects.create(
        slug="31c3",
        title="31. Chaos Communication Congress",
        kind="congress",
        time_zone="Europe/Berlin",
        starts_on=datetime.date(2014, 12, 27),
        ends_on=datetime.date(2014, 12, 30),
    )
    original = (SCHEDULES / "31c3-schedule.xml").read_bytes()
    first = import_programme(event=event, data=original)
    assert first.ok
    assert (first.created, first.rooms_created) == (138, 4)
    assert any("not UUIDs" in w for w in first.warnings)

    frab = export_programme(event, "frab-xml")
    schedule_json = export_programme(event, "schedule-json")
    assert XsdSubset(SCHEDULES / "schedule.xml.xsd").errors(frab) == []
    schema = json.loads((SCHEDULES / "schema.json").read_text())
    validator = Draft6Validator(schema, format_checker=checker)
    assert list(validator.iter_errors(json.loads(schedule_json))) == []

    snapshot = list(
        Session.objects.filter(event=event)
        .order_by("pk")
        .values_list("pk", "title", "starts_at", "ends_at", "room_id", "sequence", "updated_at")
    )
    for data in (frab.encode(), schedule_json.encode(), original):
        report = import_programme(event=event, data=data)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 138)
    assert snapshot == list(
        Session.objects.filter(event=event)
        .order_by("pk")
        .values_list("pk", "title", "starts_at", "ends_at", "room_id", "sequence", "updated_at")
    )
    keynote = Session.objects.get(event=event, title="31C3 Keynote")
    assert keynote.starts_at == datetime.datetime(
        2014, 12, 27, 11, 30, tzinfo=ZoneInfo("Europe/Berlin")
    )
    assert keynote.description == "A New Dawn\n\nThe 31C3 Keynote"
    assert [p.guest_name for p in keynote.people.all()] == ["alecempire"]


@needs_data
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "sessions"),
    [
        ("fosdem-2019-schedule.xml", 775),
        ("frab-camp2019.json", 79),
        ("pretalx-rc3.json", 48),
        ("invalid-example.json", 1),
    ],
)
def test_real_files_import_idempotently(name, sessions):
    data = (SCHEDULES / name).read_bytes()
    _kind, schedule, _warnings = read_programme(data)
    first_day = min(s.start for s in schedule.sessions).date()
    event = Event.objects.create(
        slug="conference",
        title="Conference",
        kind="conference",
        time_zone="Europe/Brussels",
        starts_on=first_day,
        ends_on=first_day,
    )
    first = import_programme(event=event, data=data)
    assert first.ok and first.created == sessions
    again = import_programme(event=event, data=data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, sessions)
    assert Session.objects.filter(event=event).count() == sessions


@needs_data
@pytest.mark.django_db
def test_fosdem_2019_imports_all_its_sessions_and_rooms():
    """The largest real file (775 events, 33 rooms); its time is measured by
    benchmarks/programme_import.py, not asserted here."""
    event = Event.objects.create(
        slug="fosdem-2019",
        title="FOSDEM 2019",
        kind="conference",
        time_zone="Europe/Brussels",
        starts_on=datetime.date(2019, 2, 2),
        ends_on=datetime.date(2019, 2, 3),
    )
    data = (SCHEDULES / "fosdem-2019-schedule.xml").read_bytes()
    report = import_programme(event=event, data=data)
    assert report.ok and report.created == 775 and report.rooms_created == 33


def test_reader_messages_are_shown_in_the_active_language(event, monkeypatch):
    from municipia.events import programme_io

    monkeypatch.setattr(
        programme_io, "_", lambda template: template.replace("No time zone named", "Sans fuseau")
    )
    report = import_programme(
        event=event,
        data=b"<schedule><conference><title>T</title></conference>"
        b'<day index="1" date="2024-11-05"><room name="A"><event id="1" guid="g">'
        b"<title>S</title><start>10:00</start><duration>00:30</duration></event></room></day>"
        b"</schedule>",
    )
    assert "Sans fuseau; times without an offset read in Europe/Madrid." in report.warnings


def test_exports_take_the_same_number_of_queries_whatever_the_size(
    event, django_assert_max_num_queries
):
    import_json(event, programme())
    room = Room.objects.get(event=event, name="Green Room")
    for number in range(60):
        session = Session.objects.create(
            event=event,
            title=f"Breakout {number}",
            starts_at=at(6, 9) + datetime.timedelta(minutes=number),
            ends_at=at(6, 10) + datetime.timedelta(minutes=number),
            room=room,
            track=Theme.objects.get(code="digital"),
        )
        SessionPerson.objects.create(session=session, guest_name=f"Speaker {number}")
    for file_format in ("ical", "frab-xml", "schedule-json"):
        with django_assert_max_num_queries(8):
            export_programme(event, file_format)


def test_a_session_the_model_refuses_is_a_problem_of_its_row_and_nothing_is_written(event):
    schedule = programme()
    schedule.sessions.append(
        SessionData(guid="empty", title="", start=at(6, 9), duration=datetime.timedelta(hours=1))
    )
    report = import_programme(event=event, data=schedule)
    assert not report.ok
    assert [(p.row, p.column) for p in report.problems] == [(3, "title")]
    assert report.created == 0
    assert not Session.objects.filter(event=event).exists()
    assert not Room.objects.filter(event=event).exists()


def test_language_codes_are_checked():
    from municipia.events.programme_io import _language_codes

    assert _language_codes("de-AT") == ["de"]
    assert _language_codes("fr_FR") == ["fr"]
    assert _language_codes("xx") == []
    assert _language_codes("English") == []
