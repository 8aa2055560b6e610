"""Writes of the networking centre.

Every service takes the acting user as ``actor`` (None for the system: tasks,
imports), asks ``municipia.accounts.rules`` whether the actor may act, and
raises PermissionDenied or ValidationError (with field names) otherwise.
Placing meetings (accepting a proposed time, scheduler runs) locks the
event's meeting grid row, so that two writers never give one table or one
person two meetings at once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.accounts import rules
from municipia.accounts.limits import over_rate_limit
from municipia.events.enums import RegistrationStatus, SessionKind
from municipia.events.models import Event, Registration
from municipia.notifications.services import notify, translated

from . import scheduler
from .enums import (
    OPEN_REQUEST_STATUSES,
    AttendanceMode,
    MeetingPlace,
    Priority,
    RequestStatus,
    RunStatus,
)
from .models import (
    AvailabilityBlock,
    Meeting,
    MeetingGrid,
    MeetingPoint,
    MeetingRequest,
    NetworkingPeriod,
    NetworkingProfile,
    SchedulerRun,
    Slot,
)
from .selectors import busy_intervals_of

REQUEST_RATE_LIMIT = 20
REQUEST_RATE_WINDOW = 10 * 60
MAX_MESSAGE_LENGTH = 2000


def _url(event: Event, name: str = "meetings") -> str:
    from django.urls import reverse

    return reverse(f"networking:{name}", kwargs={"slug": event.slug})


def _check_choice(value, choices, field: str) -> None:
    if value not in choices.values:
        raise ValidationError(
            {field: _("“%(value)s” is not a valid choice.") % {"value": value}},
            code="invalid_choice",
        )


# -- profile and blocked times ----------------------------------------------------------


@transaction.atomic
def opt_in(
    *,
    actor,
    registration: Registration,
    topics: str = "",
    languages: list[str] | None = None,
    mode: str = AttendanceMode.ON_SITE,
) -> NetworkingProfile:
    """Open a confirmed participant to meeting requests (or update what they
    want to discuss, their languages and how they can meet)."""
    if not rules.can_network_as(actor, registration):
        raise PermissionDenied(_("You may not take part in networking for this registration."))
    _check_choice(mode, AttendanceMode, "mode")
    if len(topics) > MAX_MESSAGE_LENGTH:
        raise ValidationError({"topics": _("Please keep this under 2,000 characters.")})
    profile, _created = NetworkingProfile.objects.update_or_create(
        registration=registration,
        defaults={
            "is_active": True,
            "topics": topics.strip(),
            "languages": list(dict.fromkeys(languages or [])),
            "mode": mode,
        },
    )
    return profile


@transaction.atomic
def opt_out(*, actor, registration: Registration) -> None:
    """Close a participant to new requests; requests awaiting their answer are
    declined, so that nobody waits for an answer that will not come. Accepted
    meetings stay (they may be cancelled one by one)."""
    if not rules.can_network_as(actor, registration):
        raise PermissionDenied(_("You may not take part in networking for this registration."))
    NetworkingProfile.objects.filter(registration=registration).update(is_active=False)
    waiting = MeetingRequest.objects.filter(
        recipient=registration, status=RequestStatus.REQUESTED, proposed_by__isnull=True
    )
    for meeting_request in waiting.select_related("requester__user", "event"):
        meeting_request.status = RequestStatus.DECLINED
        meeting_request.answered_at = timezone.now()
        meeting_request.save(update_fields=["status", "answered_at", "updated_at"])
        _tell(
            meeting_request.requester,
            kind="networking.declined",
            title=translated(
                gettext_lazy("%(name)s is no longer taking meeting requests"),
                {"name": registration.participant_name},
            ),
            url=partial(_url, meeting_request.event, "outbox"),
        )


@transaction.atomic
def block_time(
    *, actor, registration: Registration, starts_at, ends_at, note: str = ""
) -> AvailabilityBlock:
    if not rules.can_network_as(actor, registration):
        raise PermissionDenied(_("You may not change this participant's availability."))
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    return AvailabilityBlock.objects.create(
        registration=registration, starts_at=starts_at, ends_at=ends_at, note=note[:200]
    )


@transaction.atomic
def unblock_time(*, actor, block: AvailabilityBlock) -> None:
    if not rules.can_network_as(actor, block.registration):
        raise PermissionDenied(_("You may not change this participant's availability."))
    block.delete()


# -- the grid ------------------------------------------------------------------------


@transaction.atomic
def save_grid(*, actor, event: Event, **fields) -> MeetingGrid:
    if not rules.can_manage_networking(actor, event):
        raise PermissionDenied(_("You may not set up the networking centre of this event."))
    grid, _created = MeetingGrid.objects.get_or_create(event=event)
    for name, value in fields.items():
        setattr(grid, name, value)
    grid.full_clean(exclude=["event"])
    grid.save()
    if "answer_deadline" in fields:
        # A new deadline applies to the requests still waiting for an answer.
        MeetingRequest.objects.filter(event=event, status=RequestStatus.REQUESTED).update(
            deadline=grid.answer_deadline
        )
    return grid


@transaction.atomic
def add_period(*, actor, event: Event, starts_at, ends_at, name: str = "") -> NetworkingPeriod:
    grid = save_grid(actor=actor, event=event)
    period = NetworkingPeriod(grid=grid, starts_at=starts_at, ends_at=ends_at, name=name)
    period.full_clean(exclude=["grid"])
    period.save()
    return period


@transaction.atomic
def save_meeting_point(
    *, actor, event: Event, meeting_point: MeetingPoint | None = None, **fields
) -> MeetingPoint:
    if not rules.can_manage_networking(actor, event):
        raise PermissionDenied(_("You may not set up the networking centre of this event."))
    point = meeting_point or MeetingPoint(event=event)
    if point.event_id != event.pk:
        raise PermissionDenied(_("This meeting point belongs to another event."))
    for name, value in fields.items():
        setattr(point, name, value)
    point.full_clean(exclude=["event"], validate_unique=False)
    if MeetingPoint.objects.filter(event=event, name=point.name).exclude(pk=point.pk).exists():
        raise ValidationError({"name": _("Another meeting point has this name.")})
    point.save()
    return point


def _windows(
    event: Event, grid: MeetingGrid
) -> list[tuple[str, datetime.datetime, datetime.datetime]]:
    windows = [
        (period.name or str(period), period.starts_at, period.ends_at)
        for period in grid.periods.all()
    ]
    if grid.use_networking_sessions:
        sessions = event.sessions.filter(kind=SessionKind.NETWORKING, is_cancelled=False)
        windows += [(session.title, session.starts_at, session.ends_at) for session in sessions]
    return sorted(windows, key=lambda w: w[1])


def _overlaps(start, end, slots) -> bool:
    return any(start < slot.ends_at and end > slot.starts_at for slot in slots)


@transaction.atomic
def build_slots(*, actor, event: Event) -> list[Slot]:
    """Cut the networking periods (and networking sessions) into meeting
    slots of the grid's length with its breaks. Slots that hold meetings stay
    even when the periods changed; empty slots no longer in a period go."""
    if not rules.can_manage_networking(actor, event):
        raise PermissionDenied(_("You may not set up the networking centre of this event."))
    grid = MeetingGrid.objects.select_for_update().filter(event=event).first()
    if grid is None:
        grid = save_grid(actor=actor, event=event)
    length = datetime.timedelta(minutes=grid.slot_minutes)
    step = length + datetime.timedelta(minutes=grid.break_minutes)
    wanted: dict[datetime.datetime, tuple[datetime.datetime, str]] = {}
    for name, start, end in _windows(event, grid):
        at = start
        while at + length <= end:
            overlaps = any(
                at < other_end and at + length > other_start
                for other_start, (other_end, _n) in wanted.items()
            )
            if not overlaps:
                wanted[at] = (at + length, name)
            at += step
    existing = {slot.starts_at: slot for slot in Slot.objects.filter(event=event)}
    used = set(Meeting.objects.filter(slot__event=event).values_list("slot_id", flat=True))
    used |= set(
        MeetingRequest.objects.filter(event=event, proposed_slot__isnull=False).values_list(
            "proposed_slot_id", flat=True
        )
    )
    # Slots holding a meeting (or a proposed time) stay as they are; new
    # slots overlapping them are left out, so that no two slots overlap and
    # nobody can be given two meetings at once.
    kept = [slot for slot in existing.values() if slot.pk in used]
    for starts_at, slot in existing.items():
        if slot.pk not in used and (
            starts_at not in wanted or _overlaps(starts_at, wanted[starts_at][0], kept)
        ):
            slot.delete()
    for starts_at, (ends_at, name) in wanted.items():
        slot = existing.get(starts_at)
        if slot is not None and slot.pk in used:
            if slot.period != name:
                slot.period = name
                slot.save(update_fields=["period"])
            continue
        if _overlaps(starts_at, ends_at, kept):
            continue
        if slot is None:
            Slot.objects.create(event=event, starts_at=starts_at, ends_at=ends_at, period=name)
        elif slot.ends_at != ends_at or slot.period != name:
            slot.ends_at, slot.period = ends_at, name
            slot.save()
    return list(Slot.objects.filter(event=event))


# -- requests ------------------------------------------------------------------------


def _members(organisation_id: int, event_id: int) -> list[Registration]:
    return list(
        Registration.objects.filter(
            event_id=event_id, organisation_id=organisation_id, status=RegistrationStatus.CONFIRMED
        ).select_related("user")
    )


def _tell(registration: Registration, *, kind: str, title, url, body="", delegation_of=None):
    """Notify a side of a request: the registration's user, or every member of
    the delegation with an account."""
    people = _members(delegation_of, registration.event_id) if delegation_of else [registration]
    told = set()
    for person in people:
        user = person.user
        if user is None or user.pk in told or not user.is_active:
            continue
        told.add(user.pk)
        notify(recipient=user, kind=kind, title=title, body=body, url=url)


def _grid_for_requests(event: Event) -> MeetingGrid:
    grid = MeetingGrid.objects.filter(event=event).first()
    if grid is None or not grid.is_open:
        raise ValidationError(
            {"recipient": _("The networking centre of this event is not taking requests.")}
        )
    return grid


@transaction.atomic
def send_request(
    *,
    actor,
    requester: Registration,
    recipient: Registration,
    message: str = "",
    as_delegation: bool = False,
    to_delegation: bool = False,
    priority: int = Priority.NORMAL,
    mode: str = MeetingPlace.ANY,
    proposed_slot: Slot | None = None,
) -> MeetingRequest:
    """Ask another participant (or their delegation) for a meeting. The
    recipient must have opted in; one open request per pair; each participant
    may send as many requests as the organisers allow."""
    if not rules.can_network_as(actor, requester):
        raise PermissionDenied(_("You may not send meeting requests for this registration."))
    if actor is not None and over_rate_limit(
        action="networking-request",
        user=actor,
        limit=REQUEST_RATE_LIMIT,
        window=REQUEST_RATE_WINDOW,
    ):
        message = _("You sent many requests in a short time. Please wait a few minutes.")
        raise ValidationError({"recipient": ValidationError(message, code="rate_limited")})
    event = requester.event
    grid = _grid_for_requests(event)
    if recipient.event_id != event.pk or recipient.status != RegistrationStatus.CONFIRMED:
        raise ValidationError({"recipient": _("This person is not a participant of the event.")})
    if recipient.pk == requester.pk:
        raise ValidationError({"recipient": _("You cannot ask yourself for a meeting.")})
    profile = NetworkingProfile.objects.filter(registration=recipient, is_active=True).first()
    if profile is None:
        raise ValidationError({"recipient": _("This participant is not taking meeting requests.")})
    if (as_delegation or to_delegation) and (
        requester.organisation_id is not None
        and requester.organisation_id == recipient.organisation_id
    ):
        raise ValidationError({"recipient": _("A delegation does not meet its own members.")})
    if as_delegation and requester.organisation_id is None:
        raise ValidationError({"as_delegation": _("You are not registered for an organisation.")})
    if as_delegation and not rules.speaks_for_delegation(requester):
        raise ValidationError(
            {
                "as_delegation": _(
                    "Only participants who hold a role in their organisation, or whom it "
                    "registered, speak for its delegation."
                )
            }
        )
    if to_delegation and recipient.organisation_id is None:
        raise ValidationError({"to_delegation": _("This participant has no organisation.")})
    _check_choice(mode, MeetingPlace, "mode")
    _check_choice(priority, Priority, "priority")
    if len(message) > MAX_MESSAGE_LENGTH:
        raise ValidationError({"message": _("Please keep the message under 2,000 characters.")})
    if proposed_slot is not None and proposed_slot.event_id != event.pk:
        raise ValidationError({"proposed_slot": _("This time is not in the event's grid.")})
    sent = MeetingRequest.objects.filter(
        requester=requester, status__in=[*OPEN_REQUEST_STATUSES, RequestStatus.DECLINED]
    ).count()
    if sent >= grid.max_requests:
        raise ValidationError(
            {
                "recipient": _("You have sent the %(count)d requests a participant may send.")
                % {"count": grid.max_requests}
            }
        )
    if MeetingRequest.objects.filter(
        Q(requester=recipient, recipient=requester), status__in=OPEN_REQUEST_STATUSES
    ).exists():
        raise ValidationError(
            {
                "recipient": _("%(name)s has already asked you for a meeting: see your requests.")
                % {"name": recipient.participant_name}
            }
        )
    try:
        with transaction.atomic():
            meeting_request = MeetingRequest.objects.create(
                event=event,
                requester=requester,
                requester_organisation_id=requester.organisation_id if as_delegation else None,
                recipient=recipient,
                recipient_organisation_id=recipient.organisation_id if to_delegation else None,
                message=message.strip(),
                priority=priority,
                mode=mode,
                proposed_slot=proposed_slot,
                proposed_by=requester if proposed_slot else None,
                deadline=grid.answer_deadline,
                created_by=actor,
            )
    except IntegrityError:
        message = _("You have already asked this participant for a meeting.")
        raise ValidationError({"recipient": ValidationError(message, code="duplicate")}) from None
    _tell(
        recipient,
        kind="networking.requested",
        title=translated(
            gettext_lazy("%(name)s asks you for a meeting at %(event)s"),
            {"name": meeting_request.requester_label, "event": event.title},
        ),
        body=meeting_request.message,
        url=partial(_url, event, "inbox"),
        delegation_of=meeting_request.recipient_organisation_id,
    )
    return meeting_request


def answering_side(meeting_request: MeetingRequest) -> Registration:
    """Who answers now: the recipient, or the requester when the recipient
    proposed another time."""
    if meeting_request.proposed_by_id == meeting_request.recipient_id:
        return meeting_request.requester
    return meeting_request.recipient


def _other_side(
    meeting_request: MeetingRequest, side: Registration
) -> tuple[Registration, int | None]:
    if side.pk == meeting_request.requester_id:
        return meeting_request.recipient, meeting_request.recipient_organisation_id
    return meeting_request.requester, meeting_request.requester_organisation_id


def side_delegation(meeting_request: MeetingRequest, side: Registration) -> int | None:
    """The organisation whose delegation the side is, if it is one."""
    if side.pk == meeting_request.requester_id:
        return meeting_request.requester_organisation_id
    return meeting_request.recipient_organisation_id


def _check_answer(actor, meeting_request: MeetingRequest) -> Registration:
    side = answering_side(meeting_request)
    if not rules.can_network_for_side(actor, side, side_delegation(meeting_request, side)):
        raise PermissionDenied(_("You may not answer this request."))
    if meeting_request.status != RequestStatus.REQUESTED:
        raise ValidationError(
            {
                "status": _("This request is %(status)s.")
                % {"status": meeting_request.get_status_display().lower()}
            },
            code="not_open",
        )
    if meeting_request.deadline and meeting_request.deadline <= timezone.now():
        raise ValidationError({"status": _("The time to answer this request is over.")})
    return side


@transaction.atomic
def accept_request(*, actor, meeting_request: MeetingRequest, response: str = "") -> MeetingRequest:
    """Accept a request. When a time was proposed and both sides and a table
    are free then, the meeting is set at that time at once (and stays there
    when the scheduler runs); otherwise the scheduler places it."""
    meeting_request = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
    side = _check_answer(actor, meeting_request)
    meeting_request.status = RequestStatus.ACCEPTED
    meeting_request.response = response.strip()[:MAX_MESSAGE_LENGTH]
    meeting_request.answered_at = timezone.now()
    meeting_request.save(update_fields=["status", "response", "answered_at", "updated_at"])
    meeting = None
    if meeting_request.proposed_slot_id:
        meeting = _place_at(meeting_request, meeting_request.proposed_slot)
    other, delegation = _other_side(meeting_request, side)
    if meeting is not None:
        title = translated(
            gettext_lazy("Meeting with %(name)s confirmed: %(time)s, %(place)s"),
            {
                "name": side.participant_name,
                "time": _when(meeting.slot),
                "place": meeting.meeting_point.name,
            },
        )
    else:
        title = translated(
            gettext_lazy("%(name)s accepted your meeting request"), {"name": side.participant_name}
        )
    _tell(
        other,
        kind="networking.accepted",
        title=title,
        body=meeting_request.response,
        url=partial(_url, meeting_request.event),
        delegation_of=delegation,
    )
    return meeting_request


@transaction.atomic
def decline_request(
    *, actor, meeting_request: MeetingRequest, response: str = ""
) -> MeetingRequest:
    meeting_request = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
    side = _check_answer(actor, meeting_request)
    meeting_request.status = RequestStatus.DECLINED
    meeting_request.response = response.strip()[:MAX_MESSAGE_LENGTH]
    meeting_request.answered_at = timezone.now()
    meeting_request.save(update_fields=["status", "response", "answered_at", "updated_at"])
    other, delegation = _other_side(meeting_request, side)
    _tell(
        other,
        kind="networking.declined",
        title=translated(
            gettext_lazy("%(name)s declined your meeting request"), {"name": side.participant_name}
        ),
        body=meeting_request.response,
        url=partial(_url, meeting_request.event, "outbox"),
        delegation_of=delegation,
    )
    return meeting_request


@transaction.atomic
def propose_time(
    *, actor, meeting_request: MeetingRequest, slot: Slot, response: str = ""
) -> MeetingRequest:
    """Answer a request with another time: the other side then accepts or
    declines it."""
    meeting_request = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
    side = _check_answer(actor, meeting_request)
    if slot.event_id != meeting_request.event_id:
        raise ValidationError({"slot": _("This time is not in the event's grid.")})
    if slot.pk == meeting_request.proposed_slot_id:
        raise ValidationError({"slot": _("This is the time already proposed.")})
    meeting_request.proposed_slot = slot
    meeting_request.proposed_by = side
    meeting_request.response = response.strip()[:MAX_MESSAGE_LENGTH]
    meeting_request.save(update_fields=["proposed_slot", "proposed_by", "response", "updated_at"])
    other, delegation = _other_side(meeting_request, side)
    _tell(
        other,
        kind="networking.proposed",
        title=translated(
            gettext_lazy("%(name)s proposes to meet at %(time)s"),
            {"name": side.participant_name, "time": _when(slot)},
        ),
        body=meeting_request.response,
        url=partial(_url, meeting_request.event, "inbox"),
        delegation_of=delegation,
    )
    return meeting_request


@transaction.atomic
def cancel_request(*, actor, meeting_request: MeetingRequest) -> MeetingRequest:
    """Withdraw a request or cancel a meeting, by either side: the slot and the
    table are free again for the next scheduler run."""
    meeting_request = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
    if not (
        rules.can_view_meeting_request(actor, meeting_request)
        or rules.can_manage_networking(actor, meeting_request.event)
    ):
        raise PermissionDenied(_("You may not cancel this meeting."))
    if meeting_request.status not in OPEN_REQUEST_STATUSES:
        raise ValidationError({"status": _("This request is no longer open.")}, code="not_open")
    meeting = Meeting.objects.filter(request=meeting_request).select_related("slot").first()
    meeting_request.status = RequestStatus.CANCELLED
    meeting_request.save(update_fields=["status", "updated_at"])
    if meeting is not None:
        meeting.delete()
    for side, delegation in (
        (meeting_request.requester, meeting_request.requester_organisation_id),
        (meeting_request.recipient, meeting_request.recipient_organisation_id),
    ):
        if actor is not None and side.user_id == actor.pk and delegation is None:
            continue
        title = (
            translated(gettext_lazy("Meeting of %(time)s cancelled"), {"time": _when(meeting.slot)})
            if meeting
            else translated(gettext_lazy("A meeting request was withdrawn"))
        )
        _tell(
            side,
            kind="networking.cancelled",
            title=title,
            url=partial(_url, meeting_request.event),
            delegation_of=delegation,
        )
    return meeting_request


def expire_requests(*, now=None) -> int:
    """Requests unanswered by the organisers' deadline expire; the requester is
    told. Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    due = MeetingRequest.objects.filter(status=RequestStatus.REQUESTED, deadline__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            meeting_request = (
                MeetingRequest.objects.select_for_update()
                .select_related("requester", "recipient", "event")
                .filter(pk=pk, status=RequestStatus.REQUESTED)
                .first()
            )
            if meeting_request is None:
                continue
            meeting_request.status = RequestStatus.EXPIRED
            meeting_request.save(update_fields=["status", "updated_at"])
            expired += 1
            _tell(
                meeting_request.requester,
                kind="networking.expired",
                title=translated(
                    gettext_lazy("Your meeting request to %(name)s expired unanswered"),
                    {"name": meeting_request.recipient_label},
                ),
                url=partial(_url, meeting_request.event, "outbox"),
                delegation_of=meeting_request.requester_organisation_id,
            )
    return expired


@transaction.atomic
def mark_no_show(*, actor, meeting: Meeting, absent: str) -> Meeting:
    """Either side marks that the other did not come (``absent`` is
    "requester" or "recipient"); the organisers may mark either. Only once
    the meeting has begun."""
    meeting_request = meeting.request
    if absent not in ("requester", "recipient"):
        raise ValidationError({"absent": _("Say which side did not come.")})
    present = meeting_request.recipient if absent == "requester" else meeting_request.requester
    if not (
        rules.can_network_for_side(actor, present, side_delegation(meeting_request, present))
        or rules.can_manage_networking(actor, meeting_request.event)
    ):
        raise PermissionDenied(_("You may not mark this meeting."))
    if meeting.slot.starts_at > timezone.now():
        raise ValidationError({"absent": _("The meeting has not begun yet.")})
    setattr(meeting, f"{absent}_no_show", True)
    meeting.save(update_fields=[f"{absent}_no_show", "updated_at"])
    return meeting


# -- placing meetings ----------------------------------------------------------------


def _when(slot: Slot) -> str:
    local = timezone.localtime(slot.starts_at, slot.event.tz)
    return local.strftime("%Y-%m-%d %H:%M")


def _party_of(meeting_request: MeetingRequest, delegations: set[int]) -> tuple[str, str]:
    """Scheduler party keys of both sides. A participant whose organisation
    meets as a delegation in any accepted request belongs to that delegation's
    party in every request: the delegation attends all its members' meetings,
    so this never double-books anyone."""

    def key(registration: Registration, organisation_id: int | None) -> str:
        organisation_id = organisation_id or registration.organisation_id
        if organisation_id is not None and organisation_id in delegations:
            return f"o{organisation_id}"
        return f"r{registration.pk}"

    return (
        key(meeting_request.requester, meeting_request.requester_organisation_id),
        key(meeting_request.recipient, meeting_request.recipient_organisation_id),
    )


def _accepted(event: Event):
    requests = list(
        MeetingRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED)
        .select_related(
            "requester__organisation",
            "recipient__organisation",
            "requester_organisation",
            "recipient_organisation",
        )
        .order_by("answered_at", "pk")
    )
    for meeting_request in requests:
        meeting_request.event = event  # read once, not once per meeting told
    return requests


