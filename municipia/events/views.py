"""Pages of events: the list, an event's page, its programme (by day, as a
timetable by room, as a filterable list), sessions, registration, the personal
agenda, and the organisers' pages (event and programme editing, participants).

Views read through `selectors`, write through `services` and ask
`accounts.rules` who may do what. Every time is shown in the event's time zone
unless the viewer asks for another one (`?tz=Europe/Lisbon`; the page offers the
browser's zone but works without JavaScript).
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from municipia.accounts import rules
from municipia.directory.choices import language_name
from municipia.directory.exports import csv_response, xlsx_response
from municipia.directory.models import Organisation
from municipia.parsing import parse_id

from . import selectors, services
from .enums import AgendaStatus, RegistrationStatus, SessionAudience
from .forms import (
    DayThemesForm,
    EventForm,
    ParticipantFilterForm,
    ProgrammeFilterForm,
    RegistrationForm,
    RoomForm,
    SessionForm,
    TimeZoneForm,
)
from .models import Event, Registration, Room, Session, SessionPerson


def _add_service_errors(form, error: ValidationError) -> None:
    """Show a service's field errors on the form (unknown fields on top)."""
    if hasattr(error, "message_dict"):
        for field, field_messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in field_messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _event(request, slug: str):
    """The event if the viewer may see it; 404 otherwise (its existence is private)."""
    event = selectors.event_for(request.user, slug)
    if event is None:
        raise Http404("No such event.")
    return event


def _managed_event(request, slug: str):
    event = _event(request, slug)
    if not rules.can_manage_event(request.user, event):
        raise PermissionDenied
    return event


def _time_context(request, event) -> dict:
    """The zone times are shown in, the toggle's form and the query string that
    keeps the choice on the programme's links."""
    form = TimeZoneForm(request.GET or None, event_zone=event.time_zone)
    viewer_zone = form.zone()
    display = viewer_zone or event.tz
    return {
        "display_tz": display,
        "tz_form": form,
        "other_zone": viewer_zone is not None and viewer_zone.key != event.tz.key,
        "tz_query": urlencode({"tz": viewer_zone.key}) if viewer_zone else "",
    }


def _language_names(codes) -> list[str]:
    return [language_name(code) for code in codes or []]


# -- public pages ---------------------------------------------------------------------


def event_list(request):
    """Upcoming and past events the viewer may see."""
    today = timezone.localdate()
    events = list(selectors.visible_events(request.user).prefetch_related("organisers"))
    upcoming = sorted((e for e in events if e.ends_on >= today), key=lambda e: e.starts_on)
    past = [e for e in events if e.ends_on < today]
    own = {}
    if request.user.is_authenticated:
        for registration in Registration.objects.filter(
            user=request.user, event__in=[e.pk for e in events]
        ).exclude(status__in=[RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED]):
            own[registration.event_id] = registration
    for event in events:
        event.own_registration = own.get(event.pk)
    return render(
        request,
        "events/event_list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "can_create": rules.can_organise_events(request.user),
        },
    )


def _registration_context(request, event) -> dict:
    registration = (
        selectors.registration_of(request.user, event) if request.user.is_authenticated else None
    )
    delegation = []
    if request.user.is_authenticated:
        delegation = list(
            Registration.objects.filter(event=event, registered_by=request.user)
            .exclude(user=request.user)
            .select_related("organisation")
            .order_by("participant_name")
        )
    return {
        "registration": registration,
        "waiting_position": waiting_list_position(registration)
        if registration is not None and registration.status == RegistrationStatus.WAITING_LIST
        else None,
        "delegation": delegation,
        "can_register": rules.can_register_for(request.user, event),
        "can_register_delegation": bool(_delegation_organisations(request.user, event).exists()),
        "registration_open": event.registration_is_open(),
        "event_ended": event.ends_on < timezone.localtime(timezone.now(), event.tz).date(),
    }


def event_detail(request, slug: str):
    """An event: when, where, in which languages, who organises it, and the
    viewer's registration."""
    event = _event(request, slug)
    context = {
        "event": event,
        "organisers": list(event.organisers.all()),
        "language_names": _language_names(event.languages),
        "days": list(event.days.all()),
        "can_manage": rules.can_manage_event(request.user, event),
        **_registration_context(request, event),
        **_time_context(request, event),
    }
    if context["can_manage"]:
        context["counts"] = selectors.event_counts(event)
    if context["registration"] is not None and context["registration"].is_confirmed:
        context["online_url"] = event.online_url
    return render(request, "events/event_detail.html", context)


