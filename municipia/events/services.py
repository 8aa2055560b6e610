"""Writes of events: programme, registrations, waiting lists and personal agendas.

Every service takes the acting user as `actor`, asks `municipia.accounts.rules`
whether the actor may act, and raises PermissionDenied or ValidationError (with
field names) otherwise.

Capacity is guarded by row locks: a registration locks its event row and an
agenda sign-up locks its session row (`select_for_update`) before counting the
places taken, so concurrent requests queue up and the count they see is final.
On SQLite, which has no row locks, transactions are IMMEDIATE (see settings):
the whole database is locked for writing, which serialises them just the same.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import pycountry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.accounts import rules
from municipia.accounts.enums import AuditAction
from municipia.accounts.models import User
from municipia.accounts.services import record_audit
from municipia.directory.enums import PRINCIPAL_POSITIONS, Position
from municipia.directory.models import Organisation, Person
from municipia.notifications.services import notify

from .enums import (
    ACTIVE_REGISTRATION_STATUSES,
    AgendaStatus,
    RegistrationField,
    RegistrationStatus,
    SessionAudience,
    SessionRole,
)
from .models import AgendaItem, Day, Event, Registration, Room, Session, SessionPerson
from .selectors import forget_seats_taken, organisations_to_come_from

EVENT_FIELDS = frozenset(
    {
        "slug",
        "title",
        "kind",
        "format",
        "venue_name",
        "address",
        "city",
        "country",
        "online_url",
        "time_zone",
        "starts_on",
        "ends_on",
        "languages",
        "content_language",
        "description",
        "contact_name",
        "contact_email",
        "visibility",
        "registration_opens_at",
        "registration_closes_at",
        "capacity",
        "requires_approval",
        "registration_fields",
        "is_published",
    }
)
SESSION_FIELDS = frozenset(
    {
        "external_id",
        "title",
        "description",
        "starts_at",
        "ends_at",
        "time_tbc",
        "place_tbc",
        "room",
        "place_name",
        "kind",
        "track",
        "languages",
        "interpretation",
        "capacity",
        "online_url",
        "audience",
        "is_cancelled",
    }
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _unknown_fields(fields: Iterable[str], known: frozenset[str]) -> None:
    unknown = sorted(set(fields) - known)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(unknown)}")


def _validate_language_codes(value, field: str) -> list[str]:
    if not isinstance(value, list | tuple):
        raise ValidationError({field: _("Give a list of language codes.")}, code="invalid")
    codes = []
    for code in value:
        code = str(code).strip().lower()
        if not code:
            continue
        if pycountry.languages.get(alpha_2=code) is None and (
            len(code) != 3 or pycountry.languages.get(alpha_3=code) is None
        ):
            raise ValidationError(
                {field: _("“%(code)s” is not a language code such as en or fr.") % {"code": code}},
                code="invalid_language",
            )
        if code not in codes:
            codes.append(code)
    return codes


def _full_clean(instance, exclude: Iterable[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude), validate_constraints=False)


def _aware(value, zone) -> datetime.datetime:
    """Naive times are times of the event's zone (what an organiser types)."""
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value, zone)
    return value


# -- events ------------------------------------------------------------------------


def _clean_event(event: Event) -> None:
    event.languages = _validate_language_codes(event.languages or [], "languages")
    fields = list(event.registration_fields or [])
    unknown = [f for f in fields if f not in RegistrationField.values]
    if unknown:
        raise ValidationError(
            {
                "registration_fields": _("Unknown questions: %(names)s.")
                % {"names": ", ".join(map(str, unknown))}
            }
        )
    event.registration_fields = [f for f in RegistrationField.values if f in fields]
    if event.country:
        event.country = event.country.upper()
        if pycountry.countries.get(alpha_2=event.country) is None:
            raise ValidationError({"country": _("Unknown country code.")}, code="invalid_country")
    _full_clean(event)
    if (
        Event.objects.filter(slug=event.slug).exclude(pk=event.pk).exists()
    ):  # field error rather than an IntegrityError
        raise ValidationError({"slug": _("Another event already has this address.")})


