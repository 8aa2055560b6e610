"""Reads of events: what a user may see, programmes, agendas, clashes, counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from municipia.accounts import rules
from municipia.accounts.enums import Role

from .enums import (
    ACTIVE_REGISTRATION_STATUSES,
    AgendaStatus,
    EventVisibility,
    RegistrationStatus,
)
from .models import AgendaItem, Day, Event, Registration, Session


def visible_events(user) -> QuerySet[Event]:
    """Events the user may see: the published ones their visibility allows, and
    those they manage (published or not). Mirrors `rules.can_view_event`."""
    events = Event.objects.all()
    if rules.is_platform_staff(user):
        return events
    visible = Q(is_published=True, visibility=EventVisibility.PUBLIC)
    if getattr(user, "is_authenticated", False) and user.is_active:
        registered = Exists(Registration.objects.filter(event=OuterRef("pk"), user=user))
        if rules.is_network_member(user):
            visible |= Q(is_published=True, visibility=EventVisibility.MEMBERS)
        visible |= Q(is_published=True) & Q(registered)
        own_org_ids = rules.member_organisation_ids(user)
        admin_ids = rules.organisations_with_role(user, Role.ORGANISATION_ADMIN)
        organised_by = Event.organisers.through.objects.filter(event_id=OuterRef("pk"))
        if rules.can_organise_events(user):
            visible |= Q(created_by=user)
            if own_org_ids:
                visible |= Q(Exists(organised_by.filter(organisation_id__in=own_org_ids)))
        if admin_ids:
            visible |= Q(Exists(organised_by.filter(organisation_id__in=admin_ids)))
    return events.filter(visible)


def upcoming_events(user, *, today: datetime.date | None = None) -> QuerySet[Event]:
    today = today or timezone.localdate()
    return visible_events(user).filter(ends_on__gte=today).order_by("starts_on", "pk")


def event_for(user, slug: str) -> Event | None:
    """The event if it exists and the user may see it."""
    event = Event.objects.filter(slug=slug).prefetch_related("organisers").first()
    if event is None or not rules.can_view_event(user, event):
        return None
    return event


def programme_sessions(event: Event) -> QuerySet[Session]:
    """Every session of the event with what a programme shows, in a fixed number
    of queries whatever the size."""
    return (
        event.sessions.select_related("room", "track")
        .prefetch_related("people__person__organisation")
        .order_by("starts_at", "room__order", "room__name", "pk")
    )


@dataclass
class ProgrammeDay:
    date: datetime.date
    theme: str = ""
    sessions: list[Session] = field(default_factory=list)


def programme(event: Event, sessions: QuerySet[Session] | None = None) -> list[ProgrammeDay]:
    """Sessions grouped by day (in the event's time zone), with the days'
    themes; every day of the event appears, even one without sessions yet."""
    zone = event.tz
    days: dict[datetime.date, ProgrammeDay] = {
        day.date: ProgrammeDay(date=day.date, theme=day.theme)
        for day in Day.objects.filter(event=event).order_by("date")
    }
    for session in sessions if sessions is not None else programme_sessions(event):
        session.event = event
        date = timezone.localtime(session.starts_at, zone).date()
        days.setdefault(date, ProgrammeDay(date=date)).sessions.append(session)
    return [days[d] for d in sorted(days)]


def organisations_to_come_from(user) -> QuerySet:
    """The organisations participants may say they come from when they register
    themselves: those they hold a role in, or, for someone with none yet, any
    organisation of the directory they may see. Saying so gives no right to act
    for the organisation (`rules.speaks_for_delegation`)."""
    from municipia.directory.models import Organisation
    from municipia.directory.selectors import visible_organisations

    ids = rules.member_organisation_ids(user)
    if not ids:
        return visible_organisations(viewer=user).order_by("name")
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def registration_of(user, event: Event) -> Registration | None:
    """The user's active registration for the event, else their latest one."""
    if not getattr(user, "is_authenticated", False):
        return None
    registrations = list(
        Registration.objects.filter(event=event, user=user).order_by("-created_at", "-pk")[:5]
    )
    for registration in registrations:
        if registration.is_active:
            return registration
    return registrations[0] if registrations else None


def registrations_by(user) -> QuerySet[Registration]:
    """Registrations of the user and of those they registered (their delegation)."""
    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    return (
        Registration.objects.filter(Q(user=user) | Q(registered_by=user))
        .select_related("event", "organisation")
        .order_by("-event__starts_on", "participant_name", "pk")
    )


def agenda_of(registration: Registration) -> QuerySet[AgendaItem]:
    return (
        registration.agenda_items.select_related("session__room", "session__track")
        .prefetch_related("session__people__person")
        .order_by("session__starts_at", "pk")
    )


def clashes(registration: Registration) -> list[tuple[Session, Session]]:
    """Pairs of sessions of the agenda that overlap in time (cancelled ones do
    not count). A sweep over the sessions sorted by start."""
    sessions = [
        item.session
        for item in registration.agenda_items.select_related("session").order_by(
            "session__starts_at", "session__ends_at", "pk"
        )
        if not item.session.is_cancelled
    ]
    found: list[tuple[Session, Session]] = []
    open_sessions: list[Session] = []
    for session in sessions:
        open_sessions = [s for s in open_sessions if s.ends_at > session.starts_at]
        found.extend((other, session) for other in open_sessions)
        open_sessions.append(session)
    return found


def clashing_session_ids(registration: Registration) -> set[int]:
    return {s.pk for pair in clashes(registration) for s in pair}


def busy_intervals(registration: Registration) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """When the participant is in a session of their agenda (seats held, not
    waiting list), sorted; networking plans meetings around these."""
    return list(
        registration.agenda_items.filter(status=AgendaStatus.CONFIRMED, session__is_cancelled=False)
        .order_by("session__starts_at")
        .values_list("session__starts_at", "session__ends_at")
    )


PARTICIPANT_FILTERS = ("status", "organisation", "country", "q", "is_principal", "needs")


def participants(event: Event, filters: dict | None = None) -> QuerySet[Registration]:
    """The event's registrations for organisers, filtered by status,
    organisation, country of the organisation, name or e-mail (`q`),
    principals, and who has accessibility or dietary needs (`needs`)."""
    filters = filters or {}
    registrations = event.registrations.select_related("organisation", "user", "registered_by")
    status = filters.get("status")
    if status == "active":
        registrations = registrations.filter(status__in=ACTIVE_REGISTRATION_STATUSES)
    elif status:
        registrations = registrations.filter(status=status)
    if filters.get("organisation"):
        registrations = registrations.filter(organisation=filters["organisation"])
    if filters.get("country"):
        registrations = registrations.filter(organisation__country=str(filters["country"]).upper())
    if filters.get("q"):
        q = str(filters["q"]).strip()
        registrations = registrations.filter(
            Q(participant_name__icontains=q)
            | Q(participant_email__icontains=q)
            | Q(organisation__name__icontains=q)
        )
    if filters.get("is_principal") in (True, "true", "1", "yes"):
        registrations = registrations.filter(is_principal=True)
    needs = filters.get("needs")
    if needs == "accessibility":
        registrations = registrations.exclude(accessibility_needs="")
    elif needs == "dietary":
        registrations = registrations.exclude(dietary_needs="")
    elif needs in ("any", True):
        registrations = registrations.exclude(accessibility_needs="", dietary_needs="")
    return registrations.order_by("participant_name", "pk")


def event_counts(event: Event) -> dict[str, int | None]:
    """Registrations by status, places left and attendance, in one query."""
    counts = event.registrations.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in RegistrationStatus.values},
        attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    counts["capacity"] = event.capacity
    counts["places_left"] = (
        None if event.capacity is None else max(event.capacity - counts["confirmed"], 0)
    )
    return counts


