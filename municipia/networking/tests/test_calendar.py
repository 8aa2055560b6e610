"""Meetings reach the agenda's calendar feed through ``selectors.calendar_entries``."""

from municipia.events.formats.ical import render_calendar
from municipia.networking import selectors, services
from municipia.networking.models import Meeting

from .conftest import at


def test_meetings_as_calendar_entries(event, event_organiser, grid, anna, piotr):
    meeting_request = services.send_request(
        actor=anna.user, requester=anna, recipient=piotr, message="Heat pumps"
    )
    services.accept_request(actor=piotr.user, meeting_request=meeting_request)
    services.run_scheduler(actor=event_organiser, event=event)
    [entry] = selectors.calendar_entries(anna)
    assert entry.summary == "Meeting with Piotr Nowak"
    assert entry.start == at(14) and entry.location == Meeting.objects.get().meeting_point.name
    assert entry.tz_name == "Europe/Brussels"
    text = render_calendar(selectors.calendar_entries(piotr), name="Agenda")
    assert "SUMMARY:Meeting with Anna Schmidt" in text
    assert f"UID:networking-meeting-{meeting_request.pk}@municipia" in text


def test_busy_intervals_agree_with_events(event, anna):
    """The scheduler's batched reading of agendas gives what events'
    ``busy_intervals`` gives, less networking sessions, plus blocked times."""
    from municipia.events.selectors import busy_intervals

    from .conftest import attend

    attend(anna, event, at(9), at(10))
    attend(anna, event, at(11), at(12), title="Workshop")
    services.block_time(actor=anna.user, registration=anna, starts_at=at(16), ends_at=at(17))
    batched = selectors.busy_intervals_of([anna])[anna.pk]
    assert sorted(batched) == sorted([*busy_intervals(anna), (at(16), at(17))])


def test_meetings_in_the_agenda_page_and_its_feed(
    client, event, event_organiser, grid, anna, piotr
):
    from django.urls import reverse

    meeting_request = services.send_request(
        actor=anna.user, requester=anna, recipient=piotr, message="Heat pumps"
    )
    client.force_login(anna.user)
    agenda = reverse("events:agenda", kwargs={"slug": event.slug})
    assert "Meetings at the networking centre" not in client.get(agenda).content.decode()
    services.accept_request(actor=piotr.user, meeting_request=meeting_request)
    services.run_scheduler(actor=event_organiser, event=event)
    point = Meeting.objects.get().meeting_point.name
    page = client.get(agenda).content.decode()
    assert "Meetings at the networking centre" in page
    section = page[page.index("Meetings at the networking centre") :]
    assert "Piotr Nowak" in section and point in section and "14:00</time>–14:20" in section
    anna.refresh_from_db()
    feed = client.get(reverse("events:agenda_feed", kwargs={"token": anna.feed_token}))
    text = feed.content.decode()
    assert "SUMMARY:Meeting with Piotr Nowak" in text
    assert f"UID:networking-meeting-{meeting_request.pk}@municipia" in text
