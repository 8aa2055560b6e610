import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from municipia.events.enums import RegistrationStatus
from municipia.networking import selectors, services
from municipia.networking.enums import (
    AttendanceMode,
    MeetingPlace,
    MeetingPointKind,
    RequestStatus,
    RunStatus,
)
from municipia.networking.models import Meeting, MeetingRequest, Slot
from municipia.notifications.models import Notification

from .conftest import at, attend, register


def accepted(requester, recipient, **kwargs):
    meeting_request = services.send_request(
        actor=requester.user, requester=requester, recipient=recipient, **kwargs
    )
    return services.accept_request(actor=recipient.user, meeting_request=meeting_request)


def test_slots_cut_from_networking_sessions_with_breaks(grid):
    assert [(s.starts_at, s.ends_at) for s in grid] == [
        (at(14), at(14, 20)),
        (at(14, 25), at(14, 45)),
    ]
    assert grid[0].period == "Networking centre"


def test_explicit_period_adds_slots_and_rebuild_keeps_slots_with_meetings(
    event, event_organiser, grid, anna, piotr
):
    services.add_period(actor=event_organiser, event=event, starts_at=at(9), ends_at=at(9, 45))
    slots = services.build_slots(actor=event_organiser, event=event)
    assert len(slots) == 4
    accepted(anna, piotr)
    services.run_scheduler(actor=event_organiser, event=event)
    used = Meeting.objects.get().slot
    services.save_grid(actor=event_organiser, event=event, slot_minutes=30)
    slots = services.build_slots(actor=event_organiser, event=event)
    assert Slot.objects.filter(pk=used.pk).exists()
    assert_no_overlap(slots)


def assert_no_overlap(slots):
    for first, second in itertools.pairwise(sorted(slots, key=lambda s: s.starts_at)):
        assert first.ends_at <= second.starts_at


def test_longer_meetings_never_overlap_a_slot_kept_for_a_meeting(
    event, event_organiser, grid, anna, piotr
):
    """A meeting agreed at 14:25–14:45; the organiser then asks for
    30-minute meetings: 14:00–14:30 would overlap it and is left out."""
    meeting_request = services.send_request(
        actor=anna.user, requester=anna, recipient=piotr, proposed_slot=grid[1]
    )
    services.accept_request(actor=piotr.user, meeting_request=meeting_request)
    services.save_grid(actor=event_organiser, event=event, slot_minutes=30, break_minutes=0)
    slots = services.build_slots(actor=event_organiser, event=event)
    assert [(s.starts_at, s.ends_at) for s in slots] == [(at(14, 25), at(14, 45))]
    assert_no_overlap(slots)


def test_opt_in_is_for_the_participant_and_managers_only(event, anna, plain_user, event_organiser):
    with pytest.raises(PermissionDenied):
        services.opt_in(actor=plain_user, registration=anna)
    profile = services.opt_in(
        actor=event_organiser, registration=anna, mode=AttendanceMode.BOTH, languages=["de", "en"]
    )
    assert profile.mode == AttendanceMode.BOTH
    with pytest.raises(ValidationError) as error:
        services.opt_in(actor=anna.user, registration=anna, mode="teleport")
    assert "mode" in error.value.message_dict


def test_a_cancelled_registration_cannot_network(event, anna):
    anna.status = RegistrationStatus.CANCELLED
    anna.save()
    with pytest.raises(PermissionDenied):
        services.opt_in(actor=anna.user, registration=anna)


def test_request_notifies_the_recipient_and_refuses_duplicates(grid, anna, piotr):
    services.send_request(actor=anna.user, requester=anna, recipient=piotr, message="Heat pumps?")
    assert Notification.objects.filter(recipient=piotr.user, kind="networking.requested").exists()
    with pytest.raises(ValidationError) as error:
        services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    assert "recipient" in error.value.message_dict
    with pytest.raises(ValidationError):  # the other way round: answer the open one instead
        services.send_request(actor=piotr.user, requester=piotr, recipient=anna)


def test_a_request_is_told_in_the_recipients_language_with_their_language_address(
    grid, anna, piotr
):
    from django.utils import translation

    piotr.user.preferred_language = "de"
    piotr.user.save()
    with translation.override("en"):  # Anna's language
        services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    told = Notification.objects.get(recipient=piotr.user, kind="networking.requested")
    assert told.title == "Anna Schmidt bittet Sie bei Seminar on energy poverty um ein Treffen"
    assert told.url.startswith("/de/")