def _sync_days(event: Event) -> None:
    """One Day per date of the event; days outside the dates go unless they
    carry a theme an organiser typed (then they stay, to be fixed by hand)."""
    wanted = {
        event.starts_on + datetime.timedelta(days=n)
        for n in range((event.ends_on - event.starts_on).days + 1)
    }
    existing = set(event.days.values_list("date", flat=True))
    Day.objects.bulk_create(
        [
            Day(event=event, date=d, order=(d - event.starts_on).days)
            for d in sorted(wanted - existing)
        ]
    )
    event.days.exclude(date__in=wanted).filter(theme="").delete()


@transaction.atomic
def create_event(*, actor, organisers: Iterable[Organisation] = (), **fields) -> Event:
    _require(rules.can_organise_events(actor))
    _unknown_fields(fields, EVENT_FIELDS)
    event = Event(**fields, created_by=actor if getattr(actor, "is_authenticated", False) else None)
    _clean_event(event)
    event.save()
    event.organisers.set(list(organisers))
    _sync_days(event)
    return event


@transaction.atomic
def update_event(
    *, actor, event: Event, organisers: Iterable[Organisation] | None = None, **fields
) -> Event:
    _require(rules.can_manage_event(actor, event))
    _unknown_fields(fields, EVENT_FIELDS)
    event = Event.objects.select_for_update().get(pk=event.pk)
    for name, value in fields.items():
        setattr(event, name, value)
    _clean_event(event)
    event.save()
    if organisers is not None:
        event.organisers.set(list(organisers))
    _sync_days(event)
    _promote_registrations(event)
    return event


@transaction.atomic
def set_day_theme(*, actor, day: Day, theme: str) -> Day:
    _require(rules.can_manage_event(actor, day.event))
    day.theme = theme.strip()
    _full_clean(day, exclude=["event"])
    day.save(update_fields=["theme"])
    return day


@transaction.atomic
def save_room(*, actor, event: Event, room: Room | None = None, **fields) -> Room:
    _require(rules.can_manage_event(actor, event))
    room = room or Room(event=event)
    for name, value in fields.items():
        setattr(room, name, value)
    _full_clean(room, exclude=["event"])
    if Room.objects.filter(event=event, name=room.name).exclude(pk=room.pk).exists():
        raise ValidationError({"name": _("This event already has a room of that name.")})
    room.save()
    return room


@transaction.atomic
def delete_event(*, actor, event: Event) -> None:
    _require(rules.can_manage_event(actor, event))
    record_audit(
        actor=actor, action=AuditAction.DELETED, target=event, details={"title": event.title}
    )
    event.delete()


# -- sessions ----------------------------------------------------------------------


def _overlapping(event: Event, session: Session):
    return (
        Session.objects.filter(
            event=event,
            is_cancelled=False,
            starts_at__lt=session.ends_at,
            ends_at__gt=session.starts_at,
        )
        .exclude(pk=session.pk)
        .select_related("room")
    )


def programme_warnings(session: Session, people: list[SessionPerson]) -> list[str]:
    """Room double-bookings and speakers in two places at once: shown to the
    organiser, never refused (a plenary may really overflow into a side room)."""
    if session.is_cancelled:
        return []
    warnings: list[str] = []
    overlapping = list(_overlapping(session.event, session).prefetch_related("people__person"))
    if session.room_id:
        for other in overlapping:
            if other.room_id == session.room_id:
                warnings.append(
                    _("%(room)s is also booked for “%(other)s” at that time.")
                    % {"room": session.room.name, "other": other.title}
                )
    names = {p.person_id or p.guest_name.casefold(): p.display_name for p in people}
    for other in overlapping:
        for other_person in other.people.all():
            key = other_person.person_id or other_person.guest_name.casefold()
            if key in names:
                warnings.append(
                    _("%(person)s also speaks in “%(other)s” at that time.")
                    % {"person": other_person.display_name, "other": other.title}
                )
    return warnings


def _session_people(session: Session, people: Iterable) -> list[SessionPerson]:
    """Speakers and moderators from dicts: {"person": Person | id} or
    {"guest_name": …, "guest_affiliation": …}, with an optional "role"."""
    built = []
    for order, item in enumerate(people):
        person = item.get("person")
        if person is not None and not isinstance(person, Person):
            person = Person.objects.filter(pk=person).first()
            if person is None:
                raise ValidationError({"people": _("Unknown person.")})
        role = item.get("role") or SessionRole.SPEAKER
        if role not in SessionRole.values:
            raise ValidationError({"people": _("Unknown role: %(role)s.") % {"role": role}})
        guest_name = (item.get("guest_name") or "").strip()
        if person is None and not guest_name:
            raise ValidationError({"people": _("Each speaker needs a name.")})
        built.append(
            SessionPerson(
                session=session,
                person=person,
                guest_name="" if person else guest_name,
                guest_affiliation="" if person else (item.get("guest_affiliation") or "").strip(),
                role=role,
                order=order,
            )
        )
    return built


