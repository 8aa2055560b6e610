"""Reads of the networking centre: who takes part, requests, meetings (for
agendas and calendar feeds), the organisers' dashboard and table plans, and
recommendations of whom to meet from the matching engine."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from municipia.accounts import rules
from municipia.events.enums import AgendaStatus, RegistrationStatus, SessionKind
from municipia.events.models import AgendaItem, Event, Registration

from .enums import OPEN_REQUEST_STATUSES, RequestStatus
from .models import (
    AvailabilityBlock,
    Meeting,
    MeetingGrid,
    MeetingPoint,
    MeetingRequest,
    NetworkingProfile,
    Slot,
)


def grid_of(event: Event) -> MeetingGrid | None:
    return MeetingGrid.objects.filter(event=event).prefetch_related("periods").first()


def registration_for(user, event: Event) -> Registration | None:
    """The user's own confirmed registration at the event."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.filter(event=event, user=user, status=RegistrationStatus.CONFIRMED)
        .select_related("organisation", "event")
        .first()
    )


def profile_of(registration: Registration) -> NetworkingProfile | None:
    return NetworkingProfile.objects.filter(registration=registration).first()


def networking_participants(event: Event) -> QuerySet[Registration]:
    """Confirmed participants open to meeting requests."""
    return (
        Registration.objects.filter(
            event=event,
            status=RegistrationStatus.CONFIRMED,
            networking_profile__is_active=True,
        )
        .select_related("organisation", "networking_profile")
        .order_by("participant_name", "pk")
    )


def _party_filter(prefix: str, registration: Registration) -> Q:
    """Requests where the registration is the named side, or a member of the
    delegation that is that side."""
    own = Q(**{prefix: registration})
    if not rules.speaks_for_delegation(registration):
        return own
    return own | Q(
        **{f"{prefix}_organisation_id": registration.organisation_id},
        event_id=registration.event_id,
    )


def requests_with_sides():
    return MeetingRequest.objects.select_related(
        "requester",
        "recipient",
        "requester_organisation",
        "recipient_organisation",
        "requester__organisation",
        "recipient__organisation",
        "proposed_slot",
        "proposed_by",
        "meeting__slot",
        "meeting__meeting_point",
    )


def inbox(registration: Registration) -> QuerySet[MeetingRequest]:
    return (
        requests_with_sides()
        .filter(_party_filter("recipient", registration))
        .order_by("-created_at")
    )


def outbox(registration: Registration) -> QuerySet[MeetingRequest]:
    return (
        requests_with_sides()
        .filter(_party_filter("requester", registration))
        .order_by("-created_at")
    )


def meetings_of(registration: Registration) -> list[Meeting]:
    """The meetings a participant attends, in time order: their own and their
    delegation's. Events' agenda and iCalendar feed call this."""
    requests = _party_filter("requester", registration) | _party_filter("recipient", registration)
    request_ids = MeetingRequest.objects.filter(requests, status=RequestStatus.ACCEPTED).values(
        "pk"
    )
    return list(
        Meeting.objects.filter(request_id__in=request_ids)
        .select_related(
            "slot",
            "meeting_point",
            "request__requester__organisation",
            "request__recipient__organisation",
            "request__requester_organisation",
            "request__recipient_organisation",
            "request__event",
        )
        .order_by("slot__starts_at", "pk")
    )


def calendar_entries(registration: Registration, *, base_url: str = "") -> list:
    """The participant's meetings as ``events.formats.ical.CalendarEntry``
    objects, for the agenda's iCalendar feed (events calls this). Each move
    raises the SEQUENCE so that calendars replace their copy."""
    from municipia.events.formats.ical import CalendarEntry

    entries = []
    for meeting in meetings_of(registration):
        meeting_request = meeting.request
        point = meeting.meeting_point
        other = other_side_label(meeting_request, registration)
        location = f"{point.name}, {point.location}" if point.location else point.name
        entries.append(
            CalendarEntry(
                uid=f"networking-meeting-{meeting_request.pk}@municipia",
                summary=str(_("Meeting with %(name)s") % {"name": other}),
                start=meeting.slot.starts_at,
                end=meeting.slot.ends_at,
                description=meeting_request.message,
                location=location,
                url=meeting.online_url or base_url,
                tz_name=meeting_request.event.time_zone,
                categories=("networking",),
                sequence=meeting.sequence,
                last_modified=meeting.updated_at,
            )
        )
    return entries


def is_requester_side(meeting_request: MeetingRequest, registration: Registration) -> bool:
    """Whether the registration is (or belongs to the delegation of) the side
    that asked."""
    return meeting_request.requester_id == registration.pk or bool(
        meeting_request.requester_organisation_id
        and meeting_request.requester_organisation_id == registration.organisation_id
    )


def is_answering(meeting_request: MeetingRequest, registration: Registration) -> bool:
    """Whether it is the registration's side that answers now: the recipient,
    or the requester once the recipient proposed another time."""
    if meeting_request.status != "requested":
        return False
    recipient_proposed = meeting_request.proposed_by_id == meeting_request.recipient_id
    return is_requester_side(meeting_request, registration) == recipient_proposed


def other_side_label(meeting_request: MeetingRequest, registration: Registration) -> str:
    """Whom the registration meets in this request."""
    if is_requester_side(meeting_request, registration):
        return meeting_request.recipient_label
    return meeting_request.requester_label