def _problem(event: Event, requests: list, meetings: dict, *, pin_all: bool, time_limit: float):
    """The scheduler's view of the event: slots, tables, parties with their
    busy times, accepted requests and the meetings to keep."""
    slots = list(Slot.objects.filter(event=event))
    for slot in slots:
        slot.event = event
    index_of = {slot.pk: i for i, slot in enumerate(slots)}
    points = list(MeetingPoint.objects.filter(event=event, is_active=True))
    tables = [
        scheduler.Table(
            id=point.pk,
            capacity=point.capacity,
            kind=scheduler.TableKind(point.kind),
        )
        for point in points
    ]
    delegations = {
        organisation_id
        for r in requests
        for organisation_id in (r.requester_organisation_id, r.recipient_organisation_id)
        if organisation_id
    }
    members: dict[str, dict[int, Registration]] = defaultdict(dict)
    for organisation_id in delegations:
        for registration in Registration.objects.filter(
            event=event,
            organisation_id=organisation_id,
            status=RegistrationStatus.CONFIRMED,
            networking_profile__is_active=True,
        ):
            members[f"o{organisation_id}"][registration.pk] = registration
    keys = {}
    for r in requests:
        a, b = keys[r.pk] = _party_of(r, delegations)
        members[a].setdefault(r.requester_id, r.requester)
        members[b].setdefault(r.recipient_id, r.recipient)
    everyone = {reg.pk: reg for group in members.values() for reg in group.values()}
    busy = busy_intervals_of(list(everyone.values()))
    modes = dict(
        NetworkingProfile.objects.filter(registration_id__in=everyone).values_list(
            "registration_id", "mode"
        )
    )
    default_mode = AttendanceMode.ONLINE if event.format == "online" else AttendanceMode.ON_SITE
    skipped = []
    problem_requests = []
    for r in requests:
        a, b = keys[r.pk]
        if a == b:
            skipped.append(r)  # two members of one delegation: nothing to schedule
            continue
        problem_requests.append(
            scheduler.Request(
                id=r.pk, parties=(a, b), priority=r.priority, mode=scheduler.Requirement(r.mode)
            )
        )
    # Meetings left as they are (of requests not scheduled) keep their table
    # and their people busy.
    closed: dict[int, set[int]] = defaultdict(set)
    for r in skipped:
        meeting = meetings.get(r.pk)
        if meeting is not None:
            closed[meeting.meeting_point_id].add(index_of[meeting.slot_id])
            for registration_id in members[keys[r.pk][0]]:
                busy[registration_id].append(index_of[meeting.slot_id])
    tables = [
        scheduler.Table(
            id=table.id,
            capacity=table.capacity,
            kind=table.kind,
            closed=frozenset(closed.get(table.id, ())),
        )
        for table in tables
    ]
    participants = [
        scheduler.Participant(
            id=f"{party}:{registration_id}",
            party_id=party,
            mode=scheduler.Mode(modes.get(registration_id, default_mode)),
            busy=tuple(busy.get(registration_id, ())),
        )
        for party, group in members.items()
        for registration_id in group
    ]
    scheduled_ids = {r.id for r in problem_requests}
    pinned = [
        scheduler.PinnedMeeting(
            request_id=m.request_id, slot=index_of[m.slot_id], table=m.meeting_point_id
        )
        for m in meetings.values()
        if (pin_all or m.is_pinned) and m.meeting_point.is_active and m.request_id in scheduled_ids
    ]
    problem = scheduler.Problem(
        slots=[
            scheduler.Slot(index=i, start=s.starts_at, end=s.ends_at, period=s.period)
            for i, s in enumerate(slots)
        ],
        tables=tables,
        participants=participants,
        requests=problem_requests,
        pinned=pinned,
        time_limit=time_limit,
    )
    return problem, slots, points, keys, skipped


