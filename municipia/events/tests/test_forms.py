"""Forms of the events pages: times typed in the event's zone, the organisers'
questions, speakers typed one a line."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from municipia.directory.models import Organisation
from municipia.events.forms import (
    EventForm,
    ProgrammeFilterForm,
    RegistrationForm,
    SessionForm,
    TimeZoneForm,
    in_zone,
    time_zone_choices,
)

MADRID = ZoneInfo("Europe/Madrid")


def test_in_zone_reads_the_wall_clock_of_the_event():
    typed = datetime.datetime(2024, 11, 6, 19, 0)
    value = in_zone(typed, MADRID)
    assert value.utcoffset() == datetime.timedelta(hours=1)
    assert value.astimezone(ZoneInfo("UTC")).hour == 18


def test_in_zone_refuses_the_hour_skipped_by_daylight_saving_time():
    with pytest.raises(ValidationError) as error:
        in_zone(datetime.datetime(2025, 3, 30, 2, 30), MADRID)
    assert "does not exist in Europe/Madrid" in error.value.messages[0]


def test_in_zone_takes_the_first_of_the_repeated_autumn_hour():
    value = in_zone(datetime.datetime(2025, 10, 26, 2, 30), MADRID)
    assert value.utcoffset() == datetime.timedelta(hours=2)


def test_time_zone_choices_are_iana_names_without_legacy_aliases():
    names = {name for name, _label in time_zone_choices()}
    assert {"UTC", "Europe/Madrid", "America/Argentina/Buenos_Aires"} <= names
    assert "US/Eastern" not in names
    assert "Etc/GMT+1" not in names


def event_data(**changes):
    data = {
        "title": "Seminar",
        "kind": "seminar",
        "format": "online",
        "time_zone": "Europe/Brussels",
        "starts_on": "2031-02-15",
        "ends_on": "2031-02-22",
        "visibility": "public",
        "registration_opens_at": "2031-01-10T09:00",
        "registration_closes_at": "2031-02-14T18:00",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_event_form_times_in_the_chosen_zone():
    form = EventForm(event_data(time_zone="America/Sao_Paulo"))
    assert form.is_valid(), form.errors
    closes = form.cleaned_data["registration_closes_at"]
    assert closes.tzinfo == ZoneInfo("America/Sao_Paulo")
    assert closes.hour == 18


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": "2031-02-01"}, "ends_on"),
        ({"registration_closes_at": "2031-01-01T09:00"}, "registration_closes_at"),
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"format": "in_person"}, "city"),
        ({"capacity": "0"}, "capacity"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"languages": ["xx"]}, "languages"),
    ],
)
def test_event_form_field_errors(changes, field):
    form = EventForm(event_data(**changes))
    assert not form.is_valid()
    assert field in form.errors


@pytest.mark.django_db
def test_session_form_reads_speakers_one_a_line():
    from municipia.events.models import Event

    event = Event.objects.create(
        slug="e", title="E", kind="retreat", starts_on="2024-11-06", ends_on="2024-11-06",
        time_zone="Europe/Madrid",
    )  # fmt: skip
    form = SessionForm(
        {
            "title": "Plenary",
            "kind": "plenary",
            "starts_at": "2024-11-06T09:30",
            "ends_at": "2024-11-06T11:00",
            "audience": "registered",
            "speakers": "Ada Colau, Barcelona, Spain\n\n  Dario Nardella  ",
            "moderators": "Eva Moderator",
        },
        event=event,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["speakers"] == [
        ("Ada Colau", "Barcelona, Spain"),
        ("Dario Nardella", ""),
    ]
    assert form.cleaned_data["moderators"] == [("Eva Moderator", "")]
    assert form.cleaned_data["starts_at"] == datetime.datetime(2024, 11, 6, 9, 30, tzinfo=MADRID)


@pytest.mark.django_db
def test_session_form_refuses_a_room_and_an_outside_place_together():
    from municipia.events.models import Event, Room

    event = Event.objects.create(
        slug="e", title="E", kind="retreat", starts_on="2031-01-01", ends_on="2031-01-01",
        time_zone="Europe/Madrid",
    )  # fmt: skip
    room = Room.objects.create(event=event, name="Sala")
    form = SessionForm(
        {
            "title": "Reception",
            "kind": "reception",
            "starts_at": "2031-01-01T19:00",
            "ends_at": "2031-01-01T18:00",
            "audience": "principals",
            "room": room.pk,
            "place_name": "City Hall",
        },
        event=event,
    )
    assert not form.is_valid()
    assert set(form.errors) == {"ends_at", "place_name"}


@pytest.mark.django_db
def test_registration_form_asks_only_the_chosen_questions(organisation):
    event = SimpleNamespace(registration_fields=["dietary_needs"])
    form = RegistrationForm(event=event, organisations=Organisation.objects.all())
    assert set(form.fields) == {"participant_name", "participant_email", "dietary_needs"}
    delegation = RegistrationForm(
        event=event, organisations=Organisation.objects.all(), delegation=True
    )
    # A delegation is always registered for an organisation.
    assert delegation.fields["organisation"].required


@pytest.mark.django_db
def test_registration_form_answers(organisation):
    event = SimpleNamespace(registration_fields=["position", "consent", "accessibility_needs"])
    form = RegistrationForm(
        {
            "participant_name": "Ana",
            "participant_email": "ana@example.org",
            "position": "mayor_or_president",
            "accessibility_needs": "step-free access",
            "consent": "on",
        },
        event=event,
        organisations=Organisation.objects.all(),
    )
    assert form.is_valid(), form.errors
    assert form.answers() == {
        "position": "mayor_or_president",
        "accessibility_needs": "step-free access",
        "consent": True,
    }


def test_time_zone_form_ignores_unknown_zones():
    assert TimeZoneForm({"tz": "Europe/Lisbon"}, event_zone="Europe/Madrid").zone() == ZoneInfo(
        "Europe/Lisbon"
    )
    assert TimeZoneForm({"tz": "Nowhere/Else"}, event_zone="Europe/Madrid").zone() is None
    assert TimeZoneForm({}, event_zone="Europe/Madrid").zone() is None


def test_programme_filter_offers_only_what_the_programme_uses():
    form = ProgrammeFilterForm(
        {"track": "climate", "language": "de"},
        tracks=[("climate", "Climate")],
        languages=[("fr", "French")],
    )
    assert not form.is_valid()
    assert "language" in form.errors