def _agenda_context(request, event, sessions) -> dict:
    """Which sessions the viewer has in their agenda and which they may join
    (for pages that show few sessions; the programme pages use `_personalise`)."""
    registration = (
        selectors.registration_of(request.user, event) if request.user.is_authenticated else None
    )
    in_agenda: dict[int, str] = {}
    if registration is not None:
        in_agenda = dict(registration.agenda_items.values_list("session_id", "status"))
    for session in sessions:
        session.agenda_status = in_agenda.get(session.pk)
        session.may_join = registration is not None and _may_join(registration, session)
    return {"registration": registration, "in_agenda": in_agenda}


def _may_join(registration, session) -> bool:
    if session.is_cancelled or registration.status != RegistrationStatus.CONFIRMED:
        return False
    if session.audience == SessionAudience.PRINCIPALS:
        return registration.is_principal
    if session.audience == SessionAudience.INVITED:
        return registration.pk in {r.pk for r in session.invited.all()}
    return True


def _programme_sessions(event) -> list[Session]:
    """All sessions of the event in order, with their room, track and people,
    in three queries whatever their number (the people are grouped here rather
    than prefetched: a prefetch builds a manager per session, slow at 1,000)."""
    sessions = list(selectors.programme_sessions(event).prefetch_related(None))
    people: dict[int, list[SessionPerson]] = {}
    for person in (
        SessionPerson.objects.filter(session__event=event)
        .select_related("person")
        .order_by("session_id", "order", "pk")
    ):
        people.setdefault(person.session_id, []).append(person)
    for session in sessions:
        session.event = event
        session.people_list = people.get(session.pk, [])
    return sessions


