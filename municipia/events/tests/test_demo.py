"""The demo events: the seed programmes as published, loaded idempotently."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from municipia.accounts import rules
from municipia.accounts.demo import load_demo_users
from municipia.accounts.models import User
from municipia.events import services
from municipia.events.demo import UPCOMING_SLUG, load_demo_events
from municipia.events.demo_data import CEMR_RETREAT, DEMO_EVENTS, UCLG_SEMINAR
from municipia.events.enums import AgendaStatus, RegistrationStatus, SessionAudience, SessionKind
from municipia.events.models import Day, Event, Room, Session, SessionPerson

MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture
def demo(organisation):
    # The demo accounts act for "rgre" and "koln", which the shared fixtures make.
    load_demo_users()
    return load_demo_events()


def test_both_seed_events_are_loaded_and_published(demo):
    assert [e.slug for e in demo] == [CEMR_RETREAT["slug"], UCLG_SEMINAR["slug"], UPCOMING_SLUG]
    assert all(e.is_published for e in demo)
    assert Session.objects.filter(event=demo[0]).count() == len(CEMR_RETREAT["sessions"])
    assert Session.objects.filter(event=demo[1]).count() == len(UCLG_SEMINAR["sessions"])


def test_retreat_has_rooms_tbc_marks_and_the_principals_only_reception(demo):
    retreat = demo[0]
    assert retreat.venue_name == "Fira Barcelona Gran Via"
    assert (retreat.starts_on, retreat.ends_on) == (
        datetime.date(2024, 11, 5),
        datetime.date(2024, 11, 7),
    )
    assert retreat.organisers.get().name == "Council of European Municipalities and Regions"
    assert set(Room.objects.filter(event=retreat).values_list("name", flat=True)) == {
        "Orange Agora",
        "Green Room",
        "Area CC1 Room 1.4",
        "Area CC1 Room 1.5",
        "Barcelona City Hall",
    }
    assert Room.objects.get(event=retreat, name="Barcelona City Hall").is_outside_venue

    smart_city = Session.objects.get(event=retreat, external_id="scewc-reception")
    assert smart_city.audience == SessionAudience.PRINCIPALS
    assert smart_city.time_tbc and smart_city.place_tbc
    assert smart_city.place_name == "Palacete Albéniz" and smart_city.room is None
    assert smart_city.starts_at == datetime.datetime(2024, 11, 5, 19, 30, tzinfo=MADRID)
    assert smart_city.kind == SessionKind.RECEPTION

    cemr = Session.objects.get(event=retreat, external_id="cemr-reception")
    assert cemr.audience == SessionAudience.REGISTERED
    assert cemr.time_tbc and not cemr.place_tbc
    assert cemr.room.name == "Barcelona City Hall"

    day_long = Session.objects.get(event=retreat, external_id="inclusive-societies")
    assert (day_long.starts_at, day_long.ends_at) == (
        datetime.datetime(2024, 11, 6, 9, 30, tzinfo=MADRID),
        datetime.datetime(2024, 11, 6, 17, 30, tzinfo=MADRID),
    )
    assert day_long.room.name == "Area CC1 Room 1.4"
    assert Session.objects.get(event=retreat, external_id="gender-based-violence").track.code == (
        "gender-equality"
    )


def test_the_demo_organiser_manages_the_events(demo):
    organiser = demo[0].created_by
    assert organiser.email == "organiser@demo.municipia.eu"
    assert all(rules.can_manage_event(organiser, event) for event in demo)


def test_seminar_is_online_in_french_with_day_themes_and_breakouts(demo):
    seminar = demo[1]
    assert seminar.format == "online"
    assert seminar.content_language == "fr"
    themes = dict(Day.objects.filter(event=seminar).values_list("date", "theme"))
    assert themes[datetime.date(2021, 2, 15)] == "Fenêtre d'opportunité de CGLU"
    assert themes[datetime.date(2021, 2, 17)] == "Travailler pour la planète"
    assert themes[datetime.date(2021, 2, 22)] == "Mener la transformation"
    assert sum(1 for theme in themes.values() if theme) == 6
    sessions = Session.objects.filter(event=seminar)
    assert all(s.time_tbc for s in sessions)
    assert sessions.filter(kind=SessionKind.BREAKOUT).count() == 13
    assert (
        sessions.filter(kind=SessionKind.PLENARY, title__startswith="Sections régionales").count()
        == 7
    )
    # Parallel breakouts are in different rooms: no double booking.
    for day in (16, 17, 18):
        breakouts = sessions.filter(
            kind=SessionKind.BREAKOUT, starts_at__date=datetime.date(2021, 2, day)
        )
        rooms = [s.room_id for s in breakouts]
        assert len(rooms) == len(set(rooms)) > 1
    saiz = SessionPerson.objects.filter(session__event=seminar, guest_name="Emilia Saiz")
    assert saiz.count() == 4
    assert saiz.first().guest_affiliation == "Secrétaire générale de CGLU"


def test_sessions_lie_within_the_event_dates_and_end_after_they_start():
    for spec in DEMO_EVENTS:
        dates = {d["date"] for d in spec["days"]}
        keys = [s["key"] for s in spec["sessions"]]
        assert len(keys) == len(set(keys))
        for session in spec["sessions"]:
            assert spec["starts_on"] <= session["date"] <= spec["ends_on"]
            assert session["date"] in dates
            assert session["start"] < session["end"]


def test_loading_again_changes_nothing(demo):
    before = list(
        Session.objects.order_by("pk").values_list("pk", "sequence", "updated_at", "title")
    )
    counts = (Event.objects.count(), Room.objects.count(), SessionPerson.objects.count())
    load_demo_events()
    after = list(
        Session.objects.order_by("pk").values_list("pk", "sequence", "updated_at", "title")
    )
    assert after == before
    assert (Event.objects.count(), Room.objects.count(), SessionPerson.objects.count()) == counts


def test_loading_again_repairs_what_was_changed(demo):
    session = Session.objects.get(event=demo[0], external_id="scewc-reception")
    session.audience = SessionAudience.PUBLIC
    session.save()
    load_demo_events()
    session.refresh_from_db()
    assert session.audience == SessionAudience.PRINCIPALS


def test_the_demo_programmes_show_on_their_pages(demo, client):
    """The acceptance of the issue, seen from the pages: rooms, outside places,
    the day themes and the French titles of the seminar."""
    page = client.get("/en/events/cemr-strategic-retreat-2024/programme/")
    assert page.status_code == 200
    for text in ("Orange Agora", "Area CC1 Room 1.5", "Palacete Albéniz", "Barcelona City Hall"):
        assert text in page.content.decode()
    # The locale middleware leaves French active after the request: the
    # override puts back what was active, so later tests are not in French.
    with translation.override(translation.get_language()):
        page = client.get("/fr/events/uclg-seminar-campus-2021/programme/")
    assert page.status_code == 200
    html = page.content.decode()
    for day in UCLG_SEMINAR["days"]:
        assert day["theme"].replace("'", "&#x27;") in html
    assert "Réunion annuelle de la Global Taskforce" in html


def test_the_upcoming_demo_edition_is_ahead_and_open_for_registration(demo):
    upcoming = demo[2]
    today = timezone.localdate()
    assert upcoming.title == "CEMR Strategic Retreat (demo edition)"
    assert upcoming.description.startswith("DEMO EDITION, generated by the municipia demo")
    assert upcoming.contact_email == "organiser@demo.municipia.eu"
    assert upcoming.is_published and upcoming.visibility == "public"
    # Six weeks ahead, moved to the retreat's weekday (a Tuesday), three days long.
    assert 42 <= (upcoming.starts_on - today).days < 49
    assert upcoming.starts_on.weekday() == 1
    assert (upcoming.ends_on - upcoming.starts_on).days == 2
    assert upcoming.registration_is_open()
    assert not demo[0].registration_is_open()
    assert Day.objects.filter(event=upcoming).count() == 3


def test_the_upcoming_demo_edition_keeps_the_retreats_programme_with_seats(demo):
    upcoming = demo[2]
    sessions = {s.external_id: s for s in Session.objects.filter(event=upcoming)}
    assert set(sessions) == {s["key"] for s in CEMR_RETREAT["sessions"]}
    assert all(
        upcoming.starts_on <= s.starts_at.astimezone(upcoming.tz).date() <= upcoming.ends_on
        for s in sessions.values()
    )
    shift = upcoming.starts_on - datetime.date(2024, 11, 5)
    talent = sessions["talent-hub"]
    assert talent.starts_at == datetime.datetime.combine(
        datetime.date(2024, 11, 5) + shift, datetime.time(10, 45), tzinfo=MADRID
    )
    assert talent.room.name == "Orange Agora"
    assert {key: s.capacity for key, s in sessions.items() if s.capacity is not None} == {
        "talent-hub": 40,
        "gender-based-violence": 7,
        "core-values": 25,
    }
    assert sessions["scewc-reception"].audience == SessionAudience.PRINCIPALS
    # The seed retreat itself is untouched: no seat limits.
    assert not Session.objects.filter(event=demo[0], capacity__isnull=False).exists()


def test_a_demo_account_registers_for_the_upcoming_edition_and_chooses_sessions(demo, organisation):
    upcoming = demo[2]
    editor = User.objects.get(email="editor@demo.municipia.eu")
    registration = services.register(
        actor=editor,
        event=upcoming,
        organisation=organisation,
        answers={"position": "", "consent": True},
    )
    assert registration.status == RegistrationStatus.CONFIRMED
    workshop = Session.objects.get(event=upcoming, external_id="core-values")
    item = services.add_to_agenda(actor=editor, registration=registration, session=workshop)
    assert item.status == AgendaStatus.CONFIRMED
    reception = Session.objects.get(event=upcoming, external_id="scewc-reception")
    with pytest.raises(ValidationError) as refused:
        services.add_to_agenda(actor=editor, registration=registration, session=reception)
    assert refused.value.message_dict == {
        "session": ["This session is open to principals and mayors only."]
    }


def test_the_upcoming_edition_keeps_its_dates_until_it_starts_then_moves_ahead(demo):
    upcoming = demo[2]
    first = upcoming.starts_on
    talent = Session.objects.get(event=upcoming, external_id="talent-hub")
    load_demo_events(today=first - datetime.timedelta(days=1))
    upcoming.refresh_from_db()
    assert upcoming.starts_on == first
    assert Session.objects.get(pk=talent.pk).sequence == talent.sequence

    load_demo_events(today=first)
    upcoming.refresh_from_db()
    assert upcoming.starts_on == first + datetime.timedelta(weeks=6)
    assert Event.objects.filter(slug=UPCOMING_SLUG).count() == 1
    assert sorted(Day.objects.filter(event=upcoming).values_list("date", flat=True)) == [
        upcoming.starts_on + datetime.timedelta(days=n) for n in range(3)
    ]
    moved = Session.objects.get(pk=talent.pk)
    # The same wall-clock time of the event's zone, six weeks later.
    assert moved.starts_at.astimezone(MADRID).replace(tzinfo=None) == (
        talent.starts_at.astimezone(MADRID).replace(tzinfo=None) + datetime.timedelta(weeks=6)
    )
    assert Session.objects.filter(event=upcoming).count() == len(CEMR_RETREAT["sessions"])


def test_the_upcoming_edition_starts_on_the_first_tuesday_six_weeks_ahead(demo):
    events = load_demo_events(today=datetime.date(2030, 1, 3))
    # 2030-01-03 is a Thursday: six weeks later is Thursday 14 February, the
    # next Tuesday the 19th. (The edition loaded today has started by 2030.)
    assert (events[2].starts_on, events[2].ends_on) == (
        datetime.date(2030, 2, 19),
        datetime.date(2030, 2, 21),
    )