def test_request_refused_to_someone_not_opted_in_or_by_someone_else(event, grid, anna, plain_user):
    bob = register(event, "Bob", "bob@example.org")
    with pytest.raises(ValidationError):
        services.send_request(actor=anna.user, requester=anna, recipient=bob)
    with pytest.raises(PermissionDenied):
        services.send_request(actor=plain_user, requester=bob, recipient=anna)
    with pytest.raises(PermissionDenied):
        services.send_request(actor=bob.user, requester=anna, recipient=bob)


def test_requests_are_rate_limited(event, grid, anna, monkeypatch):
    monkeypatch.setattr(services, "REQUEST_RATE_LIMIT", 2)
    others = [register(event, f"P{i}", f"p{i}@example.org") for i in range(3)]
    for other in others:
        services.opt_in(actor=other.user, registration=other)
    services.send_request(actor=anna.user, requester=anna, recipient=others[0])
    services.send_request(actor=anna.user, requester=anna, recipient=others[1])
    with pytest.raises(ValidationError) as error:
        services.send_request(actor=anna.user, requester=anna, recipient=others[2])
    assert error.value.error_dict["recipient"][0].code == "rate_limited"


def test_only_the_recipient_answers(grid, anna, piotr, aino):
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    for actor in (anna.user, aino.user):
        with pytest.raises(PermissionDenied):
            services.accept_request(actor=actor, meeting_request=meeting_request)
    services.decline_request(actor=piotr.user, meeting_request=meeting_request, response="Sorry")
    meeting_request.refresh_from_db()
    assert meeting_request.status == RequestStatus.DECLINED
    assert Notification.objects.filter(recipient=anna.user, kind="networking.declined").exists()
    with pytest.raises(ValidationError):
        services.accept_request(actor=piotr.user, meeting_request=meeting_request)


def test_propose_another_time_then_the_requester_accepts_and_the_meeting_is_set(grid, anna, piotr):
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    services.propose_time(actor=piotr.user, meeting_request=meeting_request, slot=grid[1])
    with pytest.raises(PermissionDenied):  # now it is Anna's turn
        services.accept_request(actor=piotr.user, meeting_request=meeting_request)
    services.accept_request(actor=anna.user, meeting_request=meeting_request)
    meeting = Meeting.objects.get(request=meeting_request)
    assert meeting.slot == grid[1] and meeting.is_pinned
    assert Notification.objects.filter(recipient=piotr.user, kind="networking.accepted").exists()


def test_proposed_time_during_a_session_is_left_to_the_scheduler(event, grid, anna, piotr):
    attend(piotr, event, at(14), at(14, 30))
    meeting_request = services.send_request(
        actor=anna.user, requester=anna, recipient=piotr, proposed_slot=grid[0]
    )
    services.accept_request(actor=piotr.user, meeting_request=meeting_request)
    assert not Meeting.objects.exists()


def test_expiry_after_the_organisers_deadline(event, event_organiser, grid, anna, piotr):
    services.save_grid(
        actor=event_organiser,
        event=event,
        answer_deadline=timezone.now() + datetime.timedelta(hours=1),
    )
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    assert services.expire_requests() == 0
    assert services.expire_requests(now=timezone.now() + datetime.timedelta(hours=2)) == 1
    meeting_request.refresh_from_db()
    assert meeting_request.status == RequestStatus.EXPIRED
    assert Notification.objects.filter(recipient=anna.user, kind="networking.expired").exists()