def waiting_list_position(registration) -> int:
    """1 for the first person on the event's waiting list (promoted first)."""
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=RegistrationStatus.WAITING_LIST,
        )
        .filter(
            Q(status_changed_at__lt=registration.status_changed_at)
            | Q(status_changed_at=registration.status_changed_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


# The programme pages of a large event (1,000 sessions) are rendered once per
# version of the programme, language, time zone and view, then personalised:
# the places left and each viewer's agenda buttons replace these markers.
_MARKER = re.compile(r"<!--((?:places|agenda):\d+)-->")
PROGRAMME_CACHE_SECONDS = 600


def _programme_version(event) -> str:
    """Changes whenever what a programme page shows changes."""
    sessions = event.sessions.aggregate(n=Count("pk"), last=Max("updated_at"))
    people = SessionPerson.objects.filter(session__event=event).aggregate(
        n=Count("pk"), last=Max("pk")
    )
    rooms = list(event.rooms.values_list("pk", "name", "is_outside_venue", "order"))
    days = list(event.days.values_list("date", "theme"))
    raw = repr((event.updated_at, sessions, people, rooms, days))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def _cached_fragment(
    request, event, context: dict, name: str, variant: str, build, version: str | None = None
) -> str:
    """The shared part of a programme page from the cache, else built and stored."""
    key = ":".join(
        [
            "events-programme",
            str(event.pk),
            name,
            variant,
            get_language() or "",
            context["display_tz"].key,
            version or _programme_version(event),
        ]
    )
    fragment = cache.get(key)
    if fragment is None:
        fragment = build()
        cache.set(key, fragment, PROGRAMME_CACHE_SECONDS)
    return fragment


def _list_choices(event, version: str) -> tuple[list, list]:
    """The tracks and languages the programme uses, for the list's filters:
    read from every session, so kept with the version of the programme."""
    language = get_language() or "en"
    key = f"events-programme:{event.pk}:choices:{language}:{version}"
    choices = cache.get(key)
    if choices is None:
        tracks: dict[str, str] = {}
        codes: set[str] = set()
        for code, labels, languages, interpretation in event.sessions.values_list(
            "track__code", "track__labels", "languages", "interpretation"
        ):
            if code:
                tracks[code] = (labels or {}).get(language) or (labels or {}).get("en") or code
            codes.update(languages or [])
            codes.update(interpretation or [])
        choices = (
            sorted(tracks.items(), key=lambda item: item[1]),
            [(code, language_name(code)) for code in sorted(codes)],
        )
        cache.set(key, choices, PROGRAMME_CACHE_SECONDS)
    return choices


class _AgendaButtons:
    """The add/remove forms of sessions for one viewer (plain HTML forms: they
    work without JavaScript and with the keyboard). What every button shares is
    built once: a programme of 1,000 sessions carries 1,000 of them."""

    _PK = "2147483647"  # a placeholder in the reversed addresses

    def __init__(self, request, event):
        def address(name):
            url = reverse(f"events:{name}", kwargs={"slug": event.slug, "pk": int(self._PK)})
            return escape(url).split(self._PK)

        self.add_url, self.remove_url = address("agenda_add"), address("agenda_remove")
        self.csrf = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
        self.next = escape(request.get_full_path())
        self.labels = {
            "waiting": escape(_("On the session's waiting list")),
            "in": escape(_("In your agenda")),
            "remove": escape(_("Remove")),
            "join_waiting": escape(_("Join the waiting list")),
            "add": escape(_("Add to my agenda")),
        }

    def render(self, session_id: int, title: str, status, may_join: bool, full: bool) -> str:
        if status:
            url, button_class = self.remove_url, "button-secondary button-small"
            state = self.labels["waiting" if status == AgendaStatus.WAITING_LIST else "in"]
            before = f'<span class="agenda-state">{state}</span> '
            label = self.labels["remove"]
        elif may_join:
            url, button_class, before = self.add_url, "button-small", ""
            label = self.labels["join_waiting" if full else "add"]
        else:
            return ""
        pk = str(session_id)
        return (
            f'<form method="post" action="{pk.join(url)}" class="inline-form agenda-form">'
            f'{self.csrf}<input type="hidden" name="next" value="{self.next}#session-{pk}">'
            f'{before}<button type="submit" class="{button_class}">{label}'
            f'<span class="visually-hidden"> “{escape(title)}”</span></button></form>'
        )


def agenda_button(request, event, session_id: int, title: str, status, may_join, full) -> str:
    """The add/remove form of one session for the viewer."""
    return mark_safe(  # noqa: S308 (built from escaped parts)
        _AgendaButtons(request, event).render(session_id, title, status, may_join, full)
    )


def _viewer_registration(request, event):
    if not request.user.is_authenticated:
        return None
    return selectors.registration_of(request.user, event)


def _personalise(request, event, fragment: str, registration=None) -> str:
    """Fill the markers of a cached programme fragment for this viewer (whose
    registration the caller passes): places left and, for a confirmed
    participant, agenda buttons."""
    rows = event.sessions.values_list(
        "pk", "title", "audience", "is_cancelled", "capacity", "room__capacity"
    ).order_by()
    taken = selectors.seats_taken(event)
    confirmed = registration is not None and registration.is_confirmed
    statuses: dict[int, str] = {}
    invited: set[int] = set()
    buttons = None
    if confirmed:
        statuses = dict(registration.agenda_items.values_list("session_id", "status"))
        invited = set(
            Session.invited.through.objects.filter(registration=registration).values_list(
                "session_id", flat=True
            )
        )
        buttons = _AgendaButtons(request, event)
    places_text: dict[int, str] = {}
    replacements: dict[str, str] = {}
    for pk, title, audience, cancelled, capacity, room_capacity in rows:
        limit = capacity if capacity is not None else room_capacity
        left = None if limit is None else max(limit - taken.get(pk, 0), 0)
        if left is not None and not cancelled:
            if left not in places_text:
                text = ngettext("%(left)s place left", "%(left)s places left", left)
                places_text[left] = f"<li>{escape(text % {'left': left})}</li>"
            replacements[f"places:{pk}"] = places_text[left]
        if buttons is not None and not cancelled:
            may_join = (audience != SessionAudience.PRINCIPALS or registration.is_principal) and (
                audience != SessionAudience.INVITED or pk in invited
            )
            replacements[f"agenda:{pk}"] = buttons.render(
                pk, title, statuses.get(pk), may_join, left == 0
            )
    # Markers of sessions without places or buttons (or deleted since) vanish.
    page = _MARKER.sub(lambda match: replacements.get(match.group(1), ""), fragment)
    return mark_safe(page)  # noqa: S308 (built from escaped parts)


def _programme_base(request, event) -> dict:
    return {
        "event": event,
        "can_manage": rules.can_manage_event(request.user, event),
        **_time_context(request, event),
    }


def programme(request, slug: str):
    """The programme day by day, with each day's theme: the printable view."""
    event = _event(request, slug)
    context = _programme_base(request, event)

    def build():
        days = selectors.programme(event, _programme_sessions(event))
        return render_to_string("events/_programme_days.html", {**context, "days": days})

    fragment = _cached_fragment(request, event, context, "days", "", build)
    registration = _viewer_registration(request, event)
    context.update(
        {
            "fragment": _personalise(request, event, fragment, registration),
            "view": "days",
            "registration": registration,
        }
    )
    return render(request, "events/programme_days.html", context)


def programme_grid(request, slug: str):
    """A timetable of one day: rooms as columns, start times as rows."""
    event = _event(request, slug)
    context = _programme_base(request, event)
    raw = request.GET.get("day", "")
    today = timezone.localtime(timezone.now(), event.tz).date().isoformat()

    def build():
        days = selectors.programme(event, _programme_sessions(event))
        chosen = next((day for day in days if day.date.isoformat() == raw), None)
        if chosen is None:
            chosen = next(
                (day for day in days if day.date.isoformat() == today),
                next((day for day in days if day.sessions), days[0] if days else None),
            )
        grid = timetable(chosen.sessions, list(event.rooms.all())) if chosen else None
        return render_to_string(
            "events/_programme_grid.html",
            {**context, "days": days, "chosen": chosen, "grid": grid},
        )

    variant = raw if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) else f"default-{today}"
    fragment = _cached_fragment(request, event, context, "grid", variant, build)
    context.update(
        {
            "fragment": _personalise(
                request, event, fragment, _viewer_registration(request, event)
            ),
            "view": "grid",
        }
    )
    return render(request, "events/programme_grid.html", context)


def timetable(sessions, rooms) -> dict:
    """Rows of a day's grid: one per start time, one cell per room (a list, as
    two sessions may share a room and a start time), plus a column for outside
    places when any session has one."""
    used_rooms = [room for room in rooms if any(s.room_id == room.pk for s in sessions)]
    has_outside = any(s.room_id is None for s in sessions)
    column = {room.pk: index for index, room in enumerate(used_rooms)}
    rows: dict = {}
    for session in sessions:
        cells = rows.setdefault(
            session.starts_at, [[] for _ in range(len(used_rooms) + has_outside)]
        )
        cells[column[session.room_id] if session.room_id else len(used_rooms)].append(session)
    return {
        "rooms": used_rooms,
        "has_outside": has_outside,
        "rows": [{"start": start, "cells": rows[start]} for start in sorted(rows)],
    }


@vary_on_headers("HX-Request")
def programme_list(request, slug: str):
    """Every session in one list, filtered by track, kind and language."""
    event = _event(request, slug)
    context = _programme_base(request, event)
    version = _programme_version(event)
    tracks, languages = _list_choices(event, version)
    form = ProgrammeFilterForm(request.GET or None, tracks=tracks, languages=languages)
    filters = form.cleaned_data if form.is_valid() else {}
    variant = "|".join(f"{k}={filters.get(k) or ''}" for k in ("track", "kind", "language"))

    def build():
        sessions = _programme_sessions(event)
        shown = sessions
        if filters.get("track"):
            shown = [s for s in shown if s.track_id and s.track.code == filters["track"]]
        if filters.get("kind"):
            shown = [s for s in shown if s.kind == filters["kind"]]
        if filters.get("language"):
            shown = [
                s
                for s in shown
                if filters["language"] in (s.languages or [])
                or filters["language"] in (s.interpretation or [])
            ]
        for session in shown:
            # Grouped under the date where the viewer reads the times.
            session.display_date = timezone.localtime(
                session.starts_at, context["display_tz"]
            ).date()
        return render_to_string(
            "events/_session_list.html",
            {**context, "sessions": shown, "total": len(sessions)},
        )

    fragment = _cached_fragment(request, event, context, "list", variant, build, version)
    context.update(
        {
            "fragment": _personalise(
                request, event, fragment, _viewer_registration(request, event)
            ),
            "filter_form": form,
            "view": "list",
        }
    )
    if _is_htmx(request):
        return render(request, "events/_fragment.html", context)
    return render(request, "events/programme_list.html", context)


def session_detail(request, slug: str, pk: int):
    """One session: people, place, languages, places left, who may attend and,
    for those it is open to, the online link."""
    event = _event(request, slug)
    session = get_object_or_404(
        Session.objects.select_related("room", "track", "event").prefetch_related(
            "people__person__organisation", "invited"
        ),
        event=event,
        pk=pk,
    )
    context = _programme_base(request, event)
    context.update(_agenda_context(request, event, [session]))
    registration = context["registration"]
    taken = session.agenda_items.filter(status=AgendaStatus.CONFIRMED).count()
    capacity = session.effective_capacity
    if registration is not None and registration.is_confirmed and not session.is_cancelled:
        context["agenda_form"] = agenda_button(
            request,
            event,
            session.pk,
            session.title,
            session.agenda_status,
            session.may_join,
            capacity is not None and taken >= capacity,
        )
    context.update(
        {
            "session": session,
            "people": list(session.people.all()),
            "language_names": _language_names(session.languages),
            "interpretation_names": _language_names(session.interpretation),
            "capacity": session.effective_capacity,
            "places_left": max(session.effective_capacity - taken, 0)
            if session.effective_capacity is not None
            else None,
            "show_online_url": bool(session.effective_online_url)
            and rules.can_see_online_link(
                request.user,
                session,
                registration if registration and registration.is_confirmed else None,
            ),
        }
    )
    return render(request, "events/session_detail.html", context)


# -- registration ---------------------------------------------------------------------


def _delegation_organisations(user, event):
    """Organisations the user may register other people for."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if rules.can_manage_event(user, event):
        ids = rules.editable_organisation_ids(user) | {o.pk for o in event.organisers.all()}
        return Organisation.objects.filter(pk__in=ids).order_by("name")
    if not rules.can_register_for(user, event):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=rules.editable_organisation_ids(user)).order_by(
        "name"
    )


@login_required
def register(request, slug: str):
    """Register oneself, or (`?for=delegation`) a member of one's delegation."""
    event = _event(request, slug)
    delegation = request.GET.get("for") == "delegation" or request.POST.get("for") == "delegation"
    if delegation:
        organisations = _delegation_organisations(request.user, event)
        if not organisations.exists():
            raise PermissionDenied
    else:
        if not rules.can_register_for(request.user, event):
            raise PermissionDenied
        existing = selectors.registration_of(request.user, event)
        if existing is not None and existing.is_active:
            messages.info(request, _("You are already registered for this event."))
            return redirect(event)
        organisations = selectors.organisations_to_come_from(request.user)
    form = RegistrationForm(
        request.POST or None,
        event=event,
        organisations=organisations,
        delegation=delegation,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = data.get("organisation")
        try:
            if delegation:
                if not rules.can_register_delegation(request.user, event, organisation):
                    raise PermissionDenied
                registration = services.register(
                    actor=request.user,
                    event=event,
                    participant=None,
                    participant_name=data["participant_name"],
                    participant_email=data["participant_email"],
                    organisation=organisation,
                    answers=form.answers(),
                )
            else:
                registration = services.register(
                    actor=request.user,
                    event=event,
                    participant=request.user,
                    participant_name=data["participant_name"],
                    participant_email=request.user.email,
                    organisation=organisation,
                    answers=form.answers(),
                )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _status_message(registration, delegation))
            return redirect(event)
    return render(
        request,
        "events/register.html",
        {
            "event": event,
            "form": form,
            "delegation": delegation,
            "registration_open": event.registration_is_open(),
        },
    )


def _status_message(registration, delegation: bool) -> str:
    name = registration.participant_name
    if registration.status == RegistrationStatus.CONFIRMED:
        if delegation:
            return _("%(name)s is registered. A confirmation was sent to them.") % {"name": name}
        return _("You are registered. A confirmation with a calendar file was sent to you.")
    if registration.status == RegistrationStatus.PENDING:
        if delegation:
            return _("%(name)s's registration awaits the organisers' approval.") % {"name": name}
        return _("Your registration awaits the organisers' approval; you will hear from them.")
    if delegation:
        return _("The event is full: %(name)s is on the waiting list.") % {"name": name}
    return _(
        "The event is full: you are on the waiting list and will be told when a place frees up."
    )


def _registration_for_actor(request, event, pk: int) -> Registration:
    registration = get_object_or_404(Registration, event=event, pk=pk)
    if not rules.can_act_for_registration(request.user, registration):
        raise Http404("No such registration.")
    return registration


@login_required
@require_POST
def registration_cancel(request, slug: str, pk: int):
    """Cancel one's own registration (or one's delegate's): the place goes to the
    first person on the waiting list."""
    event = _event(request, slug)
    registration = _registration_for_actor(request, event, pk)
    try:
        services.cancel_registration(actor=request.user, registration=registration)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The registration of %(name)s is cancelled.")
            % {"name": registration.participant_name},
        )
    return redirect(_safe_next(request, event.get_absolute_url()))


