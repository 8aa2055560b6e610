"""The networking exchange format: a JSON document with an event's meeting
points, slots, meeting requests, meetings and the participants' availability
(RFC 7953 VAVAILABILITY in iCalendar), so that a networking centre can move
between tools. Specified in ``docs/networking-format.md``.

Imports are all-or-nothing: every row is checked first and the problems are
reported row by row (``section[index].field``); nothing is written unless
the whole file is right.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from municipia.accounts import rules
from municipia.directory.imports.report import ImportReport, Problem
from municipia.events.enums import RegistrationStatus
from municipia.events.models import Event, Registration

from . import vavailability
from .enums import MeetingPlace, MeetingPointKind, Priority, RequestStatus
from .models import AvailabilityBlock, Meeting, MeetingPoint, MeetingRequest, Slot

FORMAT = "municipia-networking"
VERSION = 1
MAX_BYTES = 20 * 1024 * 1024


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z") if moment else None


def _span(event: Event) -> tuple[datetime.datetime, datetime.datetime]:
    tz = event.tz
    start = datetime.datetime.combine(event.starts_on, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        event.ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return start, end


def export_event(event: Event) -> dict:
    """The whole networking centre of an event as one JSON-ready dict.
    Participants are named by e-mail address: the export is for the organisers."""
    points = list(MeetingPoint.objects.filter(event=event))
    slots = list(Slot.objects.filter(event=event))
    requests = list(
        MeetingRequest.objects.filter(event=event).select_related(
            "requester", "recipient", "proposed_slot", "proposed_by"
        )
    )
    meetings = list(
        Meeting.objects.filter(request__event=event).select_related("slot", "meeting_point")
    )
    people = {r.requester for r in requests} | {r.recipient for r in requests}
    people |= set(
        Registration.objects.filter(event=event, networking_profile__isnull=False).select_related(
            "networking_profile"
        )
    )
    blocks: dict[int, list] = {}
    for block in AvailabilityBlock.objects.filter(registration__event=event):
        blocks.setdefault(block.registration_id, []).append((block.starts_at, block.ends_at))
    start, end = _span(event)
    availability = [
        vavailability.from_blocks(
            uid=f"{event.slug}-availability-{registration.pk}",
            organizer=registration.participant_email,
            start=start,
            end=end,
            blocks=blocks[registration.pk],
        )
        for registration in sorted(people, key=lambda r: r.pk)
        if registration.pk in blocks
    ]
    profiles = {r.pk: r.networking_profile for r in people if hasattr(r, "networking_profile")}
    return {
        "format": FORMAT,
        "version": VERSION,
        "event": {"slug": event.slug, "title": event.title, "time_zone": event.time_zone},
        "participants": [
            {
                "email": r.participant_email,
                "name": r.participant_name,
                "organisation": r.organisation.name if r.organisation_id else None,
                "networking": bool(profiles.get(r.pk) and profiles[r.pk].is_active),
                "mode": profiles[r.pk].mode if r.pk in profiles else None,
                "languages": profiles[r.pk].languages if r.pk in profiles else [],
                "topics": profiles[r.pk].topics if r.pk in profiles else "",
            }
            for r in sorted(people, key=lambda r: r.pk)
        ],
        "meeting_points": [
            {
                "name": p.name,
                "kind": p.kind,
                "capacity": p.capacity,
                "location": p.location,
                "online_url": p.online_url,
                "active": p.is_active,
            }
            for p in points
        ],
        "slots": [
            {"start": _iso(s.starts_at), "end": _iso(s.ends_at), "period": s.period} for s in slots
        ],
        "requests": [
            {
                "id": str(r.pk),
                "from": r.requester.participant_email,
                "from_delegation": r.requester_organisation_id is not None,
                "to": r.recipient.participant_email,
                "to_delegation": r.recipient_organisation_id is not None,
                "status": r.status,
                "priority": r.priority,
                "mode": r.mode,
                "message": r.message,
                "proposed_start": _iso(r.proposed_slot.starts_at) if r.proposed_slot_id else None,
                "created": _iso(r.created_at),
                "deadline": _iso(r.deadline),
            }
            for r in requests
        ],
        "meetings": [
            {
                "request": str(m.request_id),
                "start": _iso(m.slot.starts_at),
                "meeting_point": m.meeting_point.name,
                "fixed": m.is_pinned,
                "no_show": [
                    side
                    for side, absent in (
                        ("from", m.requester_no_show),
                        ("to", m.recipient_no_show),
                    )
                    if absent
                ],
            }
            for m in meetings
        ],
        "availability": vavailability.render(availability) if availability else "",
    }


# -- import --------------------------------------------------------------------------


@dataclass
class _Plan:
    points: list[dict] = field(default_factory=list)
    slots: list[dict] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    meetings: list[dict] = field(default_factory=list)
    blocks: dict = field(default_factory=dict)  # registration -> [(start, end)]


class _Checker:
    def __init__(self, report: ImportReport):
        self.report = report

    def problem(self, where: str, message: str, row: int | None = None) -> None:
        self.report.problems.append(Problem(row=row, column=where, message=str(message)))

    def time(self, value, where: str, row: int) -> datetime.datetime | None:
        moment = parse_datetime(value) if isinstance(value, str) else None
        if moment is None or moment.tzinfo is None:
            self.problem(
                where,
                _("Expected a date and time with its offset, e.g. 2027-03-10T13:00:00Z."),
                row,
            )
            return None
        return moment

    def choice(self, value, choices, where: str, row: int, default):
        if value is None:
            return default
        if value not in choices.values:
            self.problem(
                where,
                _("“%(value)s” is not one of %(choices)s.")
                % {"value": value, "choices": ", ".join(str(c) for c in choices.values)},
                row,
            )
        return value


def import_file(*, actor, event: Event, file, dry_run: bool = False) -> ImportReport:
    report = ImportReport(kind="networking", dry_run=dry_run)
    raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        report.problems.append(Problem(None, "", _("The file is larger than 20 MB.")))
        return report
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        report.problems.append(
            Problem(None, "", _("Not a JSON file: %(error)s") % {"error": error})
        )
        return report
    return import_data(actor=actor, event=event, data=data, report=report, dry_run=dry_run)


def import_data(
    *,
    actor,
    event: Event,
    data,
    report: ImportReport | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import an exchange document into ``event``: meeting points (by name),
    slots (by start), requests between the event's registrations (by e-mail),
    meetings and blocked times. Requests already open between the same two
    people are left as they are. ``actor`` None is the system (a command);
    ``dry_run`` only checks."""
    if actor is not None and not rules.can_manage_networking(actor, event):
        raise PermissionDenied(_("You may not import into this event."))
    report = report or ImportReport(kind="networking")
    check = _Checker(report)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        check.problem("format", _("This is not a municipia-networking document."))
        return report
    if data.get("version") != VERSION:
        check.problem(
            "version", _("Version %(version)s is not supported.") % {"version": data.get("version")}
        )
        return report
    people = {
        r.participant_email.lower(): r
        for r in Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    }
    plan = _Plan()
    _check_points(data.get("meeting_points", []), event, check, plan)
    _check_slots(data.get("slots", []), event, check, plan)
    _check_requests(data.get("requests", []), people, check, plan)
    _check_meetings(data.get("meetings", []), event, check, plan)
    _check_people_double_booked(plan, event, check)
    _check_availability(data.get("availability", ""), event, people, check, plan)
    report.rows = len(plan.points) + len(plan.slots) + len(plan.requests) + len(plan.meetings)
    if report.problems or dry_run:
        return report
    try:
        _write(event, actor, plan, report)
    except IntegrityError:
        # A meeting of the file takes a table already taken in the event.
        report.created = report.updated = report.unchanged = 0
        check.problem("meetings", _("A meeting of the file takes a table already in use then."))
    return report


