"""Programmes in and out of files: the events models mapped to and from the
pure format dataclasses (``municipia.events.formats``).

* ``schedule_from_event`` and the writers give the frab XML, schedule.json and
  iCalendar exports. Exports never carry online links (only participants the
  audience rule admits may see them) and leave cancelled sessions out, except
  in calendars, where a cancelled session must replace the copy people have.
* ``import_programme`` reads a frab XML or schedule.json file into an event:
  all-or-nothing, idempotent (sessions are matched by the file's guid, kept as
  ``external_id``, or by the guid municipia itself exported), rooms and days
  created as needed, speakers kept as guests. What the file cannot say (audience,
  capacity, online link, tbc marks, moderators) is left as the organisers set it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pycountry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.accounts import rules
from municipia.directory.imports.report import ImportReport, Problem
from municipia.taxonomy.models import Theme, in_language

from .enums import SessionKind, SessionRole
from .feeds import event_entry, session_entry
from .formats import ical
from .formats.detect import read_programme
from .formats.frab import ScheduleFormatError, export_acronym, write_frab
from .formats.model import (
    DayData,
    Notice,
    PersonData,
    RoomData,
    ScheduleData,
    SessionData,
    TrackData,
    derived_uuid,
    is_uuid,
    plain_text,
    slugify,
)
from .formats.schedule_json import write_schedule_json
from .models import Day, Event, Room, Session, SessionPerson
from .selectors import programme_sessions

FORMATS = ("ical", "frab-xml", "schedule-json")
MAX_FILE_BYTES = 20 * 1024 * 1024

# Model field lengths the import must respect.
TITLE_LENGTH = Session._meta.get_field("title").max_length
ROOM_LENGTH = Room._meta.get_field("name").max_length
PLACE_LENGTH = Session._meta.get_field("place_name").max_length
EXTERNAL_ID_LENGTH = Session._meta.get_field("external_id").max_length
GUEST_LENGTH = SessionPerson._meta.get_field("guest_name").max_length


# ---------------------------------------------------------------- identifiers


def event_acronym(event: Event) -> str:
    return export_acronym(ScheduleData(title=event.title, acronym=event.slug))


def session_guid(session: Session, event: Event) -> str:
    """The UUID a session carries in exports: its imported guid when that is a
    UUID, else one derived from it or from the session's own key. Imports
    recognise it, so re-importing an export changes nothing."""
    key = session.external_id or f"municipia:{event.slug}:session:{session.pk}"
    return key if is_uuid(key) else derived_uuid("guid", event_acronym(event), key)


# ---------------------------------------------------------------- export


def _track_label(theme: Theme | None, language: str) -> str:
    return in_language(theme.labels, language) if theme is not None else ""


def schedule_from_event(event: Event, *, base_url: str = "") -> ScheduleData:
    """The event's programme in the common shape of frab XML and schedule.json."""
    base_url = base_url or settings.SITE_URL
    language = event.content_language or settings.LANGUAGE_CODE
    site = base_url.rstrip("/")
    page = f"{site}{event.get_absolute_url()}"
    sessions = list(programme_sessions(event).filter(is_cancelled=False))
    latest = max([event.updated_at, *(s.updated_at for s in sessions)])
    schedule = ScheduleData(
        title=event.title,
        acronym=event.slug,
        start=event.starts_on,
        end=event.ends_on,
        time_zone=event.time_zone,
        version=timezone.localtime(latest, event.tz).strftime("%Y-%m-%d %H:%M"),
        url=page,
        base_url=f"{site}/",
        description=event.description,
        days=[DayData(index=d.order or 0, date=d.date, theme=d.theme) for d in event.days.all()],
        rooms=[
            RoomData(
                name=room.name,
                guid=derived_uuid("room", event_acronym(event), room.name),
                capacity=room.capacity,
                kind="outside" if room.is_outside_venue else ("online" if room.online_url else ""),
            )
            for room in event.rooms.all()
        ],
    )
    tracks: dict[str, TrackData] = {}
    for session in sessions:
        track = _track_label(session.track, language)
        if track:
            tracks.setdefault(track, TrackData(name=track, slug=session.track.code))
        schedule.sessions.append(
            SessionData(
                guid=session_guid(session, event),
                id=session.pk,  # stable across exports, as apps keep favourites by id
                title=session.title,
                start=session.starts_at,
                duration=session.ends_at - session.starts_at,
                room=session.room.name if session.room_id else session.place_name,
                abstract=session.description,
                track=track,
                kind=session.kind,
                language=session.languages[0] if session.languages else "",
                persons=[
                    PersonData(
                        name=person.display_name,
                        role=person.role,
                        affiliation=person.affiliation,
                    )
                    for person in session.people.all()
                ],
                url=site + reverse("events:session", kwargs={"slug": event.slug, "pk": session.pk}),
            )
        )
    schedule.tracks = list(tracks.values())
    return schedule