def _place_at(meeting_request: MeetingRequest, slot: Slot) -> Meeting | None:
    """Set an accepted request at an agreed time when both sides and a table
    of a suitable kind are free then; None otherwise."""
    event = meeting_request.event
    MeetingGrid.objects.select_for_update().filter(event=event).first()
    others = {
        m.request_id: m
        for m in Meeting.objects.filter(request__event=event).select_related("meeting_point")
    }
    problem, slots, _points, _keys, _skipped = _problem(
        event, _accepted(event), others, pin_all=True, time_limit=1
    )
    instance = scheduler.Instance(problem)
    index = next(i for i, s in enumerate(slots) if s.pk == slot.pk)
    request = instance.requests.get(meeting_request.pk)
    if request is None:
        return None
    from .scheduler import placement

    board = placement.board_with_pinned(instance)
    a, b = request.parties
    for option_slot, kind in instance.options(request):
        if option_slot == index and board.fits(a, b, index, kind):
            board.place(a, b, index, kind)
            taken = {table for (s, table) in board.kept.values() if s == index}
            table = next(t for t in instance.open_tables[(index, kind)] if t not in taken)
            return Meeting.objects.create(
                request=meeting_request,
                slot=slot,
                meeting_point_id=table,
                is_pinned=True,
            )
    return None