def _list(value, name, check) -> list:
    if not isinstance(value, list):
        check.problem(name, _("Expected a list."))
        return []
    return value


def _check_points(rows, event, check, plan):
    names = set()
    for index, row in enumerate(_list(rows, "meeting_points", check)):
        where = f"meeting_points[{index}]"
        if not isinstance(row, dict) or not str(row.get("name") or "").strip():
            check.problem(f"{where}.name", _("A meeting point needs a name."), index)
            continue
        name = str(row["name"]).strip()[:120]
        if name in names:
            check.problem(f"{where}.name", _("This name is used twice."), index)
        names.add(name)
        kind = check.choice(
            row.get("kind"), MeetingPointKind, f"{where}.kind", index, MeetingPointKind.ON_SITE
        )
        capacity = row.get("capacity", 2)
        if not isinstance(capacity, int) or not 0 <= capacity <= 50:
            check.problem(f"{where}.capacity", _("Expected a whole number from 0 to 50."), index)
        url = str(row.get("online_url") or "")
        if kind == MeetingPointKind.VIRTUAL and not url.startswith(("https://", "http://")):
            check.problem(f"{where}.online_url", _("A virtual room needs a link."), index)
        plan.points.append(
            {
                "name": name,
                "kind": kind,
                "capacity": capacity,
                "location": str(row.get("location") or "")[:200],
                "online_url": url[:500],
                "is_active": bool(row.get("active", True)),
            }
        )