def export_programme(event: Event, file_format: str, *, base_url: str = "") -> str:
    """The programme as ``ical``, ``frab-xml`` or ``schedule-json`` text."""
    if file_format == "ical":
        # The same calendar as the public programme feed: no online links.
        entries = [event_entry(event)] + [
            session_entry(session, show_link=False) for session in programme_sessions(event)
        ]
        return ical.render_calendar(
            entries, name=event.title, method="PUBLISH", tz_name=event.time_zone
        )
    schedule = schedule_from_event(event, base_url=base_url)
    if file_format == "frab-xml":
        return write_frab(schedule)
    if file_format == "schedule-json":
        return write_schedule_json(schedule)
    raise ValueError(f"Unknown programme format: {file_format}")


# ---------------------------------------------------------------- import


def translated(message: str) -> str:
    """A reader's message in the active language (readers write English and
    mark their templates for the catalogues)."""
    if isinstance(message, Notice):
        template = _(message.template)
        return template % message.params if message.params else template
    return str(message)


@dataclass
class ProgrammeImportReport(ImportReport):
    """The import report of the directory (rows are sessions) plus what a
    programme import adds: the format found, the reader's warnings, rooms and
    days created, sessions of the event the file does not mention."""

    format: str = ""
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0
    rooms_created: int = 0
    days_created: int = 0
    not_in_file: int = 0
    dates_extended: bool = False


# File "types" (frab/pretalx submission types are free text) to session kinds.
_KIND_WORDS = [
    (("workshop", "hands-on", "hands on", "lab"), SessionKind.WORKSHOP),
    (("training", "tutorial", "course", "campus"), SessionKind.TRAINING),
    (("breakout", "discussion", "bof", "round table", "roundtable"), SessionKind.BREAKOUT),
    (("reception", "cocktail", "party", "dinner", "lunch"), SessionKind.RECEPTION),
    (("networking", "meetup", "meet-up", "meeting", "assembly"), SessionKind.NETWORKING),
    (("side event", "side_event", "performance", "exhibition", "game"), SessionKind.SIDE_EVENT),
]


def session_kind(file_type: str) -> tuple[str, bool]:
    """(kind, exact): exact when the file names one of municipia's kinds (as its
    own exports do), else the closest kind by the words of the type."""
    value = (file_type or "").strip().lower()
    if value in SessionKind.values:
        return value, True
    for words, kind in _KIND_WORDS:
        if any(word in value for word in words):
            return kind, False
    return SessionKind.PLENARY, False


def _language_codes(value: str) -> list[str]:
    """["de"] for "de", "de-AT" or "de_DE"; nothing for what is not ISO 639-1."""
    code = (value or "").strip().lower().replace("_", "-").split("-")[0]
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        return []
    return [code]


def _description(session: SessionData) -> str:
    parts = [plain_text(session.subtitle), plain_text(session.abstract)]
    description = plain_text(session.description)
    if description and description not in parts:
        parts.append(description)
    return "\n\n".join(part for part in parts if part)


class _Themes:
    """Tracks of a file matched to themes of the taxonomy by code or by label in
    any language; unmatched tracks are reported once each."""

    def __init__(self):
        self.by_key: dict[str, Theme] = {}
        for theme in Theme.objects.all():
            self.by_key.setdefault(theme.code, theme)
            for label in (theme.labels or {}).values():
                self.by_key.setdefault(str(label).casefold(), theme)
        self.unmatched: dict[str, int] = {}

    def get(self, name: str) -> Theme | None:
        if not name:
            return None
        theme = self.by_key.get(slugify(name, "-")) or self.by_key.get(name.casefold())
        if theme is None:
            self.unmatched[name] = self.unmatched.get(name, 0) + 1
        return theme


class _Rollback(Exception):
    pass