MIN_TIME_LIMIT, MAX_TIME_LIMIT = 1, 120


def _check_run(actor, event: Event, time_limit: float) -> None:
    if actor is not None and not rules.can_manage_networking(actor, event):
        raise PermissionDenied(_("You may not run the scheduler of this event."))
    if not MIN_TIME_LIMIT <= time_limit <= MAX_TIME_LIMIT:
        raise ValidationError(
            {"time_limit": _("Give the scheduler between 1 and 120 seconds.")}, code="range"
        )


@transaction.atomic
def start_scheduler_run(
    *, actor, event: Event, replan: bool = False, time_limit: float = 10.0
) -> SchedulerRun:
    """Queue a scheduler run (a background task, as a large event takes up to
    the time limit); the run's page shows it running, then its report."""
    from .tasks import run_meeting_scheduler

    _check_run(actor, event, time_limit)
    run = SchedulerRun.objects.create(
        event=event, started_by=actor, replan=replan, report={"time_limit": time_limit}
    )
    transaction.on_commit(lambda: run_meeting_scheduler.enqueue(run_id=run.pk))
    return run


@transaction.atomic
def run_scheduler(
    *,
    actor,
    event: Event,
    replan: bool = False,
    time_limit: float = 10.0,
    run: SchedulerRun | None = None,
) -> SchedulerRun:
    """Place every accepted request on the grid. Incremental by default: the
    meetings already set stay where they are and only the others are placed.
    A full re-plan (organisers' request) keeps only the meetings fixed by hand
    and may move every other one. Moved and new meetings are told to both sides.
    Runs of one event wait for each other (the grid row is locked)."""
    _check_run(actor, event, time_limit)
    MeetingGrid.objects.select_for_update().get_or_create(event=event)
    if run is None:
        run = SchedulerRun.objects.create(event=event, started_by=actor, replan=replan)
    _drop_requests_of_absentees(event)
    requests = _accepted(event)
    by_id = {r.pk: r for r in requests}
    meetings = {
        m.request_id: m
        for m in Meeting.objects.filter(request__event=event).select_related(
            "meeting_point", "slot"
        )
    }
    problem, slots, points, keys, skipped = _problem(
        event, requests, meetings, pin_all=not replan, time_limit=time_limit
    )
    try:
        solution = scheduler.schedule(problem)
    except ValueError as error:
        run.status = RunStatus.FAILED
        run.finished_at = timezone.now()
        run.report = {"error": str(error)}
        run.save()
        return run
    point_by_id = {p.pk: p for p in points}
    new, moved, removed = [], [], []
    # Moves are written as delete + create so that two meetings swapping
    # tables never meet the one-meeting-per-table constraint half-way.
    for request_id, meeting in meetings.items():
        target = solution.assignments.get(request_id)
        if target is None:
            if request_id in by_id and by_id[request_id].pk in {r.pk for r in skipped}:
                continue
            if request_id in by_id:
                removed.append(meeting)
                meeting.delete()
            continue
        slot_index, table = target
        if slots[slot_index].pk != meeting.slot_id or table != meeting.meeting_point_id:
            moved.append(meeting)
            meeting.delete()
    previous = {m.request_id: m for m in moved}
    placed = []
    for request_id, (slot_index, table) in solution.assignments.items():
        if request_id in meetings and request_id not in previous:
            continue  # kept where it was
        old = previous.get(request_id)
        extra = {"room_token": old.room_token, "sequence": old.sequence + 1} if old else {}
        meeting = Meeting(
            request=by_id[request_id],
            slot=slots[slot_index],
            meeting_point=point_by_id[table],
            is_pinned=old.is_pinned if old else False,
            run=run,
            **extra,
        )
        placed.append((meeting, old is not None))
        if old is None:
            new.append(meeting)
    Meeting.objects.bulk_create([meeting for meeting, _moved in placed], batch_size=1000)
    unplaced = [r for r in skipped if r.pk not in meetings]  # those with a meeting keep it
    run.report = _report(
        solution, by_id, keys, points, unplaced, new=len(new), moved=len(moved), removed=removed
    )
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.save()
    for meeting, changed in placed:
        _tell_meeting(meeting, changed=changed)
    for meeting in removed:
        _tell_meeting(meeting, removed=True)
    return run