def _check_slots(rows, event, check, plan):
    """Slots are added by start; a slot overlapping another (of the file or of
    the event) with a different start is refused: overlapping slots would let
    one person meet twice at once."""
    known = {s.starts_at: s.ends_at for s in Slot.objects.filter(event=event)}
    for index, row in enumerate(_list(rows, "slots", check)):
        where = f"slots[{index}]"
        if not isinstance(row, dict):
            check.problem(where, _("Expected an object."), index)
            continue
        start = check.time(row.get("start"), f"{where}.start", index)
        end = check.time(row.get("end"), f"{where}.end", index)
        if start and end and end <= start:
            check.problem(f"{where}.end", _("A slot must end after it starts."), index)
        elif start and end:
            if start in known and known[start] != end:
                check.problem(
                    f"{where}.end", _("A slot starts then already, with another end."), index
                )
            elif any(
                other_start != start and start < other_end and end > other_start
                for other_start, other_end in known.items()
            ):
                check.problem(f"{where}.start", _("This slot overlaps another one."), index)
            known[start] = end
        plan.slots.append(
            {"start": start, "end": end, "period": str(row.get("period") or "")[:200]}
        )


def _check_requests(rows, people, check, plan):
    ids = set()
    for index, row in enumerate(_list(rows, "requests", check)):
        where = f"requests[{index}]"
        if not isinstance(row, dict):
            check.problem(where, _("Expected an object."), index)
            continue
        request_id = str(row.get("id") or "")
        if not request_id or request_id in ids:
            check.problem(f"{where}.id", _("Each request needs its own id."), index)
        ids.add(request_id)
        sides = []
        for key in ("from", "to"):
            email = str(row.get(key) or "").strip().lower()
            registration = people.get(email)
            if registration is None:
                check.problem(
                    f"{where}.{key}",
                    _("No confirmed participant of this event has the address “%(email)s”.")
                    % {"email": email},
                    index,
                )
            elif row.get(f"{key}_delegation") and registration.organisation_id is None:
                check.problem(
                    f"{where}.{key}_delegation", _("This participant has no organisation."), index
                )
            sides.append(registration)
        if sides[0] is not None and sides[0] == sides[1]:
            check.problem(f"{where}.to", _("A request needs two different participants."), index)
        status = check.choice(
            row.get("status"), RequestStatus, f"{where}.status", index, RequestStatus.REQUESTED
        )
        priority = check.choice(
            row.get("priority"), Priority, f"{where}.priority", index, Priority.NORMAL
        )
        mode = check.choice(row.get("mode"), MeetingPlace, f"{where}.mode", index, MeetingPlace.ANY)
        deadline = row.get("deadline")
        deadline = check.time(deadline, f"{where}.deadline", index) if deadline else None
        proposed = row.get("proposed_start")
        proposed = check.time(proposed, f"{where}.proposed_start", index) if proposed else None
        plan.requests.append(
            {
                "id": request_id,
                "requester": sides[0],
                "recipient": sides[1],
                "from_delegation": bool(row.get("from_delegation")),
                "to_delegation": bool(row.get("to_delegation")),
                "status": status,
                "priority": priority,
                "mode": mode,
                "message": str(row.get("message") or "")[:2000],
                "deadline": deadline,
                "proposed_start": proposed,
                "index": index,
            }
        )


def _check_meetings(rows, event, check, plan):
    request_ids = {r["id"]: r for r in plan.requests}
    slot_starts = {s["start"] for s in plan.slots if s["start"]} | set(
        Slot.objects.filter(event=event).values_list("starts_at", flat=True)
    )
    point_names = {p["name"] for p in plan.points} | set(
        MeetingPoint.objects.filter(event=event).values_list("name", flat=True)
    )
    taken = set()
    for index, row in enumerate(_list(rows, "meetings", check)):
        where = f"meetings[{index}]"
        if not isinstance(row, dict):
            check.problem(where, _("Expected an object."), index)
            continue
        request = request_ids.get(str(row.get("request") or ""))
        if request is None:
            check.problem(f"{where}.request", _("No request of the file has this id."), index)
        elif request["status"] != RequestStatus.ACCEPTED:
            check.problem(f"{where}.request", _("Only accepted requests have meetings."), index)
        start = check.time(row.get("start"), f"{where}.start", index)
        if start and start not in slot_starts:
            check.problem(f"{where}.start", _("No slot starts at this time."), index)
        point = str(row.get("meeting_point") or "")
        if point not in point_names:
            check.problem(f"{where}.meeting_point", _("No meeting point has this name."), index)
        if (start, point) in taken:
            check.problem(f"{where}.meeting_point", _("Two meetings at one table at once."), index)
        taken.add((start, point))
        plan.meetings.append(
            {
                "request": request,
                "start": start,
                "point": point,
                "fixed": bool(row.get("fixed")),
                "no_show": row.get("no_show") or [],
            }
        )


