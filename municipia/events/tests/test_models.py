"""The data model: time zones, daylight saving, invalid times, uniqueness."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from municipia.events import services
from municipia.events.enums import RegistrationStatus
from municipia.events.models import Day, Event, Registration, Session

from .core_helpers import MADRID, YEAR, at

pytest_plugins = ["municipia.events.tests.core_fixtures"]

UTC = datetime.UTC


def test_days_are_created_for_each_date_of_the_event(retreat):
    assert list(retreat.days.values_list("date", flat=True)) == [
        datetime.date(YEAR, 11, 5),
        datetime.date(YEAR, 11, 6),
        datetime.date(YEAR, 11, 7),
    ]


def test_event_time_zone_must_be_an_iana_name(retreat):
    retreat.time_zone = "Europe/Barcelona"  # not a zone: Barcelona is in Europe/Madrid
    with pytest.raises(ValidationError) as error:
        retreat.full_clean()
    assert "time_zone" in error.value.message_dict
    retreat.time_zone = "Europe/Madrid"
    retreat.full_clean()
    assert retreat.tz == MADRID


def test_event_ending_before_it_starts_is_refused_per_field(retreat, event_organiser):
    with pytest.raises(ValidationError) as error:
        services.update_event(
            actor=event_organiser, event=retreat, ends_on=datetime.date(YEAR, 11, 4)
        )
    assert "ends_on" in error.value.message_dict


def test_session_end_before_start_is_a_field_error(retreat, event_organiser):
    with pytest.raises(ValidationError) as error:
        services.save_session(
            actor=event_organiser,
            event=retreat,
            title="Backwards",
            starts_at=at(6, 11),
            ends_at=at(6, 10),
        )
    assert list(error.value.message_dict) == ["ends_at"]
    assert not Session.objects.filter(title="Backwards").exists()


def test_database_refuses_a_session_ending_before_it_starts(retreat):
    # Even when model validation is bypassed (bulk imports, raw writes).
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(event=retreat, title="Zero", starts_at=at(6, 10), ends_at=at(6, 10))


def test_session_across_the_daylight_saving_change(retreat, event_organiser):
    """27 October 2024, 03:00 CEST becomes 02:00 CET: a night session from
    01:00 to 05:00 local time lasts five hours, not four."""
    retreat = services.update_event(
        actor=event_organiser,
        event=retreat,
        starts_on=datetime.date(2024, 10, 26),
        ends_on=datetime.date(2024, 10, 28),
    )
    session, _ = services.save_session(
        actor=event_organiser,
        event=retreat,
        title="Night shift",
        starts_at=datetime.datetime(2024, 10, 27, 1, 0),  # naive: the event's time
        ends_at=datetime.datetime(2024, 10, 27, 5, 0),
    )
    session.refresh_from_db()
    assert session.starts_at == datetime.datetime(2024, 10, 26, 23, 0, tzinfo=UTC)
    assert session.ends_at == datetime.datetime(2024, 10, 27, 4, 0, tzinfo=UTC)
    assert session.ends_at - session.starts_at == datetime.timedelta(hours=5)
    local_start = timezone.localtime(session.starts_at, retreat.tz)
    local_end = timezone.localtime(session.ends_at, retreat.tz)
    assert (local_start.hour, local_start.utcoffset()) == (1, datetime.timedelta(hours=2))
    assert (local_end.hour, local_end.utcoffset()) == (5, datetime.timedelta(hours=1))
    assert session.day == datetime.date(2024, 10, 27)


def test_event_in_another_time_zone_keeps_its_local_times(event_organiser):
    """A webinar run from New York in March 2024, between the American (10 March)
    and European (31 March) clock changes: 09:00 in New York is 13:00 UTC and
    14:00 in Brussels."""
    event = services.create_event(
        actor=event_organiser,
        slug="nyc-webinar",
        title="Webinar from New York",
        kind="webinar",
        format="online",
        time_zone="America/New_York",
        starts_on=datetime.date(2024, 3, 20),
        ends_on=datetime.date(2024, 3, 20),
    )
    session, _ = services.save_session(
        actor=event_organiser,
        event=event,
        title="Morning session",
        starts_at=datetime.datetime(2024, 3, 20, 9, 0),
        ends_at=datetime.datetime(2024, 3, 20, 10, 0),
    )
    session.refresh_from_db()
    assert session.starts_at == datetime.datetime(2024, 3, 20, 13, 0, tzinfo=UTC)
    brussels = timezone.localtime(session.starts_at, ZoneInfo("Europe/Brussels"))
    assert brussels.hour == 14
    assert timezone.localtime(session.starts_at, event.tz).hour == 9


def test_session_day_is_the_date_where_the_event_is(event_organiser):
    """A session at 23:30 in Madrid is already the next day in UTC."""
    event = services.create_event(
        actor=event_organiser,
        slug="late",
        title="Late",
        kind="seminar",
        time_zone="Asia/Tokyo",
        starts_on=datetime.date(2024, 6, 1),
        ends_on=datetime.date(2024, 6, 2),
    )
    session, _ = services.save_session(
        actor=event_organiser,
        event=event,
        title="Early in Tokyo",
        starts_at=datetime.datetime(2024, 6, 2, 7, 0),  # 22:00 UTC on 1 June
        ends_at=datetime.datetime(2024, 6, 2, 8, 0),
    )
    assert session.starts_at.astimezone(UTC).date() == datetime.date(2024, 6, 1)
    assert session.day == datetime.date(2024, 6, 2)


def test_one_active_registration_per_email(retreat):
    Registration.objects.create(
        event=retreat, participant_name="Ada", participant_email="ada@example.org"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=retreat, participant_name="Ada", participant_email="ada@example.org"
        )
    # A cancelled registration does not block registering again.
    Registration.objects.filter(event=retreat).update(status=RegistrationStatus.CANCELLED)
    Registration.objects.create(
        event=retreat, participant_name="Ada", participant_email="ada@example.org"
    )


def test_feed_tokens_are_long_and_distinct(retreat):
    tokens = {
        Registration.objects.create(
            event=retreat, participant_name=f"P{i}", participant_email=f"p{i}@example.org"
        ).feed_token
        for i in range(20)
    }
    assert len(tokens) == 20
    assert all(len(token) >= 40 for token in tokens)


def test_day_unique_per_event(retreat):
    with pytest.raises(IntegrityError), transaction.atomic():
        Day.objects.create(event=retreat, date=datetime.date(YEAR, 11, 5))


def test_room_capacity_is_the_session_capacity_by_default(plenary, room):
    assert plenary.effective_capacity == 80
    plenary.capacity = 20
    assert plenary.effective_capacity == 20


def test_unknown_language_codes_are_refused(event_organiser):
    with pytest.raises(ValidationError) as error:
        services.create_event(
            actor=event_organiser,
            slug="bad",
            title="Bad",
            kind="seminar",
            starts_on=datetime.date(2024, 6, 1),
            ends_on=datetime.date(2024, 6, 1),
            languages=["en", "klingon"],
        )
    assert "languages" in error.value.message_dict
    assert not Event.objects.filter(slug="bad").exists()


def test_a_session_takes_place_during_its_event(retreat, event_organiser):
    with pytest.raises(ValidationError) as error:
        services.save_session(
            actor=event_organiser,
            event=retreat,
            title="Far away",
            starts_at=datetime.datetime(2030, 6, 1, 10, 0),
            ends_at=datetime.datetime(2030, 6, 1, 11, 0),
        )
    assert set(error.value.message_dict) == {"starts_at"}
    assert not retreat.sessions.filter(title="Far away").exists()


@pytest.mark.parametrize(
    "starts_on, ends_on, field",
    [
        (datetime.date(9999, 12, 30), datetime.date(9999, 12, 31), "starts_on"),
        (datetime.date(1899, 12, 31), datetime.date(1900, 1, 2), "starts_on"),
        (datetime.date(2030, 1, 1), datetime.date(2032, 1, 1), "ends_on"),
    ],
)
def test_an_event_s_days_are_plausible(retreat, event_organiser, starts_on, ends_on, field):
    with pytest.raises(ValidationError) as error:
        services.update_event(
            actor=event_organiser, event=retreat, starts_on=starts_on, ends_on=ends_on
        )
    assert field in error.value.message_dict
    retreat.refresh_from_db()
    assert retreat.days.count() == 3