# Seats taken per session, for the places left on programme pages: counting the
# agenda items of a large event (20,000) was most of a cached page's database
# time. The services forget the counts whenever a seat is taken or freed (and
# again when their transaction commits); the short lifetime bounds what a write
# outside them (the admin, a deletion cascading) or a read racing a commit can
# leave stale. Capacity itself is always enforced on locked rows, never here.
SEATS_CACHE_SECONDS = 30


def _seats_key(event_id: int) -> str:
    return f"events-seats-taken:{event_id}"


def seats_taken(event: Event) -> dict[int, int]:
    """Confirmed agenda items per session of the event (sessions without any
    are absent)."""
    key = _seats_key(event.pk)
    taken = cache.get(key)
    if taken is None:
        taken = dict(
            AgendaItem.objects.filter(session__event=event, status=AgendaStatus.CONFIRMED)
            .values_list("session_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        cache.set(key, taken, SEATS_CACHE_SECONDS)
    return taken


def forget_seats_taken(event_id: int) -> None:
    key = _seats_key(event_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def sessions_with_counts(event: Event) -> QuerySet[Session]:
    """Sessions with the seats taken and the length of their waiting lists."""
    return programme_sessions(event).annotate(
        seats_taken=Count("agenda_items", filter=Q(agenda_items__status=AgendaStatus.CONFIRMED)),
        waiting=Count("agenda_items", filter=Q(agenda_items__status=AgendaStatus.WAITING_LIST)),
    )