def _drop_requests_of_absentees(event: Event) -> None:
    """Requests of someone whose registration is no longer confirmed
    (cancelled, declined) are cancelled and their meetings freed; the other
    side is told."""
    gone = (
        MeetingRequest.objects.filter(event=event, status__in=OPEN_REQUEST_STATUSES)
        .exclude(
            requester__status=RegistrationStatus.CONFIRMED,
            recipient__status=RegistrationStatus.CONFIRMED,
        )
        .select_related("requester", "recipient", "event")
    )
    for meeting_request in gone:
        Meeting.objects.filter(request=meeting_request).delete()
        meeting_request.status = RequestStatus.CANCELLED
        meeting_request.save(update_fields=["status", "updated_at"])
        for side, other in (
            (meeting_request.requester, meeting_request.recipient),
            (meeting_request.recipient, meeting_request.requester),
        ):
            if side.status == RegistrationStatus.CONFIRMED:
                _tell(
                    side,
                    kind="networking.cancelled",
                    title=translated(
                        gettext_lazy("%(name)s no longer attends: your meeting is cancelled"),
                        {"name": other.participant_name},
                    ),
                    url=partial(_url, event),
                )


def _tell_meeting(meeting: Meeting, *, changed: bool = False, removed: bool = False) -> None:
    meeting_request = meeting.request
    event = meeting_request.event
    for side, other, delegation in (
        (
            meeting_request.requester,
            meeting_request.recipient_label,
            meeting_request.requester_organisation_id,
        ),
        (
            meeting_request.recipient,
            meeting_request.requester_label,
            meeting_request.recipient_organisation_id,
        ),
    ):
        values = {"name": other, "time": _when(meeting.slot), "place": meeting.meeting_point.name}
        if removed:
            title = translated(
                gettext_lazy("Your meeting with %(name)s at %(time)s could not be kept"), values
            )
        elif changed:
            title = translated(
                gettext_lazy("Your meeting with %(name)s moved to %(time)s, %(place)s"), values
            )
        else:
            title = translated(gettext_lazy("Meeting with %(name)s: %(time)s, %(place)s"), values)
        _tell(
            side,
            kind="networking.meeting_changed" if changed or removed else "networking.meeting_new",
            title=title,
            url=partial(_url, event),
            delegation_of=delegation,
        )


