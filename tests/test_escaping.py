"""Text that people type is shown as text: in pages, e-mails, iCalendar files
and programme exports, a title such as `<script>…` or `"><img onerror=…>` never
becomes markup, and a line break in a title never starts a new calendar line.

The world is the role matrix's, with hostile text in every title, description,
message, purpose, summary and name."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.test import Client

from municipia.events.programme_io import export_programme
from municipia.events.services import register
from tests.security_world import ROLES, build_world

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(2)>'
INJECTED = "ATTENDEE:mailto:evil@example.org"
# Hostile markup, and a line break that would start a property of its own if it
# reached a calendar file unescaped.
HOSTILE = f"{SCRIPT} {IMAGE}\r\n{INJECTED}"
RAW_MARKUP = ("<script>alert(", "<img src=x")


@pytest.fixture
def world(world_roles):
    for org in (world_roles["organisation"], world_roles["other_organisation"]):
        org.name = f"{org.name} {HOSTILE}"
        org.save(update_fields=["name"])
    return build_world(**world_roles, title=f"Retreat {HOSTILE}", text=HOSTILE)


def _raw_markup(text: str) -> list[str]:
    return [needle for needle in RAW_MARKUP if needle in text]


PAGES = {
    # Who looks: the pages that show the most of the hostile text to them.
    "staff_user": [
        "/en/events/",
        "/en/events/{event}/",
        "/en/events/{event}/edit/",
        "/en/events/{event}/programme/",
        "/en/events/{event}/programme/timetable/?day=2030-11-06",
        "/en/events/{event}/programme/sessions/",
        "/en/events/{event}/programme/setup/",
        "/en/events/{event}/sessions/{plenary}/",
        "/en/events/{event}/sessions/{plenary}/edit/",
        "/en/events/{event}/participants/",
        "/en/events/{event}/agenda/?registration={confirmed}",
        "/en/networking/{event}/manage/",
        "/en/networking/{event}/manage/requests/",
        "/en/networking/{event}/manage/tables/",
        "/en/networking/{event}/manage/points/",
        "/en/funding/",
        "/en/funding/calls/{draft}/",
        "/en/funding/calls/{open}/",
        "/en/funding/calls/{open}/edit/",
        "/en/funding/partner-searches/",
        "/en/funding/partner-searches/{search}/",
        "/en/funding/calls/{open}/consortium/?lead=koln",
        "/en/",
    ],
    "confirmed": [
        "/en/events/{event}/agenda/",
        "/en/networking/{event}/requests/sent/",
        "/en/networking/{event}/participants/",
        "/en/networking/{event}/recommendations/",
        "/en/notifications/",
    ],
    "principal": [
        "/en/networking/{event}/requests/",
        "/en/networking/{event}/requests/new/{confirmed}/",
        "/en/notifications/",
    ],
    "organisation_editor": [
        "/en/funding/partner-searches/{search}/",
        "/en/funding/for-you/",
        "/en/notifications/",
    ],
    "krakow_editor": ["/en/funding/partner-searches/{search}/"],
}


def _address(world, template: str) -> str:
    return template.format(
        event=world.event.slug,
        plenary=world.plenary.pk,
        confirmed=world.registrations["confirmed"].pk,
        draft=world.draft_call.pk,
        open=world.open_call.pk,
        search=world.search.pk,
    )


@pytest.mark.parametrize("role", PAGES)
def test_pages_escape_user_text(world, role):
    client = Client()
    client.force_login(world.user(role))
    problems = {}
    for template in PAGES[role]:
        url = _address(world, template)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        text = response.content.decode()
        # The hostile text is on the page (escaped), not silently dropped.
        if not url.endswith(("/manage/", "/en/", "/notifications/")):
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, url
        if found := _raw_markup(text):
            problems[url] = found
    assert problems == {}


def test_api_answers_are_json_not_markup(world):
    client = Client()
    client.force_login(world.user("staff_user"))
    for url in (
        f"/api/events/{world.event.slug}/",
        f"/api/events/{world.event.slug}/sessions/",
        f"/api/events/{world.event.slug}/networking/requests/?all=1",
        f"/api/funding/calls/{world.open_call.pk}/",
        f"/api/funding/partner-searches/{world.search.pk}/interests/",
    ):
        response = client.get(url, HTTP_ACCEPT="application/json")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert HOSTILE in response.content.decode("unicode_escape") or HOSTILE in json.dumps(
            response.json(), ensure_ascii=False
        ), url


# -- iCalendar ---------------------------------------------------------------------------


def _calendar_properties(text: str) -> list[str]:
    """The names of the content lines of a calendar, after unfolding (RFC 5545 §3.1)."""
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    assert "\r" not in unfolded.replace("\r\n", ""), "a bare CR in the calendar"
    lines = [line for line in unfolded.split("\r\n") if line]
    for line in lines:
        assert "\n" not in line, "a bare LF in the calendar"
    return [re.split(r"[;:]", line, maxsplit=1)[0] for line in lines]


def test_calendars_keep_line_breaks_inside_their_values(world):
    client = Client()
    owner = world.registrations["confirmed"]
    owner.agenda_items.get_or_create(session=world.plenary)
    client.force_login(world.user("confirmed"))
    follow = client.post(f"/en/funding/calls/{world.open_call.pk}/follow/")
    assert follow.status_code == 302
    alerts = client.get("/en/funding/reminders/")
    feed_url = alerts.context["feed_url"]
    addresses = [
        f"/en/events/{world.event.slug}/programme.ics",
        f"/en/events/{world.event.slug}/sessions/{world.plenary.pk}.ics",
        f"/en/events/agenda/{owner.feed_token}.ics",
        f"/en/networking/{world.event.slug}/meetings.ics",
        feed_url.split("testserver", 1)[-1],
    ]
    for url in addresses:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "ATTENDEE" not in _calendar_properties(text), url
        assert "evil@example.org" in text or url.endswith("meetings.ics"), url


# -- programme exports -------------------------------------------------------------------


def test_frab_xml_keeps_titles_as_text(world):
    text = export_programme(world.event, "frab-xml", base_url="https://municipia.example")
    root = ET.fromstring(text)  # noqa: S314 (our own output)
    titles = [element.text or "" for element in root.iter("title")]
    assert any(SCRIPT in title and IMAGE in title for title in titles)
    # No element came out of the text.
    assert not list(root.iter("script")) and not list(root.iter("img"))


def test_schedule_json_keeps_titles_as_text(world):
    data = json.loads(
        export_programme(world.event, "schedule-json", base_url="https://municipia.example")
    )
    titles = [
        talk["title"]
        for day in data["schedule"]["conference"]["days"]
        for talks in day["rooms"].values()
        for talk in talks
    ]
    assert any(SCRIPT in title for title in titles)


def test_ical_export_keeps_line_breaks_inside_values(world):
    text = export_programme(world.event, "ical", base_url="https://municipia.example")
    assert "ATTENDEE" not in _calendar_properties(text)


# -- e-mails ---------------------------------------------------------------------------


def _check_messages(messages):
    assert messages
    for message in messages:
        assert "\n" not in message.subject and "\r" not in message.subject
        message.message()  # builds the headers: a line break there would raise
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                assert not _raw_markup(content), message.subject


def test_registration_e_mail_subjects_are_one_line_and_html_parts_escaped(world, settings):
    mail.outbox.clear()
    register(
        actor=world.user("plain_user"),
        event=world.event,
        participant=world.user("plain_user"),
        participant_name=f"Someone {HOSTILE}",
        answers={"position": "officer"},
    )
    _check_messages(mail.outbox)


def test_notification_e_mails_survive_a_line_break_in_a_title(world):
    from municipia.notifications.models import Notification

    # The world notified the partner search's owners and the meeting request's
    # recipient, all with e-mail addresses: every notification was e-mailed.
    assert Notification.objects.exists()
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_every_role_sees_the_event_page_escaped(world):
    client = Client()
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world.user(role))
        text = client.get(f"/en/events/{world.event.slug}/").content.decode()
        assert not _raw_markup(text), role


# -- exports to spreadsheets and redirects ---------------------------------------------

FORMULAS = ('=HYPERLINK("https://evil.example","x")', "+1+1", "@SUM(A1)", "-2+3")


def test_participant_exports_do_not_carry_formulas(world):
    import csv
    import io

    from openpyxl import load_workbook

    confirmed = world.registrations["confirmed"]
    confirmed.participant_name = FORMULAS[0]
    confirmed.dietary_needs = FORMULAS[1]
    confirmed.accessibility_needs = FORMULAS[2]
    confirmed.save()
    pending = world.registrations["pending"]
    pending.participant_name = FORMULAS[3]
    pending.save()
    client = Client()
    client.force_login(world.user("staff_user"))

    response = client.get(f"/en/events/{world.event.slug}/participants/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert any(cell.endswith(FORMULAS[0]) for cell in cells)
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]

    response = client.get(f"/en/events/{world.event.slug}/participants/export.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    types = {
        cell.data_type
        for row in workbook.active.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.lstrip("'").startswith(("=", "+", "@"))
    }
    assert types == {"s"}


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_next_addresses_stay_on_the_site(world, target):
    client = Client()
    client.force_login(world.user("confirmed"))
    slug = world.event.slug
    registration = world.registrations["confirmed"]
    responses = [
        client.post(f"/en/events/{slug}/agenda/{world.plenary.pk}/add/", {"next": target}),
        client.post(f"/en/events/{slug}/agenda/{world.plenary.pk}/remove/", {"next": target}),
        client.post(
            f"/en/networking/{slug}/requests/{world.meeting_request.pk}/cancel/", {"next": target}
        ),
    ]
    client.force_login(world.user("staff_user"))
    responses.append(
        client.post(
            f"/en/events/{slug}/registrations/{registration.pk}/attended/", {"next": target}
        )
    )
    client.force_login(world.user("confirmed"))
    responses.append(
        client.post(f"/en/events/{slug}/registrations/{registration.pk}/cancel/", {"next": target})
    )
    for response in responses:
        assert response.status_code == 302
        assert "evil.example" not in response["Location"]