@transaction.atomic
def save_session(
    *,
    actor,
    event: Event,
    session: Session | None = None,
    people: Iterable | None = None,
    invited: Iterable[Registration] | None = None,
    **fields,
) -> tuple[Session, list[str]]:
    """Create or change a session; returns it with the warnings to show."""
    _require(rules.can_manage_event(actor, event))
    _unknown_fields(fields, SESSION_FIELDS)
    if session is not None and session.event_id != event.pk:
        raise PermissionDenied(_("This session belongs to another event."))
    creating = session is None
    if creating:
        session = Session(event=event)
        old_capacity = None
        was_cancelled = False
    else:
        session = Session.objects.select_for_update().get(pk=session.pk)
        old_capacity = session.effective_capacity
        was_cancelled = session.is_cancelled
    session.event = event
    for name, value in fields.items():
        if name in ("starts_at", "ends_at"):
            value = _aware(value, event.tz)
        setattr(session, name, value)
    session.languages = _validate_language_codes(session.languages or [], "languages")
    session.interpretation = _validate_language_codes(
        session.interpretation or [], "interpretation"
    )
    if session.room_id and session.room.event_id != event.pk:
        raise ValidationError({"room": _("This room belongs to another event.")})
    _full_clean(session, exclude=["event"])
    if session.external_id and (
        Session.objects.filter(event=event, external_id=session.external_id)
        .exclude(pk=session.pk)
        .exists()
    ):
        raise ValidationError({"external_id": _("Another session has this identifier.")})
    if not creating:
        session.sequence += 1
    session.save()

    if people is not None:
        built = _session_people(session, people)
        session.people.all().delete()
        SessionPerson.objects.bulk_create(built)
    else:
        built = list(session.people.select_related("person"))
    if invited is not None:
        invited = list(invited)
        if any(r.event_id != event.pk for r in invited):
            raise ValidationError({"invited": _("Invite participants of this event only.")})
        session.invited.set(invited)

    if not creating:
        if session.is_cancelled and not was_cancelled:
            _tell_agenda_holders(
                session,
                gettext_lazy("Session cancelled: %(title)s"),
            )
        elif session.effective_capacity != old_capacity:
            _promote_agenda(session)
    return session, programme_warnings(session, built)


def _tell_agenda_holders(session: Session, title) -> None:
    items = session.agenda_items.select_related("registration__user")
    for item in items:
        user = item.registration.user
        if user is not None:
            notify(
                recipient=user,
                kind="event_session_changed",
                title=lambda: str(title) % {"title": session.title},
                url=session.event.get_absolute_url,
            )


@transaction.atomic
def delete_session(*, actor, session: Session) -> None:
    _require(rules.can_manage_event(actor, session.event))
    _tell_agenda_holders(session, gettext_lazy("Session removed from the programme: %(title)s"))
    record_audit(
        actor=actor,
        action=AuditAction.DELETED,
        target=session,
        details={"title": session.title, "event": session.event.slug},
    )
    session.delete()


# -- registrations -----------------------------------------------------------------


def _answers(event: Event, answers: dict, errors: dict) -> dict:
    """The answers to the questions the event asks; others ignored. What is wrong
    with them goes into `errors`, with the registration's other problems."""
    asked = set(event.registration_fields or [])
    cleaned: dict = {}
    if RegistrationField.POSITION in asked:
        position = (answers.get("position") or "").strip()
        if position and position not in Position.values:
            errors["position"] = _("Choose one of the positions offered.")
        cleaned["position"] = position
    for name in (RegistrationField.ACCESSIBILITY_NEEDS, RegistrationField.DIETARY_NEEDS):
        if name in asked:
            text = str(answers.get(name) or "").strip()
            if len(text) > 2000:
                errors[name] = _("Please keep this under 2,000 characters.")
            cleaned[str(name)] = text
    if RegistrationField.CONSENT in asked:
        if answers.get("consent") not in (True, "true", "on", "1", 1):
            errors["consent"] = _("Registration needs your consent.")
        else:
            cleaned["consent_given_at"] = timezone.now()
    return cleaned


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _has_place(event: Event) -> bool:
    return event.capacity is None or _confirmed_count(event) < event.capacity