def import_programme(
    *,
    event: Event,
    data: bytes | ScheduleData,
    actor=None,
    dry_run: bool = False,
    warnings: list[str] | None = None,
) -> ProgrammeImportReport:
    """Import a frab XML or schedule.json programme (bytes, format detected by
    content, or an already read ``ScheduleData``) into ``event``.

    All-or-nothing: a file that cannot be read writes nothing, and so does a dry
    run. Events of the file the reader cannot use are skipped and reported as
    warnings. Sessions are created or updated, never deleted: sessions of the
    event that the file does not mention are counted in ``not_in_file``.
    ``actor`` None is the command line (the system)."""
    report = ProgrammeImportReport(kind="programme", dry_run=dry_run)
    if actor is not None and not rules.can_manage_event(actor, event):
        raise PermissionDenied(_("You cannot change the programme of this event."))
    if isinstance(data, ScheduleData):
        schedule = data
        report.warnings = [translated(warning) for warning in warnings or []]
        report.format = "data"
    else:
        if len(data) > MAX_FILE_BYTES:
            report.problems.append(
                Problem(None, "", _("The file is larger than 20 MB; nothing was imported."))
            )
            return report
        try:
            report.format, schedule, reader_warnings = read_programme(
                data, default_tz=event.time_zone
            )
        except ScheduleFormatError as error:
            report.problems.append(Problem(None, "", translated(error.args[0])))
            return report
        report.warnings = [translated(warning) for warning in reader_warnings]
    report.rows = len(schedule.sessions)
    report.skipped = schedule.skipped_sessions
    try:
        with transaction.atomic():
            _write(event, schedule, report)
            if dry_run or report.problems:
                raise _Rollback
    except _Rollback:
        if report.problems:
            report.created = report.updated = report.unchanged = 0
    return report