def busy_intervals_of(registrations: list[Registration]) -> dict[int, list[tuple]]:
    """Registration id -> (start, end) of the sessions in their agenda and the
    times they blocked, read at once for the scheduler. Sessions count as in
    ``events.selectors.busy_intervals`` (seats held, not cancelled) except the
    networking sessions themselves: being there is what makes one free to meet."""
    ids = [r.pk for r in registrations]
    busy: dict[int, list[tuple]] = defaultdict(list)
    items = (
        AgendaItem.objects.filter(
            registration_id__in=ids,
            status=AgendaStatus.CONFIRMED,
            session__is_cancelled=False,
        )
        .exclude(session__kind=SessionKind.NETWORKING)
        .values_list("registration_id", "session__starts_at", "session__ends_at")
    )
    for registration_id, start, end in items:
        busy[registration_id].append((start, end))
    blocks = AvailabilityBlock.objects.filter(registration_id__in=ids).values_list(
        "registration_id", "starts_at", "ends_at"
    )
    for registration_id, start, end in blocks:
        busy[registration_id].append((start, end))
    return busy


def free_slots_for(registration: Registration) -> list[Slot]:
    """Slots of the event where the participant is neither in a session, nor
    blocked, nor in another meeting: the times they may propose."""
    busy = busy_intervals_of([registration])[registration.pk]
    taken = {m.slot_id for m in meetings_of(registration)}
    slots = Slot.objects.filter(event_id=registration.event_id)
    return [
        slot
        for slot in slots
        if slot.pk not in taken
        and not any(start < slot.ends_at and end > slot.starts_at for start, end in busy)
    ]


@dataclass(frozen=True)
class Dashboard:
    participants: int
    requests: int
    by_status: dict
    acceptance_rate: float | None  # accepted among answered requests
    accepted: int
    scheduled: int
    slots: int
    tables: int
    occupancy: float | None  # meetings / (slots × tables)
    no_shows: int


def dashboard(event: Event) -> Dashboard:
    by_status = Counter(MeetingRequest.objects.filter(event=event).values_list("status", flat=True))
    answered = by_status[RequestStatus.ACCEPTED] + by_status[RequestStatus.DECLINED]
    meetings = Meeting.objects.filter(request__event=event)
    scheduled = meetings.count()
    slots = Slot.objects.filter(event=event).count()
    tables = MeetingPoint.objects.filter(event=event, is_active=True).count()
    capacity = slots * tables
    return Dashboard(
        participants=networking_participants(event).count(),
        requests=sum(by_status.values()),
        by_status={status.label: by_status[status.value] for status in RequestStatus},
        acceptance_rate=(by_status[RequestStatus.ACCEPTED] / answered) if answered else None,
        accepted=by_status[RequestStatus.ACCEPTED],
        scheduled=scheduled,
        slots=slots,
        tables=tables,
        occupancy=(scheduled / capacity) if capacity else None,
        no_shows=meetings.filter(Q(requester_no_show=True) | Q(recipient_no_show=True)).count(),
    )


def table_plan(event: Event) -> tuple[list[MeetingPoint], list[tuple[Slot, list]]]:
    """The grid of meetings: points as columns, one row per slot with the
    meeting (or None) at each point."""
    points = list(MeetingPoint.objects.filter(event=event, is_active=True))
    meetings = Meeting.objects.filter(request__event=event).select_related(
        "request__requester_organisation",
        "request__recipient_organisation",
        "request__requester",
        "request__recipient",
    )
    at = {(m.slot_id, m.meeting_point_id): m for m in meetings}
    rows = [
        (slot, [at.get((slot.pk, point.pk)) for point in points])
        for slot in Slot.objects.filter(event=event)
    ]
    return points, rows


def open_requests_between(requester: Registration, recipient: Registration) -> bool:
    return MeetingRequest.objects.filter(
        Q(requester=requester, recipient=recipient) | Q(requester=recipient, recipient=requester),
        status__in=OPEN_REQUEST_STATUSES,
    ).exists()


# -- recommendations -------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    registration: Registration
    score: float
    reasons: tuple[str, ...]  # sentences in the viewer's language


def recommendations_for(registration: Registration, *, limit: int = 10) -> list[Recommendation]:
    """Participants worth meeting, best first: the matching engine's reciprocal
    score between the organisations, with its reasons. Participants already
    asked (either way, open requests) and those of the same organisation are
    left out."""
    from municipia.matching import reasons as reason_text
    from municipia.matching.selectors import current_engine

    own = registration.organisation
    if own is None:
        return []
    candidates = [
        other
        for other in networking_participants(registration.event)
        if other.pk != registration.pk
        and other.organisation_id is not None
        and other.organisation_id != own.pk
    ]
    if not candidates:
        return []
    engine = current_engine()
    key = str(own.pk)
    if key not in engine.index:
        return []
    asked = set()
    for requester_id, recipient_id in MeetingRequest.objects.filter(
        Q(requester=registration) | Q(recipient=registration), status__in=OPEN_REQUEST_STATUSES
    ).values_list("requester_id", "recipient_id"):
        asked.update((requester_id, recipient_id))
    a = engine.index[key]
    scores = engine.scores(key)
    signals = engine.signals(key)
    scored = []
    for other in candidates:
        b = engine.index.get(str(other.organisation_id))
        if b is None or other.pk in asked:
            continue
        scored.append((float(scores[b]), other, b))
    scored.sort(key=lambda item: (-item[0], item[1].participant_name, item[1].pk))
    scored = scored[:limit]

    @dataclass(frozen=True)
    class _Suggestion:
        organisation: object
        reasons: tuple

    suggestions = [
        _Suggestion(
            organisation=other.organisation, reasons=tuple(engine.reasons(a, b, signals[b]))
        )
        for _, other, b in scored
    ]
    explained = reason_text.sentences_for(suggestions, own)
    return [
        Recommendation(
            registration=other,
            score=score,
            reasons=tuple(r["sentence"] for r in reasons if r["sentence"]),
        )
        for (score, other, _b), (_s, reasons) in zip(scored, explained, strict=True)
    ]