def _check_people_double_booked(plan, event, check):
    """Nobody in two meetings at once, counting the meetings already set in
    the event; a meeting of the file that is already there (same two people,
    same time) is not counted twice."""
    seen: dict[tuple, tuple] = {}  # (registration, start) -> (where, pair)
    for meeting in Meeting.objects.filter(request__event=event).select_related("request", "slot"):
        pair = (meeting.request.requester_id, meeting.request.recipient_id)
        for registration_id in pair:
            seen[(registration_id, meeting.slot.starts_at)] = ("event", pair)
    for index, meeting in enumerate(plan.meetings):
        request = meeting["request"]
        sides = (request["requester"], request["recipient"]) if request else (None, None)
        if None in sides or meeting["start"] is None:
            continue
        pair = (sides[0].pk, sides[1].pk)
        for registration in sides:
            key = (registration.pk, meeting["start"])
            if key in seen and seen[key] != ("event", pair):
                check.problem(
                    f"meetings[{index}].start",
                    _("%(name)s has two meetings at this time.")
                    % {"name": registration.participant_name},
                    index,
                )
            seen[key] = ("file", pair)


def _check_availability(text, event, people, check, plan):
    if not text:
        return
    if not isinstance(text, str):
        check.problem("availability", _("Expected iCalendar text."))
        return
    try:
        entries = vavailability.parse(text, default_tz=event.time_zone)
    except vavailability.AvailabilityError as error:
        check.problem("availability", str(error))
        return
    for index, entry in enumerate(entries):
        registration = people.get(entry.organizer)
        if registration is None:
            check.problem(
                f"availability[{index}].organizer",
                _("No confirmed participant of this event has the address “%(email)s”.")
                % {"email": entry.organizer},
                index,
            )
            continue
        plan.blocks[registration] = entry.blocked


@transaction.atomic
def _write(event, actor, plan, report):
    for point in plan.points:
        _obj, created = MeetingPoint.objects.update_or_create(
            event=event, name=point.pop("name"), defaults=point
        )
        report.created += created
        report.updated += not created
    for slot in plan.slots:
        _obj, created = Slot.objects.get_or_create(
            event=event,
            starts_at=slot["start"],
            defaults={"ends_at": slot["end"], "period": slot["period"]},
        )
        report.created += created
        report.unchanged += not created
    slots = {s.starts_at: s for s in Slot.objects.filter(event=event)}
    points = {p.name: p for p in MeetingPoint.objects.filter(event=event)}
    made = {}
    for row in plan.requests:
        requester, recipient = row["requester"], row["recipient"]
        existing = MeetingRequest.objects.filter(
            requester=requester,
            recipient=recipient,
            status__in=[RequestStatus.REQUESTED, RequestStatus.ACCEPTED],
        ).first()
        if existing is not None and row["status"] in (
            RequestStatus.REQUESTED,
            RequestStatus.ACCEPTED,
        ):
            made[row["id"]] = existing
            report.unchanged += 1
            continue
        made[row["id"]] = MeetingRequest.objects.create(
            event=event,
            requester=requester,
            requester_organisation_id=requester.organisation_id if row["from_delegation"] else None,
            recipient=recipient,
            recipient_organisation_id=recipient.organisation_id if row["to_delegation"] else None,
            status=row["status"],
            priority=row["priority"],
            mode=row["mode"],
            message=row["message"],
            deadline=row["deadline"],
            proposed_slot=slots.get(row["proposed_start"]),
            created_by=actor,
        )
        report.created += 1
    for row in plan.meetings:
        meeting_request = made[row["request"]["id"]]
        if Meeting.objects.filter(request=meeting_request).exists():
            report.unchanged += 1
            continue
        Meeting.objects.create(
            request=meeting_request,
            slot=slots[row["start"]],
            meeting_point=points[row["point"]],
            is_pinned=row["fixed"],
            requester_no_show="from" in row["no_show"],
            recipient_no_show="to" in row["no_show"],
        )
        report.created += 1
    for registration, blocks in plan.blocks.items():
        AvailabilityBlock.objects.filter(registration=registration).delete()
        AvailabilityBlock.objects.bulk_create(
            AvailabilityBlock(registration=registration, starts_at=start, ends_at=end)
            for start, end in blocks
        )
        report.updated += 1