def _write(event: Event, schedule: ScheduleData, report: ProgrammeImportReport) -> None:
    # One import of an event at a time: a second one waits, then finds the
    # sessions the first created instead of creating them again.
    event = Event.objects.select_for_update().get(pk=event.pk)
    sessions = list(event.sessions.prefetch_related("people"))
    by_guid: dict[str, Session] = {}
    for session in sessions:
        by_guid.setdefault(session_guid(session, event), session)
        if session.external_id:
            by_guid[session.external_id] = session

    _extend_dates(event, schedule, report)
    if report.problems:
        raise _Rollback
    rooms = {room.name: room for room in event.rooms.all()}
    _add_days(event, report)
    themes = _Themes()

    to_create: list[tuple[Session, list[PersonData], int]] = []
    to_update: list[Session] = []
    people_changes: list[tuple[Session, list[PersonData]]] = []
    seen: set[int] = set()
    now = timezone.now()

    for position, data in enumerate(schedule.sessions, start=1):
        title = data.title[:TITLE_LENGTH]
        if len(data.title) > TITLE_LENGTH:
            report.warnings.append(
                _("Session “%(title)s…”: title shortened to %(length)d characters.")
                % {"title": title[:60], "length": TITLE_LENGTH}
            )
        existing = by_guid.get(data.guid)
        if existing is not None and existing.pk in seen:
            existing = None  # two guids of the file that map to one session: keep both
        if (
            existing is not None
            and existing.room_id is None
            and existing.place_name
            and existing.place_name == (data.room or "").strip()
        ):
            # An outside place the organisers typed: exports write it as the
            # room's name; it stays a place, not a new room.
            room, place_name = None, existing.place_name
        else:
            room, place_name = _room_of(data.room, event, rooms, schedule, report)
        kind, exact_kind = session_kind(data.kind)
        theme = themes.get(data.track)
        fields = {
            "title": title,
            "description": _description(data),
            "starts_at": data.start,
            "ends_at": data.start + data.duration,
            "room": room,
            "place_name": place_name,
            "languages": _language_codes(data.language) or None,
        }
        if existing is None:
            external_id = data.guid
            if len(external_id) > EXTERNAL_ID_LENGTH:
                external_id = derived_uuid("long-guid", external_id)
            session = Session(
                event=event,
                external_id=external_id,
                kind=kind,
                track=theme,
                **{k: v for k, v in fields.items() if v is not None},
            )
            to_create.append((session, data.persons, position))
            report.created += 1
            continue
        seen.add(existing.pk)
        if exact_kind:
            fields["kind"] = kind
        if theme is not None:
            fields["track"] = theme
        changed = False
        for name, value in fields.items():
            if value is None:
                continue
            current = getattr(existing, "room_id" if name == "room" else name)
            wanted = value.pk if name == "room" and value is not None else value
            if name == "track":
                current, wanted = existing.track_id, value.pk
            if current != wanted:
                setattr(existing, name, value)
                changed = True
        people_changed = _people_differ(existing, data.persons)
        if people_changed:
            people_changes.append((existing, data.persons))
        if changed or people_changed:
            existing.sequence += 1
            existing.updated_at = now
            to_update.append(existing)
            report.updated += 1
        else:
            report.unchanged += 1

    for session, _persons, position in to_create:
        try:
            # Constraints (end after start, unique guid) hold by construction and in
            # the database; checking them here would cost a query per session.
            session.full_clean(
                exclude=["event", "room", "track", "invited"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                report.problems += [Problem(position, field_name, m) for m in messages]
    if report.problems:
        raise _Rollback
    Session.objects.bulk_create([session for session, _persons, _position in to_create])
    if to_update:
        Session.objects.bulk_update(
            to_update,
            [
                "title",
                "description",
                "starts_at",
                "ends_at",
                "room",
                "place_name",
                "languages",
                "kind",
                "track",
                "sequence",
                "updated_at",
            ],
        )
    new_people = []
    for session, persons, _position in to_create:
        new_people += _guests(session, persons)
    for session, persons in people_changes:
        roles = {p.display_name: p.role for p in session.people.all()}
        session.people.all().delete()
        new_people += _guests(session, persons, roles)
    SessionPerson.objects.bulk_create(new_people)

    mentioned = seen | {session.pk for session, _persons, _position in to_create}
    report.not_in_file = sum(1 for s in sessions if s.pk not in mentioned)
    for track, count in themes.unmatched.items():
        report.warnings.append(
            _("Track “%(track)s” matches no theme: %(count)d session(s) kept without a track.")
            % {"track": track, "count": count}
        )


def _extend_dates(event: Event, schedule: ScheduleData, report: ProgrammeImportReport) -> None:
    """The file is the programme: an event whose dates do not cover it is
    stretched to, and the report says so."""
    if not schedule.sessions:
        return
    zone = event.tz
    first = min(s.start for s in schedule.sessions).astimezone(zone).date()
    last = max(s.start for s in schedule.sessions).astimezone(zone).date()
    if first >= event.starts_on and last <= event.ends_on:
        return
    if last < event.starts_on or first > event.ends_on:
        # No day in common: the wrong file or the wrong event, not a late change.
        report.problems.append(
            Problem(
                None,
                "",
                _(
                    "The programme runs from %(first)s to %(last)s, outside the event's "
                    "dates (%(starts)s – %(ends)s): check the file or the event."
                )
                % {
                    "first": first.isoformat(),
                    "last": last.isoformat(),
                    "starts": event.starts_on.isoformat(),
                    "ends": event.ends_on.isoformat(),
                },
            )
        )
        return
    event.starts_on = min(first, event.starts_on)
    event.ends_on = max(last, event.ends_on)
    event.save(update_fields=["starts_on", "ends_on", "updated_at"])
    report.dates_extended = True
    report.warnings.append(
        _("The event's dates were extended to %(first)s – %(last)s to cover the programme.")
        % {"first": event.starts_on.isoformat(), "last": event.ends_on.isoformat()}
    )


def _add_days(event: Event, report: ProgrammeImportReport) -> None:
    """One day per date of the event, as the events services keep them."""
    existing = set(event.days.values_list("date", flat=True))
    missing = [
        event.starts_on + timedelta(days=n)
        for n in range((event.ends_on - event.starts_on).days + 1)
        if event.starts_on + timedelta(days=n) not in existing
    ]
    Day.objects.bulk_create(
        [Day(event=event, date=d, order=(d - event.starts_on).days) for d in missing]
    )
    report.days_created = len(missing)


def _room_of(name: str, event: Event, rooms: dict[str, Room], schedule, report):
    """(room, place name) of a session: an existing or new room of the event;
    an empty name means no place yet."""
    name = (name or "").strip()
    if not name:
        return None, ""
    if len(name) > ROOM_LENGTH:
        return None, name[:PLACE_LENGTH]
    room = rooms.get(name)
    if room is None:
        described = next((r for r in schedule.rooms if r.name == name), None)
        room = Room.objects.create(
            event=event,
            name=name,
            capacity=described.capacity if described else None,
            is_outside_venue=bool(described and described.kind == "outside"),
            order=len(rooms),
        )
        rooms[name] = room
        report.rooms_created += 1
    return room, ""


def _people_differ(session: Session, persons: list[PersonData]) -> bool:
    current = [p.display_name for p in session.people.all()]
    return current != [p.name[:GUEST_LENGTH] for p in persons]


def _guests(session: Session, persons: list[PersonData], roles: dict | None = None):
    """Speakers of the file as guests of the session; a name the session had
    keeps its role (files know no moderators)."""
    roles = roles or {}
    return [
        SessionPerson(
            session=session,
            guest_name=person.name[:GUEST_LENGTH],
            guest_affiliation=person.affiliation[:300],
            role=roles.get(person.name[:GUEST_LENGTH])
            or (person.role if person.role in SessionRole.values else SessionRole.SPEAKER),
            order=position,
        )
        for position, person in enumerate(persons)
    ]