def _set_status(registration: Registration, status: str) -> None:
    registration.status = status
    registration.status_changed_at = timezone.now()
    registration.save(update_fields=["status", "status_changed_at", "updated_at"])


STATUS_MESSAGES = {
    RegistrationStatus.CONFIRMED: gettext_lazy("Your registration for %(event)s is confirmed"),
    RegistrationStatus.PENDING: gettext_lazy(
        "Your registration for %(event)s awaits the organisers' approval"
    ),
    RegistrationStatus.WAITING_LIST: gettext_lazy("You are on the waiting list for %(event)s"),
    RegistrationStatus.CANCELLED: gettext_lazy("Your registration for %(event)s is cancelled"),
    RegistrationStatus.DECLINED: gettext_lazy(
        "Your registration for %(event)s could not be accepted"
    ),
}


def _tell_participant(registration: Registration, *, promoted: bool = False) -> None:
    """E-mail the participant (in their language, with the .ics when confirmed)
    and, when they have an account, leave a notification in the app."""
    from .tasks import send_registration_email

    send_registration_email.enqueue(
        registration_id=registration.pk, status=registration.status, promoted=promoted
    )
    if registration.user is not None:
        title = (
            gettext_lazy("A place freed up: you are now registered for %(event)s")
            if promoted
            else STATUS_MESSAGES[registration.status]
        )
        notify(
            recipient=registration.user,
            kind=f"event_registration_{registration.status}",
            title=lambda: str(title) % {"event": registration.event.title},
            url=registration.event.get_absolute_url,
            email=False,  # the registration e-mail above already says it
        )


def _promote_registrations(event: Event) -> list[Registration]:
    """Give free places to the waiting list, first come first served. The
    caller holds the event's row lock."""
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - _confirmed_count(event)
        if free <= 0:
            return []
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING_LIST).order_by(
        "status_changed_at", "pk"
    )
    if free is not None:
        waiting = waiting[:free]
    promoted = list(waiting.select_related("user", "event"))
    for registration in promoted:
        _set_status(registration, RegistrationStatus.CONFIRMED)
        _tell_participant(registration, promoted=True)
    return promoted


def _is_self(actor, participant, participant_email: str) -> bool:
    if participant is not None:
        return participant.pk == actor.pk
    return not participant_email or participant_email.lower() == actor.email.lower()


