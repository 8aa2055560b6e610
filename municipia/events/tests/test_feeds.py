"""iCalendar feeds: personal (by token), programme, session; audience rules in them."""

import pytest
from django.urls import reverse

from conftest import make_user
from municipia.events import services
from municipia.events.enums import SessionAudience
from municipia.events.tests.core_helpers import register_mayor

pytest_plugins = ["municipia.events.tests.core_fixtures"]


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    lines: list[str] = []
    for line in text.split("\r\n")[:-1]:
        assert len(line.encode()) <= 75
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def events_of(text: str) -> list[dict[str, str]]:
    found, current = [], None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name.split(";")[0]] = value
    return found


@pytest.fixture
def mayor(retreat):
    user = make_user("mayor@example.org")
    return register_mayor(retreat, user)


@pytest.fixture
def officer(retreat):
    user = make_user("officer@example.org")
    return services.register(actor=user, event=retreat, answers={"position": "officer"})


def test_personal_feed_holds_the_event_and_the_agenda_in_the_event_time_zone(
    client, retreat, plenary, reception, mayor
):
    services.add_to_agenda(actor=mayor.user, registration=mayor, session=plenary)
    services.add_to_agenda(actor=mayor.user, registration=mayor, session=reception)
    response = client.get(reverse("events:agenda_feed", kwargs={"token": mayor.feed_token}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "private" in response["Cache-Control"]
    text = response.content.decode()
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Madrid" in text
    entries = events_of(text)
    assert [e["SUMMARY"] for e in entries] == [
        "CEMR Strategic Retreat",
        "Opening plenary",
        "Reception at the City Hall",
    ]
    plenary_entry = entries[1]
    assert "TZID=Europe/Madrid:" in next(
        line for line in unfold(text) if line.startswith("DTSTART;TZID")
    )
    assert plenary_entry["DTSTART"].endswith("T093000")
    assert "https://meet.example.org/opening" in plenary_entry["DESCRIPTION"]
    # The reception's time is "tbc": tentative in calendars; the mayor may join.
    assert entries[2]["STATUS"] == "TENTATIVE"
    assert "https://meet.example.org/reception" in entries[2]["DESCRIPTION"]


def test_unknown_token_is_not_found(client, retreat):
    assert client.get(reverse("events:agenda_feed", kwargs={"token": "guess"})).status_code == 404


def test_cancelled_registration_feed_marks_the_event_cancelled(client, retreat, officer):
    services.cancel_registration(actor=officer.user, registration=officer)
    response = client.get(reverse("events:agenda_feed", kwargs={"token": officer.feed_token}))
    [entry] = events_of(response.content.decode())
    assert entry["STATUS"] == "CANCELLED"


def test_programme_feed_never_leaks_links_to_those_a_session_is_not_open_to(
    client, retreat, plenary, reception, officer, mayor
):
    url = reverse("events:programme_feed", kwargs={"slug": retreat.slug})
    anonymous = client.get(url).content.decode()
    assert "meet.example.org" not in anonymous
    assert [e["SUMMARY"] for e in events_of(anonymous)][1:] == [
        "Opening plenary",
        "Reception at the City Hall",
    ]

    client.force_login(officer.user)
    text = client.get(url).content.decode()
    assert "https://meet.example.org/opening" in text
    assert "https://meet.example.org/reception" not in text

    client.force_login(mayor.user)
    assert "https://meet.example.org/reception" in client.get(url).content.decode()


def test_session_feed(client, retreat, reception, officer, mayor):
    url = reverse("events:session_feed", kwargs={"slug": retreat.slug, "pk": reception.pk})
    client.force_login(officer.user)
    [entry] = events_of(client.get(url).content.decode())
    assert entry["SUMMARY"] == "Reception at the City Hall"
    assert entry["LOCATION"] == "Ajuntament de Barcelona"
    assert "meet.example.org" not in entry.get("DESCRIPTION", "")
    client.force_login(mayor.user)
    assert "https://meet.example.org/reception" in client.get(url).content.decode()


def test_feeds_of_members_only_events(client, retreat, plenary, event_organiser, member_user):
    services.update_event(actor=event_organiser, event=retreat, visibility="members")
    url = reverse("events:programme_feed", kwargs={"slug": retreat.slug})
    # As the event's page: for those who may not see it, the event does not exist.
    assert client.get(url).status_code == 404
    client.force_login(member_user)
    assert client.get(url).status_code == 200


def test_unpublished_event_feeds_are_not_found(client, retreat, plenary, event_organiser):
    services.update_event(actor=event_organiser, event=retreat, is_published=False)
    url = reverse("events:session_feed", kwargs={"slug": retreat.slug, "pk": plenary.pk})
    assert client.get(url).status_code == 404
    client.force_login(event_organiser)
    assert client.get(url).status_code == 200


def test_invited_session_link_only_for_the_invited(
    client, retreat, plenary, officer, mayor, event_organiser
):
    services.save_session(
        actor=event_organiser,
        event=retreat,
        session=plenary,
        audience=SessionAudience.INVITED,
        invited=[officer],
    )
    url = reverse("events:programme_feed", kwargs={"slug": retreat.slug})
    client.force_login(mayor.user)
    assert "meet.example.org/opening" not in client.get(url).content.decode()
    client.force_login(officer.user)
    assert "meet.example.org/opening" in client.get(url).content.decode()