def _party_labels(requests: dict) -> dict[str, str]:
    """Scheduler party key -> the name organisers read in the report."""
    labels: dict[str, str] = {}
    for r in requests.values():
        for registration, organisation in (
            (r.requester, r.requester_organisation),
            (r.recipient, r.recipient_organisation),
        ):
            labels.setdefault(f"r{registration.pk}", registration.participant_name)
            for org in (organisation, registration.organisation):
                if org is not None:
                    labels.setdefault(
                        f"o{org.pk}", _("Delegation of %(name)s") % {"name": org.name}
                    )
    return labels


def _report(solution, by_id, keys, points, skipped, *, new, moved, removed) -> dict:
    """The audit report of a run, stored as JSON: what was asked, what was
    placed, the proven bound, and why each request left out could not be placed."""
    labels = _party_labels(by_id)

    def label(key):
        return labels.get(key, str(key))

    unscheduled = []
    for request_id, why in solution.unscheduled.items():
        r = by_id[request_id]
        unscheduled.append(
            {
                "request": request_id,
                "between": [r.requester_label, r.recipient_label],
                "reason": str(why.reason),
                "party": label(why.party_id) if why.party_id else "",
            }
        )
    for r in skipped:
        unscheduled.append(
            {
                "request": r.pk,
                "between": [r.requester_label, r.recipient_label],
                "reason": "same_delegation",
                "party": "",
            }
        )
    shortfall = sorted(
        (
            {"party": label(party), "requested": s.requested, "scheduled": s.scheduled}
            for party, s in solution.per_participant_shortfall.items()
            if s.missing
        ),
        key=lambda row: (-(row["requested"] - row["scheduled"]), row["party"]),
    )
    names = {p.pk: p.name for p in points}
    return {
        "requested": len(by_id),
        "scheduled": solution.scheduled,
        "weighted": solution.weighted,
        "bound": solution.bound,
        "status": solution.status,
        "greedy_scheduled": solution.greedy_scheduled,
        "greedy_weighted": solution.greedy_weighted,
        "idle_gaps": solution.idle_gaps,
        "seconds": round(solution.seconds, 3),
        "new": new,
        "moved": moved,
        "removed": len(removed),
        "unscheduled": unscheduled,
        "shortfall": shortfall,
        "table_use": [
            {"table": names.get(table, str(table)), "meetings": count}
            for table, count in solution.table_use.items()
        ],
        "warnings": list(solution.warnings),
    }
