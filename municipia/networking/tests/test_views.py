import io
import json

import pytest
from django.urls import reverse

from municipia.networking import services
from municipia.networking.enums import RequestStatus
from municipia.networking.models import Meeting, MeetingPoint, MeetingRequest, SchedulerRun

from .conftest import at, register


def url(name, event, *args):
    return reverse(f"networking:{name}", args=[event.slug, *args])


@pytest.fixture
def as_anna(client, anna):
    client.force_login(anna.user)
    return client


def test_anonymous_users_are_sent_to_log_in(client, event):
    response = client.get(url("meetings", event))
    assert response.status_code == 302 and "login" in response["Location"]


def test_unpublished_event_is_not_found(client, event, plain_user):
    event.is_published = False
    event.save()
    client.force_login(plain_user)
    assert client.get(url("meetings", event)).status_code == 404


def test_someone_not_registered_is_told_to_register(client, event, plain_user):
    client.force_login(plain_user)
    response = client.get(url("meetings", event))
    assert response.status_code == 403
    assert reverse("events:detail", args=[event.slug]) in response.content.decode()


def test_the_event_page_leads_confirmed_participants_to_the_networking_centre(
    client, event, organisation, event_organiser
):
    lena = register(event, "Lena Fischer", "lena@koeln.example", organisation)
    client.force_login(lena.user)
    page = reverse("events:detail", args=[event.slug])
    assert url("home", event) not in client.get(page).content.decode()  # no grid yet
    services.save_grid(actor=event_organiser, event=event)
    assert url("home", event) in client.get(page).content.decode()
    lena.status = "cancelled"
    lena.save()
    assert url("home", event) not in client.get(page).content.decode()


def test_profile_opt_in_then_recommendations(client, event, grid, organisation):
    newcomer = register(event, "Lena Fischer", "lena@koeln.example", organisation)
    client.force_login(newcomer.user)
    assert client.get(url("home", event))["Location"] == url("profile", event)
    response = client.post(
        url("profile", event),
        {"topics": "Energy poverty", "languages": ["de", "en"], "mode": "both"},
    )
    assert response.status_code == 302
    assert newcomer.networking_profile.languages == ["de", "en"]
    assert client.get(url("recommendations", event)).status_code == 200


