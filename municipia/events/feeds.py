"""iCalendar feeds: a person's agenda (private, by token), the whole programme
and one session. Audience rules apply here as in pages: an online link is
written only into the calendar of someone the session is open to."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from municipia.accounts import rules

from .enums import AgendaStatus, RegistrationStatus
from .formats.ical import CalendarEntry, render_calendar
from .models import Event, Registration, Session
from .selectors import event_for, programme_sessions, registration_of


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "municipia"


def event_entry(event: Event, *, status: str = "CONFIRMED", online_url: str = "") -> CalendarEntry:
    """The event as an all-day entry over its dates (end exclusive)."""
    location = ", ".join(p for p in (event.venue_name, event.address, event.city) if p)
    description = event.description
    if online_url:
        description = f"{description}\n\n{_('Online link')}: {online_url}".strip()
    return CalendarEntry(
        uid=f"event-{event.pk}@{_host()}",
        summary=event.title,
        start=event.starts_on,
        end=event.ends_on + datetime.timedelta(days=1),
        description=description,
        location=location,
        url=settings.SITE_URL + event.get_absolute_url(),
        tz_name=event.time_zone,
        status=status,
        last_modified=event.updated_at,
    )


def session_entry(session: Session, *, show_link: bool, tentative: bool = False) -> CalendarEntry:
    event = session.event
    parts = [session.description]
    names = [p.display_name for p in session.people.all()]
    if names:
        parts.append(", ".join(names))
    if session.time_tbc:
        parts.append(_("Time to be confirmed."))
    if session.place_tbc:
        parts.append(_("Place to be confirmed."))
    link = session.effective_online_url if show_link else ""
    if link:
        parts.append(f"{_('Online link')}: {link}")
    if session.is_cancelled:
        status = "CANCELLED"
    elif tentative or session.time_tbc:
        status = "TENTATIVE"
    else:
        status = "CONFIRMED"
    return CalendarEntry(
        uid=f"session-{session.pk}@{_host()}",
        summary=session.title,
        start=session.starts_at,
        end=session.ends_at,
        description="\n\n".join(p for p in parts if p),
        location=session.location,
        url=link,
        tz_name=event.time_zone,
        categories=tuple(
            c for c in (session.get_kind_display(), getattr(session.track, "code", "")) if c
        ),
        status=status,
        sequence=session.sequence,
        last_modified=session.updated_at,
    )


def personal_calendar(registration: Registration) -> str:
    """The participant's calendar: the event and the sessions of their agenda
    (waiting-list seats as tentative)."""
    event = registration.event
    active = registration.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING)
    entries = [
        event_entry(
            event,
            status="CONFIRMED"
            if registration.status == RegistrationStatus.CONFIRMED
            else ("TENTATIVE" if registration.is_active else "CANCELLED"),
            online_url=event.online_url if registration.is_confirmed else "",
        )
    ]
    if active:
        items = registration.agenda_items.select_related(
            "session__room", "session__track", "session__event"
        ).prefetch_related("session__people__person", "session__invited")
        for item in items:
            session = item.session
            entries.append(
                session_entry(
                    session,
                    show_link=rules.registration_may_join(registration, session),
                    tentative=item.status == AgendaStatus.WAITING_LIST,
                )
            )
        from municipia.networking.selectors import calendar_entries  # networking builds on events

        entries.extend(calendar_entries(registration))
    return render_calendar(entries, name=event.title, method="PUBLISH", tz_name=event.time_zone)


def _calendar_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Private feeds must not sit in shared caches.
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def personal_feed(request, token: str):
    """The private feed a calendar application subscribes to: the token is
    the only credential, so it is long, random and revealed only to the
    participant."""
    # Tokens are URL-safe text: anything else (a NUL byte breaks PostgreSQL) is no token.
    if not token.isascii() or not token.isprintable() or len(token) > 64:
        raise Http404
    registration = Registration.objects.select_related("event").filter(feed_token=token).first()
    if registration is None:
        raise Http404
    return _calendar_response(
        personal_calendar(registration), f"{slugify(registration.event.slug)}-agenda.ics"
    )


def _visible_event(request, slug: str) -> Event:
    """As the event's pages: an event the viewer may not see does not exist for
    them (a 403 would tell which addresses of private events exist)."""
    event = event_for(request.user, slug)
    if event is None:
        raise Http404
    return event


def programme_feed(request, slug: str):
    event = _visible_event(request, slug)
    registration = registration_of(request.user, event)
    manager = rules.can_manage_event(request.user, event)
    entries = [event_entry(event)]
    for session in programme_sessions(event).prefetch_related("invited"):
        show = manager or rules.registration_may_join(registration, session)
        entries.append(session_entry(session, show_link=show))
    text = render_calendar(entries, name=event.title, method="PUBLISH", tz_name=event.time_zone)
    return _calendar_response(text, f"{event.slug}.ics")


def session_feed(request, slug: str, pk: int):
    event = _visible_event(request, slug)
    session = get_object_or_404(
        Session.objects.select_related("room", "track").prefetch_related("people__person"),
        event=event,
        pk=pk,
    )
    session.event = event
    show = rules.can_see_online_link(request.user, session)
    text = render_calendar(
        [session_entry(session, show_link=show)],
        name=session.title,
        method="PUBLISH",
        tz_name=event.time_zone,
    )
    return _calendar_response(text, f"{event.slug}-{session.pk}.ics")