def test_answer_refused_after_the_deadline(event, event_organiser, grid, anna, piotr):
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    MeetingRequest.objects.filter(pk=meeting_request.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        services.accept_request(actor=piotr.user, meeting_request=meeting_request)


def test_scheduler_respects_sessions_and_never_double_books(
    event, event_organiser, grid, anna, piotr, aino
):
    attend(anna, event, at(14), at(14, 20))  # Anna is in a session during the first slot
    first = accepted(anna, piotr)
    second = accepted(aino, piotr)
    run = services.run_scheduler(actor=event_organiser, event=event)
    assert run.status == RunStatus.DONE
    assert run.report["scheduled"] == 2 and run.report["bound"] == 2
    meetings = {m.request_id: m for m in Meeting.objects.all()}
    assert meetings[first.pk].slot == grid[1]  # not during Anna's session
    assert meetings[second.pk].slot == grid[0]  # Piotr cannot be in two places
    assert (
        Notification.objects.filter(recipient=piotr.user, kind="networking.meeting_new").count()
        == 2
    )
    assert selectors.meetings_of(piotr) == [meetings[second.pk], meetings[first.pk]]


def test_tables_are_respected_and_unscheduled_requests_explained(
    event, event_organiser, grid, anna, piotr, aino, third_organisation
):
    """Two slots, one table: three meetings between four people, one is left
    out and the report says why."""
    services.save_meeting_point(
        actor=event_organiser,
        event=event,
        meeting_point=event.meeting_points.get(name="Table 2"),
        is_active=False,
    )
    dora = register(event, "Dora", "dora@example.org")
    services.opt_in(actor=dora.user, registration=dora)
    for requester, recipient in ((anna, piotr), (aino, dora), (anna, dora)):
        accepted(requester, recipient)
    run = services.run_scheduler(actor=event_organiser, event=event)
    assert run.report["scheduled"] == 2
    assert run.report["bound"] == 2
    assert Meeting.objects.count() == 2
    assert len({(m.slot_id, m.meeting_point_id) for m in Meeting.objects.all()}) == 2
    [left_out] = run.report["unscheduled"]
    assert left_out["reason"] == "competition"
    assert run.report["table_use"] == [{"table": "Table 1", "meetings": 2}]


def test_infeasible_request_explained(event, event_organiser, grid, anna, piotr):
    attend(anna, event, at(13), at(16))
    accepted(anna, piotr)
    run = services.run_scheduler(actor=event_organiser, event=event)
    [left_out] = run.report["unscheduled"]
    assert left_out["reason"] == "no_free_slot"
    assert left_out["party"] == "Anna Schmidt"
    assert run.report["shortfall"][0] == {"party": "Anna Schmidt", "requested": 1, "scheduled": 0}


def test_blocked_time_is_respected(event, event_organiser, grid, anna, piotr):
    services.block_time(actor=anna.user, registration=anna, starts_at=at(14), ends_at=at(14, 10))
    accepted(anna, piotr)
    services.run_scheduler(actor=event_organiser, event=event)
    assert Meeting.objects.get().slot == grid[1]


def test_incremental_run_keeps_meetings_and_replan_may_move_them(
    event, event_organiser, grid, anna, piotr, aino
):
    first = accepted(anna, piotr)
    services.run_scheduler(actor=event_organiser, event=event)
    meeting = Meeting.objects.get(request=first)
    assert meeting.slot == grid[0]
    # Anna now attends a session in the first slot; Aino and Piotr accept a
    # meeting too. An incremental run leaves Anna's meeting where it is.
    attend(anna, event, at(14), at(14, 20))
    accepted(aino, piotr)
    run = services.run_scheduler(actor=event_organiser, event=event)
    assert Meeting.objects.get(request=first).slot == grid[0]
    assert run.report["warnings"]  # the pinned meeting now clashes with a session
    run = services.run_scheduler(actor=event_organiser, event=event, replan=True)
    moved = Meeting.objects.get(request=first)
    assert moved.slot == grid[1]
    assert moved.sequence == 1 and moved.room_token == meeting.room_token
    assert run.report["moved"] >= 1
    assert Notification.objects.filter(
        recipient=anna.user, kind="networking.meeting_changed"
    ).exists()


def test_cancel_frees_the_slot(event, event_organiser, grid, anna, piotr, aino):
    services.save_meeting_point(
        actor=event_organiser,
        event=event,
        meeting_point=event.meeting_points.get(name="Table 2"),
        is_active=False,
    )
    attend(aino, event, at(14, 25), at(15))
    first = accepted(anna, piotr)
    services.run_scheduler(actor=event_organiser, event=event)
    assert Meeting.objects.get(request=first).slot == grid[0]
    second = accepted(aino, piotr)
    run = services.run_scheduler(actor=event_organiser, event=event)
    assert run.report["scheduled"] == 1  # Aino is only free in the first slot, Piotr is not
    services.cancel_request(actor=anna.user, meeting_request=first)
    assert not Meeting.objects.filter(request=first).exists()
    assert Notification.objects.filter(recipient=piotr.user, kind="networking.cancelled").exists()
    services.run_scheduler(actor=event_organiser, event=event)
    assert Meeting.objects.get(request=second).slot == grid[0]


def test_cancel_by_a_stranger_refused(grid, anna, piotr, aino):
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    with pytest.raises(PermissionDenied):
        services.cancel_request(actor=aino.user, meeting_request=meeting_request)


def test_online_participants_meet_in_virtual_rooms(event, event_organiser, grid, anna, piotr):
    services.opt_in(actor=piotr.user, registration=piotr, mode=AttendanceMode.ONLINE)
    accepted(anna, piotr)
    run = services.run_scheduler(actor=event_organiser, event=event)
    assert run.report["unscheduled"][0]["reason"] == "no_compatible_table"
    services.opt_in(actor=anna.user, registration=anna, mode=AttendanceMode.BOTH)
    services.save_meeting_point(
        actor=event_organiser,
        event=event,
        name="Room A",
        kind=MeetingPointKind.VIRTUAL,
        online_url="https://meet.example.org/room-a",
    )
    services.run_scheduler(actor=event_organiser, event=event)
    meeting = Meeting.objects.get()
    assert meeting.meeting_point.name == "Room A"
    assert meeting.online_url.startswith("https://meet.example.org/room-a?meeting=")


def test_on_site_request_not_put_online(event, event_organiser, grid, anna, piotr):
    services.opt_in(actor=piotr.user, registration=piotr, mode=AttendanceMode.BOTH)
    services.opt_in(actor=anna.user, registration=anna, mode=AttendanceMode.BOTH)
    services.save_meeting_point(
        actor=event_organiser,
        event=event,
        name="Room A",
        kind=MeetingPointKind.VIRTUAL,
        online_url="https://meet.example.org/a",
    )
    for point in event.meeting_points.filter(kind=MeetingPointKind.ON_SITE):
        services.save_meeting_point(
            actor=event_organiser, event=event, meeting_point=point, is_active=False
        )
    accepted(anna, piotr, mode=MeetingPlace.ON_SITE)
    services.run_scheduler(actor=event_organiser, event=event)
    assert not Meeting.objects.exists()


def test_delegation_meets_as_one_party(
    event, event_organiser, grid, organisation, anna, piotr, aino
):
    """Anna's colleague Jonas joins the delegation of Köln; the delegation is
    busy whenever one of them is, and both are told of the meeting."""
    jonas = register(event, "Jonas Weber", "jonas@koeln.example", organisation)
    services.opt_in(actor=jonas.user, registration=jonas)
    attend(jonas, event, at(14), at(14, 20))
    meeting_request = services.send_request(
        actor=piotr.user, requester=piotr, recipient=anna, to_delegation=True
    )
    services.accept_request(actor=anna.user, meeting_request=meeting_request)
    run = services.run_scheduler(actor=event_organiser, event=event)
    assert run.report["scheduled"] == 1
    assert Meeting.objects.get().slot == grid[1]
    assert Notification.objects.filter(recipient=jonas.user, kind="networking.meeting_new").exists()
    assert [m.request_id for m in selectors.meetings_of(jonas)] == [meeting_request.pk]


def test_no_show_marked_by_the_other_side_after_the_start(
    event, event_organiser, grid, anna, piotr, aino
):
    meeting_request = accepted(anna, piotr)
    services.run_scheduler(actor=event_organiser, event=event)
    meeting = Meeting.objects.get()
    with pytest.raises(ValidationError):  # the meeting is in the future
        services.mark_no_show(actor=anna.user, meeting=meeting, absent="recipient")
    Slot.objects.filter(pk=meeting.slot_id).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
        ends_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    meeting.refresh_from_db()
    with pytest.raises(PermissionDenied):  # Piotr cannot say he was absent himself... nor Aino
        services.mark_no_show(actor=aino.user, meeting=meeting, absent="recipient")
    services.mark_no_show(actor=anna.user, meeting=meeting, absent="recipient")
    meeting.refresh_from_db()
    assert meeting.recipient_no_show and not meeting.requester_no_show
    assert meeting_request.pk == meeting.request_id


def test_only_managers_run_the_scheduler(event, grid, anna, organisation_admin, staff_user):
    with pytest.raises(PermissionDenied):
        services.run_scheduler(actor=anna.user, event=event)
    with pytest.raises(PermissionDenied):
        services.run_scheduler(actor=organisation_admin, event=event)
    assert services.run_scheduler(actor=staff_user, event=event).status == RunStatus.DONE


def test_opt_out_declines_waiting_requests(grid, anna, piotr):
    services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    services.opt_out(actor=piotr.user, registration=piotr)
    assert MeetingRequest.objects.get().status == RequestStatus.DECLINED
    assert selectors.networking_participants(piotr.event).filter(pk=piotr.pk).count() == 0


def test_queued_run_is_carried_out_by_the_task(
    event, event_organiser, grid, anna, piotr, django_capture_on_commit_callbacks
):
    accepted(anna, piotr)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_scheduler_run(actor=event_organiser, event=event, time_limit=5)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.report["scheduled"] == 1
    with pytest.raises(ValidationError):
        services.start_scheduler_run(actor=event_organiser, event=event, time_limit=0)
    with pytest.raises(PermissionDenied):
        services.start_scheduler_run(actor=anna.user, event=event)


def test_a_failing_run_is_marked_failed(event, event_organiser, grid, monkeypatch):
    from municipia.networking import tasks
    from municipia.networking.models import SchedulerRun

    def broken(problem):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(services.scheduler, "schedule", broken)
    run = SchedulerRun.objects.create(event=event, started_by=event_organiser)
    with pytest.raises(RuntimeError):
        tasks.run_meeting_scheduler.call(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "solver crashed" in run.report["error"]


def test_a_new_deadline_applies_to_waiting_requests(event, event_organiser, grid, anna, piotr):
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    assert meeting_request.deadline is None
    deadline = timezone.now() + datetime.timedelta(days=1)
    services.save_grid(actor=event_organiser, event=event, answer_deadline=deadline)
    meeting_request.refresh_from_db()
    assert meeting_request.deadline == deadline


def test_any_delegation_member_answers_and_cancels_for_the_delegation(
    event, grid, organisation, anna, piotr, aino
):
    jonas = register(event, "Jonas Weber", "jonas@koeln.example", organisation)
    to_delegation = services.send_request(
        actor=piotr.user, requester=piotr, recipient=anna, to_delegation=True
    )
    to_anna = services.send_request(actor=aino.user, requester=aino, recipient=anna)
    assert [r.pk for r in selectors.inbox(jonas)] == [to_delegation.pk]
    assert selectors.is_answering(to_delegation, jonas)
    with pytest.raises(PermissionDenied):  # Anna's own request is hers to answer
        services.accept_request(actor=jonas.user, meeting_request=to_anna)
    services.accept_request(actor=jonas.user, meeting_request=to_delegation)
    services.cancel_request(actor=jonas.user, meeting_request=to_delegation)
    assert MeetingRequest.objects.get(pk=to_delegation.pk).status == RequestStatus.CANCELLED


def test_a_cancelled_registration_frees_its_meetings_at_the_next_run(
    event, event_organiser, grid, anna, piotr
):
    accepted(anna, piotr)
    services.run_scheduler(actor=event_organiser, event=event)
    anna.status = RegistrationStatus.CANCELLED
    anna.save()
    services.run_scheduler(actor=event_organiser, event=event)
    assert not Meeting.objects.exists()
    assert MeetingRequest.objects.get().status == RequestStatus.CANCELLED
    assert Notification.objects.filter(recipient=piotr.user, kind="networking.cancelled").exists()


def test_a_meeting_left_as_it_is_keeps_its_table_and_people(
    event, event_organiser, grid, organisation, anna, piotr
):
    """Anna and her colleague Jonas met on their own (Table 1, first slot);
    then Köln meets Piotr as a delegation: both are one party now, so their
    own meeting is left as it is, and the delegation meeting goes elsewhere."""
    services.save_meeting_point(
        actor=event_organiser,
        event=event,
        meeting_point=event.meeting_points.get(name="Table 2"),
        is_active=False,
    )
    jonas = register(event, "Jonas Weber", "jonas@koeln.example", organisation)
    services.opt_in(actor=jonas.user, registration=jonas)
    own = accepted(anna, jonas)
    services.run_scheduler(actor=event_organiser, event=event)
    first = Meeting.objects.get(request=own)
    delegation = services.send_request(
        actor=piotr.user, requester=piotr, recipient=anna, to_delegation=True
    )
    services.accept_request(actor=anna.user, meeting_request=delegation)
    run = services.run_scheduler(actor=event_organiser, event=event)
    assert Meeting.objects.get(request=own).slot == first.slot
    assert Meeting.objects.get(request=delegation).slot != first.slot
    assert run.report["unscheduled"] == []  # the colleagues' meeting is kept, not reported