@transaction.atomic
def register(
    *,
    actor,
    event: Event,
    participant=None,
    participant_name: str = "",
    participant_email: str = "",
    organisation: Organisation | None = None,
    answers: dict | None = None,
    is_principal: bool | None = None,
    language: str = "",
) -> Registration:
    """Register the actor, or someone else (a delegation: an officer registering
    their mayor, who may have no account), for an event.

    The status is pending when the event wants approval, confirmed while places
    are left, waiting list otherwise."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to register."))
    answers = dict(answers or {})
    self_registration = _is_self(actor, participant, participant_email)
    if self_registration:
        participant = actor
        _require(rules.can_register_for(actor, event))
    else:
        _require(rules.can_register_delegation(actor, event, organisation))
    manager = rules.can_manage_event(actor, event)

    if participant is None and participant_email:
        # A delegate who has an account sees the registration in it.
        participant = User.objects.filter(
            email__iexact=participant_email.strip(), is_active=True
        ).first()
    if participant is not None:
        participant_email = participant.email
        participant_name = participant_name or participant.get_full_name() or participant.email
        language = language or participant.preferred_language
    participant_email = (participant_email or "").strip().lower()
    participant_name = (participant_name or "").strip()
    # Every problem of the form at once, not one per attempt.
    errors = {}
    if not participant_name:
        errors["participant_name"] = _("Give the participant's name.")
    if not participant_email:
        errors["participant_email"] = _("Give the participant's e-mail address.")
    if RegistrationField.ORGANISATION in event.registration_fields and organisation is None:
        errors["organisation"] = _("Choose the participant's organisation.")
    elif (
        self_registration
        and organisation is not None
        and not manager
        and not organisations_to_come_from(actor).filter(pk=organisation.pk).exists()
    ):
        errors["organisation"] = _("Choose one of the organisations you belong to.")
    details = _answers(event, answers, errors)
    if errors:
        raise ValidationError(errors)

    event = _lock_event(event)
    if not manager and not event.registration_is_open():
        raise ValidationError(_("Registration for this event is not open."), code="closed")
    claims_principal = details.get("position") in PRINCIPAL_POSITIONS
    if not manager or is_principal is None:
        # Sessions for principals and mayors are reserved on trust: the event's
        # managers, and an organisation's editors registering their own mayor, vouch
        # for the position; someone who says so of themselves waits for the
        # organisers to confirm it (participant list: "Principal or mayor").
        is_principal = claims_principal and (manager or not self_registration)

    active = event.registrations.filter(status__in=ACTIVE_REGISTRATION_STATUSES)
    if active.filter(
        Q(participant_email=participant_email) | Q(user=participant)
        if participant is not None
        else Q(participant_email=participant_email)
    ).exists():
        raise ValidationError(
            {"participant_email": _("This person is already registered for the event.")},
            code="duplicate",
        )

    if event.requires_approval and not manager:
        status = RegistrationStatus.PENDING
    elif _has_place(event):
        status = RegistrationStatus.CONFIRMED
    else:
        status = RegistrationStatus.WAITING_LIST
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                user=participant,
                participant_name=participant_name,
                participant_email=participant_email,
                language=language or "",
                organisation=organisation,
                is_principal=bool(is_principal),
                registered_by=actor,
                status=status,
                **details,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"participant_email": _("This person is already registered for the event.")},
            code="duplicate",
        ) from exc
    _tell_participant(registration)
    if status == RegistrationStatus.PENDING and event.created_by is not None:
        notify(
            recipient=event.created_by,
            kind="event_registration_to_approve",
            title=lambda: (
                _("A registration for %(event)s awaits your approval") % {"event": event.title}
            ),
            url=event.get_absolute_url,
        )
    return registration


@transaction.atomic
def claim_registrations(*, user: User, email: str) -> int:
    """Registrations made for an address before its holder had an account (an
    officer registering their mayor) join the account once the holder has
    verified that address: they then see them on their pages, get them in their
    data export, and have them cancelled or anonymised with the account. Only a
    verified address claims (called when allauth confirms one), so nobody gets
    another person's registrations by typing their address. A registration for
    an event the account already has an active registration for stays apart,
    for the organisers to sort out. Returns how many were claimed."""
    active_events = set(
        Registration.objects.filter(user=user, status__in=ACTIVE_REGISTRATION_STATUSES).values_list(
            "event_id", flat=True
        )
    )
    claimed = 0
    unclaimed = Registration.objects.select_for_update().filter(
        user__isnull=True, participant_email=email.strip().lower()
    )
    for registration in unclaimed.order_by("created_at", "pk"):
        if registration.is_active and registration.event_id in active_events:
            continue
        registration.user = user
        registration.save(update_fields=["user", "updated_at"])
        claimed += 1
        if registration.is_active:
            active_events.add(registration.event_id)
    return claimed


@transaction.atomic
def cancel_registration(*, actor, registration: Registration) -> Registration:
    """The participant (or whoever registered them, or an organiser) cancels;
    their places, in the event and in sessions, go to the waiting lists."""
    _require(rules.can_act_for_registration(actor, registration))
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_active:
        raise ValidationError(_("This registration is already cancelled."), code="inactive")
    _set_status(registration, RegistrationStatus.CANCELLED)
    _release_agenda(registration)
    _promote_registrations(event)
    _tell_participant(registration)
    return registration


@transaction.atomic
def approve_registration(*, actor, registration: Registration) -> Registration:
    _require(rules.can_manage_event(actor, registration.event))
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.PENDING:
        raise ValidationError(_("Only a registration awaiting approval can be approved."))
    _set_status(
        registration,
        RegistrationStatus.CONFIRMED if _has_place(event) else RegistrationStatus.WAITING_LIST,
    )
    _tell_participant(registration)
    return registration


@transaction.atomic
def decline_registration(*, actor, registration: Registration) -> Registration:
    _require(rules.can_manage_event(actor, registration.event))
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_active:
        raise ValidationError(_("This registration is no longer active."))
    _set_status(registration, RegistrationStatus.DECLINED)
    _release_agenda(registration)
    _promote_registrations(event)
    _tell_participant(registration)
    return registration


@transaction.atomic
def set_principal(*, actor, registration: Registration, is_principal: bool) -> Registration:
    """Organisers confirm who is a principal or mayor (sessions reserved to them)."""
    _require(rules.can_manage_event(actor, registration.event))
    registration.is_principal = is_principal
    registration.save(update_fields=["is_principal", "updated_at"])
    return registration


@transaction.atomic
def record_attendance(*, actor, registration: Registration, attended: bool = True) -> Registration:
    _require(rules.can_manage_event(actor, registration.event))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Only confirmed participants can be checked in."))
    registration.checked_in_at = timezone.now() if attended else None
    registration.save(update_fields=["checked_in_at", "updated_at"])
    return registration


# -- personal agenda ---------------------------------------------------------------


AUDIENCE_REFUSALS = {
    SessionAudience.PRINCIPALS: gettext_lazy("This session is open to principals and mayors only."),
    SessionAudience.INVITED: gettext_lazy("This session is open to invited participants only."),
}


def _agenda_count(session: Session) -> int:
    return session.agenda_items.filter(status=AgendaStatus.CONFIRMED).count()


def _promote_agenda(session: Session) -> list[AgendaItem]:
    """Give free seats of a session to its waiting list; the caller holds the
    session's row lock."""
    capacity = session.effective_capacity
    waiting = session.agenda_items.filter(status=AgendaStatus.WAITING_LIST).order_by(
        "created_at", "pk"
    )
    if capacity is not None:
        free = capacity - _agenda_count(session)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting.select_related("registration__user"))
    AgendaItem.objects.filter(pk__in=[item.pk for item in promoted]).update(
        status=AgendaStatus.CONFIRMED
    )
    if promoted:
        forget_seats_taken(session.event_id)
    for item in promoted:
        item.status = AgendaStatus.CONFIRMED
        user = item.registration.user
        if user is not None:
            notify(
                recipient=user,
                kind="event_agenda_promoted",
                title=lambda: (
                    _("A seat freed up: you now have a place in “%(title)s”")
                    % {"title": session.title}
                ),
                url=session.event.get_absolute_url,
            )
    return promoted