# -- personal agenda ------------------------------------------------------------------


def _acting_registration(request, event) -> Registration | None:
    """The registration whose agenda is shown: the user's own, or a delegate's
    (`?registration=<id>`) for the officer who registered them."""
    registration_id = parse_id(
        request.GET.get("registration") or request.POST.get("registration") or ""
    )
    if registration_id is not None:
        return _registration_for_actor(request, event, registration_id)
    return selectors.registration_of(request.user, event)


@login_required
def agenda(request, slug: str):
    """The sessions a participant picked, clashes between them and the private
    calendar feed."""
    event = _event(request, slug)
    registration = _acting_registration(request, event)
    context = {"event": event, "registration": registration, **_time_context(request, event)}
    if registration is not None:
        items = list(selectors.agenda_of(registration))
        context.update(
            {
                "items": items,
                "clashes": selectors.clashes(registration),
                "feed_url": request.build_absolute_uri(
                    reverse("events:agenda_feed", kwargs={"token": registration.feed_token})
                ),
                "is_own": registration.user_id == request.user.pk,
            }
        )
    return render(request, "events/agenda.html", context)


def _agenda_change(request, slug: str, pk: int, *, add: bool):
    event = _event(request, slug)
    registration = _acting_registration(request, event)
    session = get_object_or_404(Session, event=event, pk=pk)
    if registration is None:
        messages.error(request, _("Register for the event first."))
        return redirect(event)
    try:
        if add:
            item = services.add_to_agenda(
                actor=request.user, registration=registration, session=session
            )
            if item.status == AgendaStatus.WAITING_LIST:
                messages.warning(
                    request,
                    _("“%(title)s” is full: you are on its waiting list.")
                    % {"title": session.title},
                )
            else:
                messages.success(
                    request, _("“%(title)s” is in your agenda.") % {"title": session.title}
                )
            clashing = [
                other
                for first, second in selectors.clashes(registration)
                for other in (first, second)
                if session.pk in (first.pk, second.pk) and other.pk != session.pk
            ]
            for other in clashing:
                messages.warning(
                    request,
                    _("“%(title)s” clashes with “%(other)s” in your agenda.")
                    % {"title": session.title, "other": other.title},
                )
        else:
            item = registration.agenda_items.filter(session=session).first()
            if item is not None:
                services.remove_from_agenda(actor=request.user, item=item)
            messages.success(
                request, _("“%(title)s” is no longer in your agenda.") % {"title": session.title}
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    default = reverse("events:session", kwargs={"slug": event.slug, "pk": session.pk})
    target = _safe_next(request, default)
    if target != default and "#" not in target:
        # Back where the person was in the programme, not at its top: the next Tab
        # goes on from this session.
        target = f"{target}#session-{session.pk}"
    return redirect(target)


@login_required
@require_POST
def agenda_add(request, slug: str, pk: int):
    """Put a session in the agenda (its waiting list when it is full)."""
    return _agenda_change(request, slug, pk, add=True)


@login_required
@require_POST
def agenda_remove(request, slug: str, pk: int):
    """Take a session out of the agenda; the first on its waiting list gets the place."""
    return _agenda_change(request, slug, pk, add=False)


# -- organisers -----------------------------------------------------------------------


def _organiser_choices(user, event=None):
    """Organisations that may be named as organisers: the user's own, the
    event's current ones and, for staff, every association and network."""
    ids = rules.editable_organisation_ids(user) | rules.managed_association_ids(user)
    condition = Q(pk__in=ids)
    if event is not None:
        condition |= Q(organised_events=event)
    if rules.is_platform_staff(user):
        condition |= Q(organised_events__isnull=False) | ~Q(kind="municipality")
    return Organisation.objects.filter(condition).distinct().order_by("name")


def _free_slug(title: str, starts_on) -> str:
    """An address from the title, with the year (and a number) when taken."""
    base = slugify(title)[:100] or "event"
    candidates = [base, f"{base}-{starts_on.year}"] + [
        f"{base}-{starts_on.year}-{n}" for n in range(2, 50)
    ]
    taken = set(Event.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    return next((slug for slug in candidates if slug not in taken), candidates[-1])


@login_required
def event_create(request):
    """A new event (platform role: event organiser)."""
    if not rules.can_organise_events(request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None, organisers_queryset=_organiser_choices(request.user))
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        fields.setdefault("slug", _free_slug(fields["title"], fields["starts_on"]))
        try:
            event = services.create_event(actor=request.user, **fields)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The event was created. Add its programme next."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
def event_edit(request, slug: str):
    """Change an event's details and registration settings."""
    event = _managed_event(request, slug)
    form = EventForm(
        request.POST or None,
        event=event,
        organisers_queryset=_organiser_choices(request.user, event),
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.update_event(actor=request.user, event=event, **form.service_fields())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


def _people_changes(form, session) -> list[dict] | None:
    """Speakers and moderators as the service takes them, or None when the
    organiser left both lists as they were (people of the directory then stay
    linked to their profiles instead of becoming guests)."""
    if session is not None and not ({"speakers", "moderators"} & set(form.changed_data)):
        return None
    data = form.cleaned_data
    return [
        {"guest_name": name, "guest_affiliation": affiliation, "role": role}
        for role in ("moderator", "speaker")
        for name, affiliation in data["moderators" if role == "moderator" else "speakers"]
    ]


def _session_fields(data: dict) -> dict:
    return {
        key: value
        for key, value in data.items()
        if key not in ("speakers", "moderators", "invited")
    }


@login_required
def session_edit(request, slug: str, pk: int | None = None):
    """Add or change a session. Room double-bookings and speakers in two places
    at once are saved but shown as warnings."""
    event = _managed_event(request, slug)
    session = None
    if pk is not None:
        session = get_object_or_404(
            Session.objects.prefetch_related("people__person__organisation"), event=event, pk=pk
        )
    form = SessionForm(request.POST or None, event=event, session=session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved, warnings = services.save_session(
                actor=request.user,
                event=event,
                session=session,
                people=_people_changes(form, session),
                invited=list(data["invited"]),
                **_session_fields(data),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” was saved.") % {"title": saved.title})
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("events:session", slug=event.slug, pk=saved.pk)
    return render(
        request,
        "events/session_form.html",
        {"event": event, "session": session, "form": form, "event_zone": event.time_zone},
    )


@login_required
def session_delete(request, slug: str, pk: int):
    """Remove a session from the programme, after a confirmation."""
    event = _managed_event(request, slug)
    session = get_object_or_404(Session, event=event, pk=pk)
    if request.method == "POST":
        services.delete_session(actor=request.user, session=session)
        messages.success(request, _("“%(title)s” was removed.") % {"title": session.title})
        return redirect("events:programme", slug=event.slug)
    return render(request, "events/session_delete.html", {"event": event, "session": session})


@login_required
def rooms_and_days(request, slug: str):
    """The organisers' set-up of the programme: rooms (with seats, outside
    places, online rooms) and the theme of each day."""
    event = _managed_event(request, slug)
    days = list(event.days.all())
    rooms = list(event.rooms.all())
    room = None
    room_id = parse_id(request.GET.get("room") or request.POST.get("room") or "")
    if room_id is not None:
        room = get_object_or_404(Room, event=event, pk=room_id)
    action = request.POST.get("action") if request.method == "POST" else None
    room_form = RoomForm(request.POST if action == "room" else None, room=room)
    days_form = DayThemesForm(request.POST if action == "days" else None, days=days)
    if action == "room" and room_form.is_valid():
        try:
            saved = services.save_room(
                actor=request.user, event=event, room=room, **room_form.service_fields()
            )
        except ValidationError as error:
            _add_service_errors(room_form, error)
        else:
            messages.success(request, _("The room “%(name)s” was saved.") % {"name": saved.name})
            return redirect("events:setup", slug=event.slug)
    if action == "days" and days_form.is_valid():
        try:
            for day, theme in days_form.changed_themes():
                services.set_day_theme(actor=request.user, day=day, theme=theme)
        except ValidationError as error:
            _add_service_errors(days_form, error)
        else:
            messages.success(request, _("The themes of the days were saved."))
            return redirect("events:setup", slug=event.slug)
    return render(
        request,
        "events/setup.html",
        {
            "event": event,
            "rooms": rooms,
            "room": room,
            "room_form": room_form,
            "days_form": days_form,
            "can_manage": True,
            "view": "setup",
        },
    )


PARTICIPANT_COLUMNS = [
    "name",
    "email",
    "organisation",
    "country",
    "position",
    "principal",
    "status",
    "registered_on",
    "registered_by",
    "accessibility_needs",
    "dietary_needs",
    "consent_given_on",
]


def _participant_rows(registrations):
    for registration in registrations:
        organisation = registration.organisation
        yield [
            registration.participant_name,
            registration.participant_email,
            organisation.name if organisation else "",
            organisation.country if organisation else "",
            registration.get_position_display() if registration.position else "",
            "yes" if registration.is_principal else "no",
            registration.status,
            registration.created_at.isoformat(timespec="minutes"),
            registration.registered_by.email if registration.registered_by else "",
            registration.accessibility_needs,
            registration.dietary_needs,
            registration.consent_given_at.isoformat(timespec="minutes")
            if registration.consent_given_at
            else "",
        ]


@login_required
@vary_on_headers("HX-Request")
def participants(request, slug: str):
    """The organisers' list of registrations, filtered, with the numbers of the
    event and the pending registrations to approve or decline."""
    event = _managed_event(request, slug)
    if not rules.can_view_participants(request.user, event):
        raise PermissionDenied
    form = ParticipantFilterForm(request.GET or None, event=event)
    filters = form.filters()
    registrations = list(selectors.participants(event, filters))
    context = {
        "event": event,
        "filter_form": form,
        "registrations": registrations,
        "counts": selectors.event_counts(event),
        "export_query": request.GET.urlencode(),
        **_time_context(request, event),
    }
    template = "events/_participant_table.html" if _is_htmx(request) else "events/participants.html"
    return render(request, template, context)


@login_required
def participants_export(request, slug: str, fmt: str):
    """The filtered participant list as CSV or XLSX (text cells that a
    spreadsheet would run as formulas are defused)."""
    event = _managed_event(request, slug)
    if not rules.can_view_participants(request.user, event):
        raise PermissionDenied
    form = ParticipantFilterForm(request.GET or None, event=event)
    registrations = selectors.participants(event, form.filters())
    rows = _participant_rows(registrations)
    stem = f"{event.slug}-participants"
    if fmt == "csv":
        return csv_response(stem, PARTICIPANT_COLUMNS, rows)
    if fmt == "xlsx":
        return xlsx_response(stem[:31], PARTICIPANT_COLUMNS, rows)
    raise Http404("Unknown export format.")


@login_required
@require_POST
def registration_decide(request, slug: str, pk: int, decision: str):
    """Approve or decline a pending registration; confirm who is a principal or
    mayor (sessions reserved to them); record who attended."""
    event = _managed_event(request, slug)
    registration = get_object_or_404(Registration, event=event, pk=pk)
    name = registration.participant_name
    try:
        if decision in ("principal", "not-principal"):
            services.set_principal(
                actor=request.user, registration=registration, is_principal=decision == "principal"
            )
            messages.success(
                request,
                _("%(name)s is now counted as a principal or mayor.") % {"name": name}
                if decision == "principal"
                else _("%(name)s is no longer counted as a principal or mayor.") % {"name": name},
            )
        elif decision in ("attended", "not-attended"):
            services.record_attendance(
                actor=request.user, registration=registration, attended=decision == "attended"
            )
            messages.success(
                request,
                _("%(name)s attended.") % {"name": name}
                if decision == "attended"
                else _("%(name)s's attendance was withdrawn.") % {"name": name},
            )
        elif decision == "approve":
            services.approve_registration(actor=request.user, registration=registration)
            messages.success(
                request, _("%(name)s is approved.") % {"name": registration.participant_name}
            )
        elif decision == "decline":
            services.decline_registration(actor=request.user, registration=registration)
            messages.success(
                request, _("%(name)s is declined.") % {"name": registration.participant_name}
            )
        else:
            raise Http404("Unknown decision.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(_safe_next(request, reverse("events:participants", kwargs={"slug": slug})))