def test_profile_form_errors_are_shown(as_anna, event):
    response = as_anna.post(url("profile", event), {"mode": "teleport"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_request_sent_answered_and_listed(client, event, grid, anna, piotr):
    client.force_login(anna.user)
    page = client.get(url("request_new", event, piotr.pk))
    assert page.status_code == 200
    response = client.post(
        url("request_new", event, piotr.pk),
        {"message": "Heat pumps <b>together</b>?", "mode": "any", "priority": "2"},
    )
    assert response.status_code == 302
    outbox = client.get(url("outbox", event)).content.decode()
    assert "Heat pumps &lt;b&gt;together&lt;/b&gt;?" in outbox  # user text escaped
    meeting_request = MeetingRequest.objects.get()
    client.force_login(piotr.user)
    assert "Send the answer" in client.get(url("inbox", event)).content.decode()
    client.post(
        url("request_answer", event, meeting_request.pk),
        {f"r{meeting_request.pk}-action": "accept", f"r{meeting_request.pk}-response": "Gladly"},
    )
    meeting_request.refresh_from_db()
    assert meeting_request.status == RequestStatus.ACCEPTED


def test_answer_by_someone_else_is_not_found(client, event, grid, anna, piotr, aino):
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    client.force_login(aino.user)
    response = client.post(
        url("request_answer", event, meeting_request.pk),
        {f"r{meeting_request.pk}-action": "accept"},
    )
    assert response.status_code == 404


def test_propose_without_a_time_is_refused_with_a_message(client, event, grid, anna, piotr):
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    client.force_login(piotr.user)
    response = client.post(
        url("request_answer", event, meeting_request.pk),
        {f"r{meeting_request.pk}-action": "propose"},
        follow=True,
    )
    assert "Choose the time you propose." in response.content.decode()
    assert MeetingRequest.objects.get().status == RequestStatus.REQUESTED


def test_participant_pages_refuse_the_organisers_pages(as_anna, event):
    for name in ("dashboard", "grid", "points", "table_plan", "import", "export"):
        assert as_anna.get(url(name, event)).status_code == 403


def test_organiser_sets_up_and_runs_the_scheduler(
    client, event, event_organiser, grid, anna, piotr, django_capture_on_commit_callbacks
):
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    services.accept_request(actor=piotr.user, meeting_request=meeting_request)
    client.force_login(event_organiser)
    assert client.get(url("dashboard", event)).status_code == 200
    response = client.post(
        url("points", event),
        {"name": "Table 3", "kind": "on_site", "capacity": 2, "order": 0, "is_active": "on"},
    )
    assert response.status_code == 302 and MeetingPoint.objects.filter(name="Table 3").exists()
    response = client.post(
        url("points", event), {"name": "Room", "kind": "virtual", "capacity": 2, "order": 0}
    )
    assert response.status_code == 200  # a virtual room needs a link
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("run", event), {"time_limit": 5})
    run = SchedulerRun.objects.get()
    assert response["Location"] == url("run_report", event, run.pk)
    report = client.get(response["Location"]).content.decode()
    assert "proven optimal" in report
    plan = client.get(url("table_plan", event)).content.decode()
    assert "Anna Schmidt" in plan and "Piotr Nowak" in plan
    client.force_login(anna.user)
    meetings = client.get(url("meetings", event)).content.decode()
    assert "Piotr Nowak" in meetings and Meeting.objects.get().meeting_point.name in meetings


def test_grid_settings_period_and_slots(client, event, event_organiser, grid):
    client.force_login(event_organiser)
    response = client.post(
        url("grid", event),
        {
            "action": "period",
            "name": "Morning",
            "starts_at": "2027-03-11T09:00",
            "ends_at": "2027-03-11T10:00",
        },
    )
    assert response.status_code == 302
    period = event.meeting_grid.periods.get()
    assert period.starts_at == at(9, day=11)  # read in the event's time zone
    client.post(url("grid", event), {"action": "build"})
    assert event.meeting_slots.count() == 4
    response = client.post(
        url("grid", event),
        {"action": "period", "starts_at": "2027-03-11T10:00", "ends_at": "2027-03-11T09:00"},
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_blocked_times(as_anna, event, anna):
    response = as_anna.post(
        url("availability", event), {"starts_at": "2027-03-10T14:00", "ends_at": "2027-03-10T14:30"}
    )
    assert response.status_code == 302
    block = anna.availability_blocks.get()
    assert block.starts_at == at(14)
    as_anna.post(url("availability_delete", event, block.pk))
    assert not anna.availability_blocks.exists()


def test_export_then_import_round_trip(client, event, event_organiser, grid, anna, piotr):
    services.block_time(actor=anna.user, registration=anna, starts_at=at(14), ends_at=at(14, 20))
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    services.accept_request(actor=piotr.user, meeting_request=meeting_request)
    services.run_scheduler(actor=event_organiser, event=event)
    client.force_login(event_organiser)
    data = json.loads(client.get(url("export", event)).content)
    assert data["format"] == "municipia-networking" and len(data["meetings"]) == 1
    assert "BEGIN:VAVAILABILITY" in data["availability"]
    # Import into a clean state: the request and meeting come back, the block too.
    MeetingRequest.objects.all().delete()
    anna.availability_blocks.all().delete()
    upload = io.BytesIO(json.dumps(data).encode())
    upload.name = "networking.json"
    response = client.post(url("import", event), {"file": upload})
    assert response.status_code == 302
    assert Meeting.objects.get().request.requester == anna
    assert [(b.starts_at, b.ends_at) for b in anna.availability_blocks.all()] == [
        (at(14), at(14, 20))
    ]


def test_import_with_problems_writes_nothing(client, event, event_organiser, grid, anna):
    client.force_login(event_organiser)
    data = {
        "format": "municipia-networking",
        "version": 1,
        "requests": [
            {"id": "1", "from": anna.participant_email, "to": "nobody@example.org"},
            {
                "id": "2",
                "from": anna.participant_email,
                "to": anna.participant_email,
                "status": "maybe",
            },
        ],
        "meeting_points": [{"name": "New table"}],
    }
    upload = io.BytesIO(json.dumps(data).encode())
    upload.name = "networking.json"
    response = client.post(url("import", event), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "requests[0].to" in page and "requests[1].status" in page
    assert not MeetingPoint.objects.filter(name="New table").exists()
    upload = io.BytesIO(b"not json")
    upload.name = "x.json"
    assert "Not a JSON file" in client.post(url("import", event), {"file": upload}).content.decode()


def test_a_queued_run_shows_that_it_is_running(client, event, event_organiser, grid):
    client.force_login(event_organiser)
    response = client.post(url("run", event), {"time_limit": 5})  # the task is not run yet
    page = client.get(response["Location"]).content.decode()
    assert "The scheduler is working." in page
    response = client.post(url("run", event), {"time_limit": 500}, follow=True)
    assert "Ensure this value is less than or equal to 120." in response.content.decode()


def test_organisers_list_and_cancel_requests(
    client, event, event_organiser, grid, anna, piotr, aino
):
    first = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    services.send_request(actor=aino.user, requester=aino, recipient=piotr)
    services.decline_request(actor=piotr.user, meeting_request=first)
    client.force_login(event_organiser)
    page = client.get(url("all_requests", event)).content.decode()
    assert "Anna Schmidt" in page and "Aino Virtanen" in page
    page = client.get(url("all_requests", event), {"status": "declined"}).content.decode()
    assert "Anna Schmidt" in page and "Aino Virtanen" not in page
    waiting = MeetingRequest.objects.get(requester=aino)
    client.post(url("request_cancel", event, waiting.pk), {"next": "all_requests"})
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.CANCELLED
    client.force_login(anna.user)
    assert client.get(url("all_requests", event)).status_code == 403


def test_import_refuses_overlapping_slots_and_double_bookings(
    client, event, event_organiser, grid, anna, piotr, aino
):
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    services.accept_request(actor=piotr.user, meeting_request=meeting_request)
    services.run_scheduler(actor=event_organiser, event=event)
    client.force_login(event_organiser)
    data = json.loads(client.get(url("export", event)).content)
    # The same file again changes nothing and is accepted.
    from municipia.networking.exchange import import_data

    assert import_data(actor=event_organiser, event=event, data=data).ok
    taken = data["meetings"][0]["start"]
    data["slots"].append({"start": "2027-03-10T13:10:00Z", "end": "2027-03-10T13:30:00Z"})
    data["requests"].append(
        {"id": "new", "from": aino.participant_email, "to": piotr.participant_email,
         "status": "accepted"}
    )  # fmt: skip
    data["meetings"].append({"request": "new", "start": taken, "meeting_point": "Table 2"})
    report = import_data(actor=event_organiser, event=event, data=data)
    places = {problem.column for problem in report.problems}
    assert places == {"slots[2].start", "meetings[1].start"}
    assert MeetingRequest.objects.count() == 1


def test_meetings_download_as_icalendar(client, event, event_organiser, grid, anna, piotr):
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    services.accept_request(actor=piotr.user, meeting_request=meeting_request)
    services.run_scheduler(actor=event_organiser, event=event)
    client.force_login(anna.user)
    response = client.get(url("meetings_ics", event))
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert "SUMMARY:Meeting with Piotr Nowak" in text and "TZID=Europe/Brussels" in text