def _release_agenda(registration: Registration) -> None:
    for item in list(registration.agenda_items.select_related("session")):
        session = Session.objects.select_for_update().get(pk=item.session_id)
        was_confirmed = item.status == AgendaStatus.CONFIRMED
        item.delete()
        if was_confirmed:
            forget_seats_taken(session.event_id)
            _promote_agenda(session)


@transaction.atomic
def add_to_agenda(*, actor, registration: Registration, session: Session) -> AgendaItem:
    """Put a session in a participant's agenda: a seat when one is left, the
    session's waiting list otherwise. Clashes are allowed and shown."""
    _require(rules.can_act_for_registration(actor, registration))
    if session.event_id != registration.event_id:
        raise ValidationError({"session": _("This session belongs to another event.")})
    session = Session.objects.select_for_update().get(pk=session.pk)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(
            {"session": _("Sessions can be chosen once the registration is confirmed.")}
        )
    if session.is_cancelled:
        raise ValidationError({"session": _("This session is cancelled.")})
    if not rules.registration_may_join(registration, session):
        raise ValidationError(
            {
                "session": AUDIENCE_REFUSALS.get(
                    session.audience, _("You cannot join this session.")
                )
            },
            code="audience",
        )
    existing = AgendaItem.objects.filter(registration=registration, session=session).first()
    if existing is not None:
        return existing
    capacity = session.effective_capacity
    status = (
        AgendaStatus.CONFIRMED
        if capacity is None or _agenda_count(session) < capacity
        else AgendaStatus.WAITING_LIST
    )
    item = AgendaItem.objects.create(registration=registration, session=session, status=status)
    if status == AgendaStatus.CONFIRMED:
        forget_seats_taken(session.event_id)
    return item


@transaction.atomic
def remove_from_agenda(*, actor, item: AgendaItem) -> None:
    _require(rules.can_act_for_registration(actor, item.registration))
    session = Session.objects.select_for_update().get(pk=item.session_id)
    was_confirmed = AgendaItem.objects.filter(pk=item.pk, status=AgendaStatus.CONFIRMED).exists()
    deleted, _counts = AgendaItem.objects.filter(pk=item.pk).delete()
    if deleted and was_confirmed:
        forget_seats_taken(session.event_id)
        _promote_agenda(session)
