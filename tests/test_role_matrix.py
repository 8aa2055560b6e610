"""Who may open which page and call which endpoint of events, networking and
funding: every role and participant situation against every address that reads
or writes something non-public.

Each case runs all roles against one freshly built world and compares the whole
table at once, so a failure names every role that got the wrong answer. Writes
run the refused roles first, so that a refusal is checked before an allowed
role changes the state; an allowed write may then meet a state an earlier
allowed role already changed (a request declined twice), hence `THROUGH`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from tests.security_world import (
    EVENT_MANAGERS,
    PARTICIPANTS,
    PLENARY_LINK,
    RECEPTION_LINK,
    ROLES,
    SEARCH_MANAGERS,
    WORKSHOP_LINK,
)

pytestmark = pytest.mark.django_db

# A write that passed the permission check: done, redirected, or refused by a
# validation rule because an earlier allowed role already did it.
THROUGH = (200, 201, 302, 400)
OK_CODES = {200, 201, 204, 302}


def expect(default, anonymous, *groups) -> dict:
    """The expected answer of every role: `default`, except for anonymous
    visitors and the (roles, answer) groups given."""
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = anonymous
    for roles, answer in groups:
        for role in roles:
            table[role] = answer
    return table


@dataclass
class Case:
    name: str
    method: str
    url: object  # world -> address
    expected: dict
    data: object = None  # world -> body
    api: bool = False

    def __str__(self):
        return self.name


def _refused_first(expected: dict) -> list[str]:
    def allowed(answer):
        answers = answer if isinstance(answer, tuple) else (answer,)
        return any(a in OK_CODES for a in answers)

    return sorted(ROLES, key=lambda role: allowed(expected[role]))


def page(url: str) -> str:
    """Pages live under a language prefix; the API does not."""
    return url if url.startswith("/api/") else "/en" + url


def answers(world, case: Case) -> dict:
    client = Client()
    url = page(case.url(world))
    data = case.data(world) if case.data else {}
    result = {}
    for role in _refused_first(case.expected):
        client.logout()
        if role != "anonymous":
            client.force_login(world.user(role))
        if case.method == "get":
            response = client.get(url, data)
        elif case.api:
            response = getattr(client, case.method)(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        expected = case.expected[role]
        got = response.status_code
        result[role] = expected if isinstance(expected, tuple) and got in expected else got
    return result


M = EVENT_MANAGERS
ORGANISERS = {"event_organiser", "other_event_organiser", "staff_user"}
SIDES = {"confirmed", "principal"}  # requester and recipient of the meeting request
PUBLISHER = {"funder_editor", "staff_user"}
KRAKOW = {"krakow_editor", "staff_user"}


def ev(path=""):
    return lambda w: f"/events/{w.event.slug}/{path}"


def nw(path=""):
    return lambda w: f"/networking/{w.event.slug}/{path}"


def api_nw(path=""):
    return lambda w: f"/api/events/{w.event.slug}/networking/{path}"


MANAGER_PAGE = expect(403, 302, (M, 200))
MANAGER_POST = expect(403, 302, (M, 302))
PARTICIPANT_PAGE = expect(403, 302, (PARTICIPANTS, 200))

CASES = [
    # -- events: organisers' pages ----------------------------------------------------
    Case("event create", "get", lambda w: "/events/new/", expect(403, 302, (ORGANISERS, 200))),
    Case("event edit", "get", ev("edit/"), MANAGER_PAGE),
    Case("rooms and days", "get", ev("programme/setup/"), MANAGER_PAGE),
    Case("session create", "get", ev("sessions/new/"), MANAGER_PAGE),
    Case(
        "session edit",
        "get",
        lambda w: f"/events/{w.event.slug}/sessions/{w.plenary.pk}/edit/",
        MANAGER_PAGE,
    ),
    Case(
        "session delete",
        "get",
        lambda w: f"/events/{w.event.slug}/sessions/{w.plenary.pk}/delete/",
        MANAGER_PAGE,
    ),
    Case("participant list", "get", ev("participants/"), MANAGER_PAGE),
    Case("participant export csv", "get", ev("participants/export.csv"), MANAGER_PAGE),
    Case("participant export xlsx", "get", ev("participants/export.xlsx"), MANAGER_PAGE),
    Case(
        "approve a registration",
        "post",
        lambda w: f"/events/{w.event.slug}/registrations/{w.registrations['pending'].pk}/approve/",
        MANAGER_POST,
    ),
    Case(
        "mark a principal",
        "post",
        lambda w: (
            f"/events/{w.event.slug}/registrations/{w.registrations['confirmed'].pk}/principal/"
        ),
        MANAGER_POST,
    ),
    # -- events: someone's registration and agenda -----------------------------------
    Case(
        "cancel someone's registration",
        "post",
        lambda w: f"/events/{w.event.slug}/registrations/{w.registrations['pending'].pk}/cancel/",
        expect(404, 302, (M | {"pending"}, 302)),
    ),
    Case(
        "someone's agenda",
        "get",
        lambda w: f"/events/{w.event.slug}/agenda/?registration={w.registrations['confirmed'].pk}",
        expect(404, 302, (M | {"confirmed"}, 200)),
    ),
    Case(
        "add to someone's agenda",
        "post",
        lambda w: f"/events/{w.event.slug}/agenda/{w.plenary.pk}/add/",
        expect(404, 302, (M | {"confirmed"}, 302)),
        data=lambda w: {"registration": w.registrations["confirmed"].pk},
    ),
    Case(
        "api: someone's registration",
        "get",
        lambda w: f"/api/registrations/{w.registrations['confirmed'].pk}/",
        expect(404, 401, ({"confirmed"}, 200)),
        api=True,
    ),
    Case(
        "api: someone's agenda",
        "get",
        lambda w: f"/api/registrations/{w.registrations['confirmed'].pk}/agenda/",
        expect(404, 401, ({"confirmed"}, 200)),
        api=True,
    ),
    Case(
        "api: cancel someone's registration",
        "post",
        lambda w: f"/api/registrations/{w.registrations['pending'].pk}/cancel/",
        expect(404, 401, ({"pending"}, 200)),
        api=True,
    ),
    # -- networking: organisers ------------------------------------------------------
    Case("networking dashboard", "get", nw("manage/"), MANAGER_PAGE),
    Case("all meeting requests", "get", nw("manage/requests/"), MANAGER_PAGE),
    Case("meeting grid", "get", nw("manage/grid/"), MANAGER_PAGE),
    Case("meeting points", "get", nw("manage/points/"), MANAGER_PAGE),
    Case(
        "meeting point edit",
        "get",
        lambda w: f"/networking/{w.event.slug}/manage/points/{w.point.pk}/",
        MANAGER_PAGE,
    ),
    Case(
        "scheduler run report",
        "get",
        lambda w: f"/networking/{w.event.slug}/manage/runs/{w.run.pk}/",
        MANAGER_PAGE,
    ),
    Case("table plan", "get", nw("manage/tables/"), MANAGER_PAGE),
    Case("networking export", "get", nw("manage/export.json"), MANAGER_PAGE),
    Case("networking import", "get", nw("manage/import/"), MANAGER_PAGE),
    Case(
        "start a scheduler run",
        "post",
        nw("manage/run/"),
        MANAGER_POST,
        data=lambda w: {"time_limit": 5},
    ),
    Case("api: networking export", "get", api_nw("export/"), expect(403, 401, (M, 200)), api=True),
    Case(
        "api: every request of the event",
        "get",
        lambda w: api_nw("requests/")(w) + "?all=1",
        expect(403, 401, (M | PARTICIPANTS, 200)),
        api=True,
    ),
    # -- networking: participants ----------------------------------------------------
    Case("networking profile", "get", nw("profile/"), PARTICIPANT_PAGE),
    Case("inbox", "get", nw("requests/"), PARTICIPANT_PAGE),
    Case("outbox", "get", nw("requests/sent/"), PARTICIPANT_PAGE),
    Case("meetings", "get", nw("meetings/"), PARTICIPANT_PAGE),
    Case("meetings calendar", "get", nw("meetings.ics"), PARTICIPANT_PAGE),
    Case("availability", "get", nw("availability/"), PARTICIPANT_PAGE),
    Case(
        "api: own requests",
        "get",
        api_nw("requests/"),
        expect(403, 401, (PARTICIPANTS, 200)),
        api=True,
    ),
    Case(
        "api: own meetings",
        "get",
        api_nw("meetings/"),
        expect(403, 401, (PARTICIPANTS, 200)),
        api=True,
    ),
    # -- networking: a meeting request of others -------------------------------------
    Case(
        "answer someone's request",
        "post",
        lambda w: f"/networking/{w.event.slug}/requests/{w.meeting_request.pk}/answer/",
        # The requester may not answer their own request; third parties do
        # not learn it exists; people without a confirmed registration are
        # sent to register first.
        expect(403, 302, ({"principal"}, 302), ({"invited"}, 404)),
        data=lambda w: {f"r{w.meeting_request.pk}-action": "decline"},
    ),
    Case(
        "cancel someone's request",
        "post",
        lambda w: f"/networking/{w.event.slug}/requests/{w.meeting_request.pk}/cancel/",
        expect(404, 302, (M | SIDES, 302)),
    ),
    Case(
        "api: read someone's request",
        "get",
        lambda w: api_nw(f"requests/{w.meeting_request.pk}/")(w),
        expect(404, 401, (M | SIDES, 200)),
        api=True,
    ),
    Case(
        "api: decline someone's request",
        "post",
        lambda w: api_nw(f"requests/{w.meeting_request.pk}/decline/")(w),
        # Managers may answer for a participant (as they may register one).
        expect(404, 401, (M | {"principal"}, THROUGH), ({"confirmed"}, 403)),
        api=True,
    ),
    Case(
        "api: cancel someone's request",
        "post",
        lambda w: api_nw(f"requests/{w.meeting_request.pk}/cancel/")(w),
        expect(404, 401, (M | SIDES, THROUGH)),
        api=True,
    ),
    # -- funding: calls --------------------------------------------------------------
    Case(
        "draft call",
        "get",
        lambda w: f"/funding/calls/{w.draft_call.pk}/",
        expect(404, 404, (PUBLISHER, 200)),
    ),
    Case(
        "edit a draft call",
        "get",
        lambda w: f"/funding/calls/{w.draft_call.pk}/edit/",
        expect(404, 302, (PUBLISHER, 200)),
    ),
    Case(
        "edit an open call",
        "get",
        lambda w: f"/funding/calls/{w.open_call.pk}/edit/",
        expect(403, 302, (PUBLISHER, 200)),
    ),
    Case(
        "follow a draft call",
        "post",
        lambda w: f"/funding/calls/{w.draft_call.pk}/follow/",
        expect(404, 302, (PUBLISHER, 302)),
    ),
    Case(
        "api: draft call",
        "get",
        lambda w: f"/api/funding/calls/{w.draft_call.pk}/",
        expect(404, 404, (PUBLISHER, 200)),
        api=True,
    ),
    Case(
        "api: change a draft call",
        "patch",
        lambda w: f"/api/funding/calls/{w.draft_call.pk}/",
        expect(404, 401, (PUBLISHER, 200)),
        data=lambda w: {"title": "Renamed"},
        api=True,
    ),
    Case(
        "api: change an open call",
        "patch",
        lambda w: f"/api/funding/calls/{w.open_call.pk}/",
        expect(403, 401, (PUBLISHER, 200)),
        data=lambda w: {"title": "Renamed"},
        api=True,
    ),
    Case(
        "api: calls for an organisation one does not edit",
        "get",
        lambda w: "/api/funding/calls/for-organisation/?organisation=krakow",
        expect(404, 401, (KRAKOW, 200)),
        api=True,
    ),
    # -- funding: consortium builder for an organisation one does not edit ------------
    Case(
        "consortium for Kraków",
        "get",
        lambda w: f"/funding/calls/{w.open_call.pk}/consortium/?lead=krakow",
        expect(404, 302, (KRAKOW, 200)),
    ),
    Case(
        "publish a consortium for Kraków",
        "post",
        lambda w: f"/funding/calls/{w.open_call.pk}/consortium/publish/",
        expect(404, 302, (KRAKOW, 302)),
        data=lambda w: {"lead": "krakow"},
    ),
    Case(
        "consortium of a search for Köln",
        "get",
        lambda w: f"/funding/partner-searches/{w.search.pk}/consortium/?lead=koln",
        expect(404, 302, (SEARCH_MANAGERS, 200)),
    ),
    Case(
        "api: consortium for Kraków",
        "post",
        lambda w: f"/api/funding/calls/{w.open_call.pk}/consortium/",
        expect(404, 401, (KRAKOW, 200)),
        data=lambda w: {"lead": "krakow"},
        api=True,
    ),
    # -- funding: partner-search management ------------------------------------------
    Case(
        "shortlist an answer",
        "post",
        lambda w: f"/funding/partner-searches/{w.search.pk}/answers/{w.interest.pk}/",
        expect(403, 302, (SEARCH_MANAGERS, 302)),
        data=lambda w: {"status": "shortlisted"},
    ),
    Case(
        "invite to a search",
        "post",
        lambda w: f"/funding/partner-searches/{w.search.pk}/answers/0/",
        expect(403, 302, (SEARCH_MANAGERS, 302)),
        data=lambda w: {"organisation": w.organisations["funder"].pk},
    ),
    Case(
        "close a search",
        "post",
        lambda w: f"/funding/partner-searches/{w.search.pk}/close/",
        expect(403, 302, (SEARCH_MANAGERS, 302)),
    ),
    Case(
        "api: shortlist an answer",
        "post",
        lambda w: f"/api/funding/partner-searches/{w.search.pk}/interests/{w.interest.pk}/status/",
        expect(403, 401, (SEARCH_MANAGERS, THROUGH)),
        data=lambda w: {"status": "shortlisted"},
        api=True,
    ),
    Case(
        "api: close a search",
        "post",
        lambda w: f"/api/funding/partner-searches/{w.search.pk}/close/",
        expect(403, 401, (SEARCH_MANAGERS, THROUGH)),
        data=lambda w: {"complete": True},
        api=True,
    ),
    Case(
        "api: answer for an organisation one does not edit",
        "post",
        lambda w: f"/api/funding/partner-searches/{w.search.pk}/interests/",
        # Staff read everything but do not speak for an organisation.
        expect(404, 401, ({"krakow_editor"}, THROUGH), ({"staff_user"}, 403)),
        data=lambda w: {"organisation": "krakow", "message": "Again"},
        api=True,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_role_matrix(world, case):
    assert answers(world, case) == case.expected


# -- what a page shows depends on the role too --------------------------------------------

LINK_AUDIENCES = {
    # Online links: the event's managers and the confirmed participants the
    # session is open to; never a pending participant.
    "plenary": (PLENARY_LINK, M | PARTICIPANTS),
    "reception": (RECEPTION_LINK, M | {"principal"}),
    "workshop": (WORKSHOP_LINK, M | {"invited"}),
}

LINK_ADDRESSES = {
    "session page": lambda w, s: f"/events/{w.event.slug}/sessions/{s.pk}/",
    "session calendar": lambda w, s: f"/events/{w.event.slug}/sessions/{s.pk}.ics",
    "programme calendar": lambda w, s: f"/events/{w.event.slug}/programme.ics",
    "api session": lambda w, s: f"/api/events/{w.event.slug}/sessions/{s.pk}/",
    "api programme": lambda w, s: f"/api/events/{w.event.slug}/sessions/",
}


def _who_sees(world, url, needle) -> set[str]:
    client = Client()
    seen = set()
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world.user(role))
        response = client.get(page(url))
        assert response.status_code == 200, (role, url, response.status_code)
        if needle in response.content.decode():
            seen.add(role)
    return seen


@pytest.mark.parametrize("address", LINK_ADDRESSES)
@pytest.mark.parametrize("session_name", LINK_AUDIENCES)
def test_online_links_only_for_their_audience(world, address, session_name):
    link, audience = LINK_AUDIENCES[session_name]
    session = getattr(world, session_name)
    assert _who_sees(world, LINK_ADDRESSES[address](world, session), link) == audience


def test_private_agenda_feed_carries_only_the_links_of_its_participant(world):
    client = Client()
    for role in ("confirmed", "principal", "invited", "pending"):
        registration = world.registrations[role]
        for session in (world.plenary, world.reception, world.workshop):
            registration.agenda_items.get_or_create(session=session)
        text = client.get(f"/en/events/agenda/{registration.feed_token}.ics").content.decode()
        shown = {name for name, (link, _) in LINK_AUDIENCES.items() if link in text}
        expected = {name for name, (_, audience) in LINK_AUDIENCES.items() if role in audience}
        assert shown == expected, role
    assert client.get("/en/events/agenda/not-a-token.ics").status_code == 404


def test_answers_to_a_partner_search_only_for_its_owner_and_the_answering_organisation(world):
    message = world.interest.message
    readers = SEARCH_MANAGERS | {"krakow_editor"}
    assert _who_sees(world, f"/funding/partner-searches/{world.search.pk}/", message) == readers
    api_readers = _who_sees_api(
        world, f"/api/funding/partner-searches/{world.search.pk}/interests/"
    )
    assert {role for role, body in api_readers.items() if message in body} == readers


def _who_sees_api(world, url) -> dict[str, str]:
    client = Client()
    bodies = {}
    for role in ROLES:
        if role == "anonymous":
            assert client.get(url).status_code == 401
            continue
        client.force_login(world.user(role))
        response = client.get(url)
        assert response.status_code == 200, role
        bodies[role] = response.content.decode()
        client.logout()
    return bodies


def test_meeting_request_messages_only_for_the_two_sides_and_the_managers(world):
    message = world.meeting_request.message
    seen = set()
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(world.user(role))
        for url in (
            f"/networking/{world.event.slug}/requests/",
            f"/networking/{world.event.slug}/requests/sent/",
            f"/networking/{world.event.slug}/manage/requests/",
            f"/api/events/{world.event.slug}/networking/requests/?all=1",
        ):
            response = client.get(page(url))
            if response.status_code == 200 and message in response.content.decode():
                seen.add(role)
    assert seen == M | SIDES


def test_participant_e_mails_only_in_the_organisers_pages(world):
    email = world.registrations["pending"].participant_email
    client = Client()
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world.user(role))
        for url in (
            f"/events/{world.event.slug}/",
            f"/events/{world.event.slug}/programme/",
            f"/networking/{world.event.slug}/participants/",
            f"/api/events/{world.event.slug}/sessions/",
        ):
            response = client.get(page(url), follow=True)
            assert email not in response.content.decode() or role in M | {"pending"}, (role, url)


# -- found by this review, for the owners of the apps to fix ----------------------------


@pytest.mark.parametrize("page", ["call", "search"])
def test_consortium_builder_does_not_reveal_hidden_organisations(world, page):
    from municipia.directory.enums import OrganisationType, Visibility
    from municipia.directory.models import Organisation

    hidden = Organisation.objects.create(
        name="Hidden Town Hall",
        slug="hidden-town",
        kind=OrganisationType.MUNICIPALITY,
        country="DE",
        visibility=Visibility.HIDDEN,
    )
    client = Client()
    client.force_login(world.user("organisation_editor"))
    base = (
        f"/en/funding/calls/{world.open_call.pk}/consortium/"
        if page == "call"
        else f"/en/funding/partner-searches/{world.search.pk}/consortium/"
    )
    response = client.get(f"{base}?lead=koln&edited=1&member={hidden.pk}")
    assert response.status_code in (200, 404)
    assert "Hidden Town Hall" not in response.content.decode()


@pytest.mark.parametrize("visibility", ["members", "invitation"])
def test_feeds_of_events_one_may_not_see_answer_like_their_pages(world, visibility):
    from municipia.events import services as event_services

    event_services.update_event(
        actor=world.users["event_organiser"],
        event=world.event,
        visibility=visibility,
        is_published=True,
    )
    client = Client()
    for url in (
        f"/en/events/{world.event.slug}/",
        f"/en/events/{world.event.slug}/programme.ics",
        f"/en/events/{world.event.slug}/sessions/{world.plenary.pk}.ics",
    ):
        assert client.get(url).status_code == 404, url
