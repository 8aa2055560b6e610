"""Forms and API of events, networking and funding answer garbage with field
errors or a 4xx, never a 500: empty posts, overlong text, wrong types, ids of
another event's objects, and periods that end before they start.

Each form is posted as someone allowed to use it, so the garbage reaches the
form and the service rather than stopping at the permission check."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client

from municipia.events import services as event_services
from municipia.events.enums import EventKind, EventVisibility
from municipia.events.forms import EventForm, RegistrationForm, RoomForm, SessionForm
from municipia.funding.forms import AlertSettingsForm, CallForm, PartnerSearchForm
from municipia.networking.forms import (
    BlockForm,
    GridForm,
    MeetingPointForm,
    PeriodForm,
    ProfileForm,
    RequestForm,
)
from tests.security_world import build_world

pytestmark = pytest.mark.django_db

HANDLED = {200, 201, 204, 302, 400, 403, 404, 405, 409, 413, 415, 422, 429}


@pytest.fixture
def world(world_roles, event_organiser, organisation):
    built = build_world(**world_roles)
    # Another event of the same organiser, whose rooms, sessions and
    # registrations must not be usable in the first one.
    other = event_services.create_event(
        actor=event_organiser,
        organisers=[organisation],
        slug="other-event",
        title="Another event",
        kind=EventKind.SEMINAR,
        time_zone="Europe/Madrid",
        starts_on=datetime.date(2030, 12, 1),
        ends_on=datetime.date(2030, 12, 1),
        visibility=EventVisibility.PUBLIC,
        is_published=True,
    )
    built.other_room = event_services.save_room(
        actor=event_organiser, event=other, name="Elsewhere", capacity=5
    )
    built.other_event = other
    return built


def garbage(fields) -> list[dict]:
    """The same bad value in every field, one payload per kind of bad value."""
    values = [
        "",
        "x" * 20_000,
        "not a number",
        "-1",
        "2147483648",  # beyond a 32-bit integer column
        "2030-02-30",
        "2030-11-06T25:61",
        "\x00",
        "<script>alert(1)</script>",
    ]
    payloads = [{}]
    payloads += [dict.fromkeys(fields, value) for value in values]
    payloads.append({name: ["1", "2", "abc"] for name in fields})
    return payloads


def _post_all(client, url, payloads, extra=None) -> dict:
    bad = {}
    for payload in payloads:
        data = {**payload, **(extra or {})}
        response = client.post(url, data)
        if response.status_code not in HANDLED:
            bad[repr(data)[:120]] = response.status_code
    return bad


def _client(world, role) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.user(role))
    return client


def _fields(form_class) -> list[str]:
    return list(form_class.base_fields)


# -- forms posted with garbage ---------------------------------------------------------

FORMS = {
    # name: (role, address, field names, extra data)
    "event create": ("staff_user", "/en/events/new/", _fields(EventForm), None),
    "event edit": ("staff_user", "/en/events/{event}/edit/", _fields(EventForm), None),
    "session create": (
        "staff_user",
        "/en/events/{event}/sessions/new/",
        _fields(SessionForm),
        None,
    ),
    "session edit": (
        "staff_user",
        "/en/events/{event}/sessions/{plenary}/edit/",
        _fields(SessionForm),
        None,
    ),
    "room": (
        "staff_user",
        "/en/events/{event}/programme/setup/",
        _fields(RoomForm),
        {"action": "room"},
    ),
    "day themes": (
        "staff_user",
        "/en/events/{event}/programme/setup/",
        ["day_1", "day_2", "day_3", "day_999"],
        {"action": "days"},
    ),
    "register": ("plain_user", "/en/events/{event}/register/", _fields(RegistrationForm), None),
    "register a delegate": (
        "organisation_editor",
        "/en/events/{event}/register/",
        _fields(RegistrationForm),
        {"for": "delegation"},
    ),
    "networking profile": (
        "confirmed",
        "/en/networking/{event}/profile/",
        _fields(ProfileForm),
        None,
    ),
    "meeting request": (
        "principal",
        "/en/networking/{event}/requests/new/{confirmed}/",
        _fields(RequestForm),
        None,
    ),
    "answer a request": (
        "principal",
        "/en/networking/{event}/requests/{request}/answer/",
        ["r{request}-action", "r{request}-slot", "r{request}-response", "next"],
        None,
    ),
    "availability": (
        "confirmed",
        "/en/networking/{event}/availability/",
        _fields(BlockForm),
        None,
    ),
    "no-show": (
        "confirmed",
        "/en/networking/{event}/meetings/{request}/no-show/",
        ["absent"],
        None,
    ),
    "grid": ("staff_user", "/en/networking/{event}/manage/grid/", _fields(GridForm), None),
    "grid period": (
        "staff_user",
        "/en/networking/{event}/manage/grid/",
        _fields(PeriodForm),
        {"action": "period"},
    ),
    "meeting point": (
        "staff_user",
        "/en/networking/{event}/manage/points/",
        _fields(MeetingPointForm),
        None,
    ),
    "meeting point edit": (
        "staff_user",
        "/en/networking/{event}/manage/points/{point}/",
        _fields(MeetingPointForm),
        None,
    ),
    "scheduler run": (
        "staff_user",
        "/en/networking/{event}/manage/run/",
        ["replan", "time_limit"],
        None,
    ),
    "networking import": ("staff_user", "/en/networking/{event}/manage/import/", ["file"], None),
    "call create": ("funder_editor", "/en/funding/calls/new/", _fields(CallForm), None),
    "call edit": ("funder_editor", "/en/funding/calls/{open}/edit/", _fields(CallForm), None),
    "reminders": ("plain_user", "/en/funding/reminders/", _fields(AlertSettingsForm), None),
    "partner search": (
        "organisation_editor",
        "/en/funding/partner-searches/new/",
        _fields(PartnerSearchForm),
        None,
    ),
    "interest": (
        "krakow_editor",
        "/en/funding/partner-searches/{search}/interest/",
        ["organisation", "message"],
        None,
    ),
    "answer status": (
        "organisation_editor",
        "/en/funding/partner-searches/{search}/answers/{interest}/",
        ["status"],
        None,
    ),
    "invite": (
        "organisation_editor",
        "/en/funding/partner-searches/{search}/answers/0/",
        ["organisation"],
        None,
    ),
    "consortium publish": (
        "krakow_editor",
        "/en/funding/calls/{open}/consortium/publish/",
        ["lead", "member", "purpose"],
        None,
    ),
    "close search": (
        "organisation_editor",
        "/en/funding/partner-searches/{search}/close/",
        ["complete"],
        None,
    ),
}


def _format(world, text: str) -> str:
    return text.format(
        event=world.event.slug,
        plenary=world.plenary.pk,
        confirmed=world.registrations["confirmed"].pk,
        request=world.meeting_request.pk,
        point=world.point.pk,
        open=world.open_call.pk,
        search=world.search.pk,
        interest=world.interest.pk,
    )


@pytest.mark.parametrize("name", FORMS)
def test_forms_answer_garbage_without_a_500(world, name):
    role, address, fields, extra = FORMS[name]
    fields = [_format(world, field) for field in fields]
    client = _client(world, role)
    assert _post_all(client, _format(world, address), garbage(fields), extra) == {}


def test_another_events_objects_are_refused_with_field_errors(world):
    """A room, an invited registration or a session of another event."""
    client = _client(world, "staff_user")
    other_session, _warnings = event_services.save_session(
        actor=world.users["event_organiser"],
        event=world.other_event,
        title="Elsewhere",
        starts_at=datetime.datetime(2030, 12, 1, 10, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 12, 1, 11, tzinfo=datetime.UTC),
    )
    other_registration = world.other_event.registrations.create(
        participant_name="Elsewhere", participant_email="elsewhere@example.org"
    )
    base = {
        "title": "Moved",
        "kind": "plenary",
        "starts_at": "2030-11-06T10:00",
        "ends_at": "2030-11-06T11:00",
        "audience": "registered",
    }
    url = f"/en/events/{world.event.slug}/sessions/{world.plenary.pk}/edit/"
    response = client.post(url, {**base, "room": world.other_room.pk})
    assert response.status_code == 200 and "room" in response.context["form"].errors
    response = client.post(url, {**base, "invited": [other_registration.pk]})
    assert response.status_code == 200 and "invited" in response.context["form"].errors
    # Another event's session through this event's address.
    for path in ("edit/", "delete/", ""):
        response = client.get(f"/en/events/{world.event.slug}/sessions/{other_session.pk}/{path}")
        assert response.status_code == 404, path
    response = client.get(
        f"/en/events/{world.event.slug}/programme/setup/?room={world.other_room.pk}"
    )
    assert response.status_code == 404
    # Another event's registration, to decide on or to act for.
    decide = f"/en/events/{world.event.slug}/registrations/{other_registration.pk}/approve/"
    assert client.post(decide).status_code == 404


def test_periods_that_end_before_they_start_are_field_errors(world):
    staff = _client(world, "staff_user")
    response = staff.post(
        f"/en/events/{world.event.slug}/sessions/new/",
        {
            "title": "Backwards",
            "kind": "plenary",
            "starts_at": "2030-11-06T11:00",
            "ends_at": "2030-11-06T10:00",
            "audience": "registered",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    response = staff.post(
        f"/en/events/{world.event.slug}/edit/",
        {
            "title": "Backwards",
            "kind": "retreat",
            "format": "in_person",
            "time_zone": "Europe/Madrid",
            "starts_on": "2030-11-07",
            "ends_on": "2030-11-05",
            "visibility": "public",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    response = staff.post(
        f"/en/networking/{world.event.slug}/manage/grid/",
        {"action": "period", "starts_at": "2030-11-06T15:00", "ends_at": "2030-11-06T14:00"},
    )
    assert response.status_code == 200 and response.context["period_form"].errors
    participant = _client(world, "confirmed")
    response = participant.post(
        f"/en/networking/{world.event.slug}/availability/",
        {"starts_at": "2030-11-06T15:00", "ends_at": "2030-11-06T14:00"},
    )
    assert response.status_code == 200 and response.context["form"].errors


def test_deleting_a_period_that_is_not_a_number_is_not_a_500(world):
    client = _client(world, "staff_user")
    response = client.post(
        f"/en/networking/{world.event.slug}/manage/grid/",
        {"action": "delete_period", "period": "abc"},
    )
    assert response.status_code in HANDLED


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("event create", "organisers"),
        ("session create", "invited"),
        ("call create", "themes"),
        ("call create", "sdgs"),
        ("partner search", "themes"),
    ],
)
def test_ids_beyond_64_bits_are_field_errors(world, name, field):
    role, address, _unused, extra = FORMS[name]
    client = _client(world, role)
    response = client.post(
        _format(world, address), {field: "99999999999999999999999999", **(extra or {})}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors


QUERIES = [
    "/en/events/?page=abc&past=zz",
    "/en/events/{event}/programme/?tz=Mars/Olympus",
    "/en/events/{event}/programme/timetable/?day=2030-02-30",
    "/en/events/{event}/programme/sessions/?track=zz&kind=zz&language=" + "x" * 5000,
    "/en/events/{event}/participants/?status=zz&organisation=abc&country=ZZZ&q=" + "x" * 5000,
    "/en/events/{event}/participants/export.csv?organisation=-1",
    "/en/events/{event}/participants/export.pdf",
    "/en/events/{event}/agenda/?registration=99999999999999999999",
    "/en/networking/{event}/manage/requests/?status=zz&page=-1",
    "/en/funding/?page=abc&theme=zz&country=ZZZ&q=" + "x" * 5000,
    "/en/funding/for-you/?organisation=not-mine&page=abc",
    "/en/funding/partner-searches/?call=abc&page=99999999999",
    "/en/funding/partner-searches/new/?call=99999999&organisation=zz",
    "/en/funding/calls/{open}/consortium/?lead=koln&member=abc&member=-1&add=x&remove=99999999999",
    "/en/funding/deadlines/not-a-token.ics",
]


def test_query_strings_answer_garbage_without_a_500(world):
    client = _client(world, "staff_user")
    participant = _client(world, "confirmed")
    bad = {}
    for template in QUERIES:
        url = _format(world, template)
        for who in (client, participant):
            status = who.get(url).status_code
            if status not in HANDLED:
                bad[url[:100]] = status
    assert bad == {}


# PostgreSQL refuses NUL characters in text (DataError), SQLite keeps them: a
# value read straight from the query string into a query is a 500 there. Forms
# refuse NUL with a field error (Django's ProhibitNullCharactersValidator).
ON_POSTGRESQL = connection.vendor == "postgresql"
NUL_FIXED = {
    "networking participants search": ("confirmed", "/en/networking/{event}/participants/?q=a%00b"),
}
NUL_FIXED.update(
    {
        "funding calls search": ("plain_user", "/en/funding/?q=a%00b"),
        "funding calls theme": ("plain_user", "/en/funding/?theme=a%00b"),
        "partner searches search": ("plain_user", "/en/funding/partner-searches/?q=a%00b"),
        "partner searches theme": ("plain_user", "/en/funding/partner-searches/?theme=a%00b"),
        # Staff may name any organisation, which is looked up in the database.
        "calls for you": ("staff_user", "/en/funding/for-you/?organisation=a%00b"),
        "consortium lead": ("staff_user", "/en/funding/calls/{open}/consortium/?lead=a%00b"),
        "deadline feed token": ("anonymous", "/en/funding/deadlines/a%00b.ics"),
        "record a partnership for": (
            "organisation_editor",
            "/en/partnerships/new/?organisation=a%00b",
        ),
        "api calls for an organisation": (
            "organisation_editor",
            "/api/funding/calls/for-organisation/?organisation=a%00b",
        ),
    }
)
NUL_QUERIES = {
    "agenda feed token": ("anonymous", "/en/events/agenda/a%00b.ics"),
}


@pytest.mark.parametrize("name", NUL_FIXED)
def test_nul_characters_in_fixed_query_strings_are_not_a_500(world, name):
    role, template = NUL_FIXED[name]
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(world.user(role))
    assert client.get(_format(world, template)).status_code in HANDLED


@pytest.mark.parametrize("name", NUL_QUERIES)
def test_nul_characters_in_query_strings_are_not_a_500(world, name):
    role, template = NUL_QUERIES[name]
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(world.user(role))
    assert client.get(_format(world, template)).status_code in HANDLED


def test_nul_characters_in_a_conversation_partner_are_not_a_500(world):
    client = _client(world, "organisation_editor")
    response = client.post(
        "/en/partnerships/conversations/start/",
        {"partner": "a\x00b", "organisation": str(world.organisations["koln"].pk)},
    )
    assert response.status_code in HANDLED


@pytest.mark.parametrize("field", ["lead", "purpose"])
def test_nul_characters_in_a_consortium_publication_are_not_a_500(world, field):
    # Staff's `lead` is looked up in the database; an editor's among their own.
    client = _client(world, "staff_user" if field == "lead" else "krakow_editor")
    data = {"lead": "krakow", "purpose": "We apply."}
    data[field] = f"{data[field]}\x00"
    response = client.post(f"/en/funding/calls/{world.open_call.pk}/consortium/publish/", data)
    assert response.status_code in HANDLED


# -- the API ------------------------------------------------------------------------------

API_WRITES = [
    # (role, method, address)
    ("plain_user", "post", "/api/registrations/"),
    ("confirmed", "post", "/api/registrations/{confirmed}/agenda/"),
    ("principal", "post", "/api/events/{event}/networking/requests/"),
    ("principal", "post", "/api/events/{event}/networking/requests/{request}/accept/"),
    ("principal", "post", "/api/events/{event}/networking/requests/{request}/propose/"),
    ("funder_editor", "post", "/api/funding/calls/"),
    ("funder_editor", "patch", "/api/funding/calls/{open}/"),
    ("organisation_editor", "post", "/api/funding/partner-searches/"),
    ("krakow_editor", "post", "/api/funding/partner-searches/{search}/interests/"),
    (
        "organisation_editor",
        "post",
        "/api/funding/partner-searches/{search}/interests/{interest}/status/",
    ),
    ("organisation_editor", "post", "/api/funding/partner-searches/{search}/close/"),
    ("krakow_editor", "post", "/api/funding/calls/{open}/consortium/"),
]

API_BODIES = [
    "",
    "not json",
    "[]",
    '"a string"',
    "null",
    "{}",
    '{"event": 1, "session": "abc", "recipient": -1, "slot": 1e999, "lead": []}',
    '{"title": "' + "x" * 20000 + '", "deadline": "2030-02-30T10:00:00Z", "status": "zz"}',
    '{"session": 99999999999999999999999, "recipient": 99999999999999999, "slot": 0}',
    '{"organisation": "krakow", "message": {"nested": true}, "partners": ["nobody"]}',
    '{"lead": "koln", "partners": "not-a-list"}',
    '{"deadline": "2030-11-01T10:00:00Z", "opens_at": "2030-12-01T10:00:00Z",'
    ' "funder": "F", "title": "T", "min_partners": 5, "max_partners": 2}',
]


@pytest.mark.parametrize(("role", "method", "address"), API_WRITES)
def test_api_answers_garbage_without_a_500(world, role, method, address):
    client = _client(world, role)
    url = _format(world, address)
    bad = {}
    for body in API_BODIES:
        response = getattr(client, method)(url, body, content_type="application/json")
        if response.status_code not in HANDLED:
            bad[body[:60]] = response.status_code
        elif response.status_code == 400:
            assert response["Content-Type"].startswith("application/json"), body[:60]
    assert bad == {}


# -- ids checked with str.isdigit() ------------------------------------------------------

# "²" and "١" (Arabic-Indic one) are digits to str.isdigit() but int() refuses
# "²": a view that checks an id with isdigit() and then calls int() answers 500.
SUPERSCRIPT = "\u00b2"
ISDIGIT_GETS = {
    "events agenda of a registration": (
        "staff_user",
        "/en/events/{event}/agenda/?registration=%C2%B2",
    ),
    "events room to edit": ("staff_user", "/en/events/{event}/programme/setup/?room=%C2%B2"),
    "partner searches of a call": ("plain_user", "/en/funding/partner-searches/?call=%C2%B2"),
    "partner search for a call": (
        "organisation_editor",
        "/en/funding/partner-searches/new/?call=%C2%B2",
    ),
    "consortium member": (
        "organisation_editor",
        "/en/funding/calls/{open}/consortium/?lead=koln&member=%C2%B2",
    ),
    "consortium add": (
        "organisation_editor",
        "/en/funding/calls/{open}/consortium/?lead=koln&edited=1&add=%C2%B2",
    ),
    "consortium remove": (
        "organisation_editor",
        "/en/funding/calls/{open}/consortium/?lead=koln&edited=1&remove=%C2%B2",
    ),
}
ISDIGIT_POSTS = {
    "events agenda add for a registration": (
        "confirmed",
        "/en/events/{event}/agenda/{plenary}/add/",
        {"registration": SUPERSCRIPT},
    ),
    "events room to save": (
        "staff_user",
        "/en/events/{event}/programme/setup/",
        {"action": "room", "room": SUPERSCRIPT, "name": "Sala"},
    ),
    "networking period to delete": (
        "staff_user",
        "/en/networking/{event}/manage/grid/",
        {"action": "delete_period", "period": SUPERSCRIPT},
    ),
    "funding invite an organisation": (
        "organisation_editor",
        "/en/funding/partner-searches/{search}/answers/0/",
        {"organisation": SUPERSCRIPT},
    ),
    "funding reminder days": ("plain_user", "/en/funding/reminders/", {"days_before": SUPERSCRIPT}),
    "funding call themes": (
        "funder_editor",
        "/en/funding/calls/{open}/edit/",
        {"themes": SUPERSCRIPT},
    ),
    "funding consortium publish member": (
        "krakow_editor",
        "/en/funding/calls/{open}/consortium/publish/",
        {"lead": "krakow", "member": SUPERSCRIPT},
    ),
}


@pytest.mark.parametrize("name", ISDIGIT_GETS)
def test_unicode_digits_in_query_strings_are_not_a_500(world, name):
    role, template = ISDIGIT_GETS[name]
    client = _client(world, role)
    assert client.get(_format(world, template)).status_code in HANDLED


@pytest.mark.parametrize("name", ISDIGIT_POSTS)
def test_unicode_digits_in_posts_are_not_a_500(world, name):
    role, template, data = ISDIGIT_POSTS[name]
    client = _client(world, role)
    assert client.post(_format(world, template), data).status_code in HANDLED
