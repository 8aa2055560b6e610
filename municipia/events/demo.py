"""Demo events for `make demo`: the CEMR Strategic Retreat and the UCLG Seminar
& Campus with their published programmes (``demo_data``), written through the
events services by the demo event organiser, so that account manages them.

Idempotent: loading again changes only what differs from ``demo_data`` (a
session is matched by its key, kept as ``external_id``), so calendars that
subscribed to the demo see no spurious updates.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from municipia.accounts.demo import DEMO_USERS
from municipia.accounts.enums import Role
from municipia.accounts.models import User
from municipia.directory import services as directory_services
from municipia.directory.enums import OrganisationType
from municipia.directory.models import Organisation
from municipia.taxonomy.models import Theme

from . import services
from .demo_data import DEMO_EVENTS
from .models import Event, Room

# The networks that run the demo events, as the directory knows them.
ORGANISERS = {
    "cemr": ("Council of European Municipalities and Regions", "BE"),
    "uclg": ("United Cities and Local Governments", "ES"),
}


def _organiser_account() -> User:
    email = next(email for email, _p, role, _o in DEMO_USERS if role == Role.EVENT_ORGANISER)
    user = User.objects.filter(email=email).first()
    if user is None:
        raise RuntimeError("Load the demo accounts first (load_demo_users).")
    return user


def _organisation(key: str) -> Organisation:
    name, country = ORGANISERS[key]
    organisation = Organisation.objects.filter(name=name, kind=OrganisationType.NETWORK).first()
    if organisation is None:
        organisation = directory_services.create_organisation(
            actor=None, name=name, kind=OrganisationType.NETWORK, country=country
        )
    return organisation


def _event(spec: dict, actor: User) -> Event:
    fields = {name: spec[name] for name in services.EVENT_FIELDS if name in spec}
    fields.pop("slug")
    fields["starts_on"] = datetime.date.fromisoformat(spec["starts_on"])
    fields["ends_on"] = datetime.date.fromisoformat(spec["ends_on"])
    fields["is_published"] = True
    organisers = [_organisation(key) for key in spec["organisers"]]
    event = Event.objects.filter(slug=spec["slug"]).first()
    if event is None:
        return services.create_event(
            actor=actor, organisers=organisers, slug=spec["slug"], **fields
        )
    changed = {name: value for name, value in fields.items() if getattr(event, name) != value}
    if changed or set(event.organisers.all()) != set(organisers):
        event = services.update_event(actor=actor, event=event, organisers=organisers, **changed)
    return event


def _rooms(event: Event, spec: dict, actor: User) -> dict[str, Room]:
    rooms = {room.name: room for room in event.rooms.all()}
    for order, room_spec in enumerate(spec["rooms"]):
        wanted = {"is_outside_venue": False, "order": order, **room_spec}
        room = rooms.get(room_spec["name"])
        if room is None or any(getattr(room, k) != v for k, v in wanted.items()):
            rooms[room_spec["name"]] = services.save_room(
                actor=actor, event=event, room=room, **wanted
            )
    return rooms


def _session_fields(event: Event, spec: dict, session_spec: dict, rooms, themes) -> dict:
    zone = event.tz
    day = datetime.date.fromisoformat(session_spec["date"])

    def moment(clock: str) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time.fromisoformat(clock), tzinfo=zone)

    return {
        "external_id": session_spec["key"],
        "title": session_spec["title"],
        "description": session_spec.get("description", ""),
        "starts_at": moment(session_spec["start"]),
        "ends_at": moment(session_spec["end"]),
        "time_tbc": session_spec.get("time_tbc", spec.get("time_tbc", False)),
        "place_tbc": session_spec.get("place_tbc", False),
        "room": rooms.get(session_spec.get("room", "")),
        "place_name": session_spec.get("place_name", ""),
        "kind": session_spec["kind"],
        "track": themes.get(session_spec.get("track", "")),
        "languages": [spec["content_language"]],
        "audience": session_spec.get("audience", "registered"),
    }


def _people(session_spec: dict) -> list[dict]:
    return [
        {"guest_name": name, "guest_affiliation": affiliation, "role": "speaker"}
        for name, affiliation in session_spec.get("people", [])
    ]


def _sessions(event: Event, spec: dict, rooms, actor: User) -> None:
    themes = {theme.code: theme for theme in Theme.objects.all()}
    existing = {
        s.external_id: s for s in event.sessions.prefetch_related("people").exclude(external_id="")
    }
    for session_spec in spec["sessions"]:
        fields = _session_fields(event, spec, session_spec, rooms, themes)
        people = _people(session_spec)
        session = existing.get(session_spec["key"])
        if session is not None:
            same_fields = all(getattr(session, name) == value for name, value in fields.items())
            same_people = [
                {
                    "guest_name": p.guest_name,
                    "guest_affiliation": p.guest_affiliation,
                    "role": p.role,
                }
                for p in session.people.all()
            ] == people
            if same_fields and same_people:
                continue
        services.save_session(actor=actor, event=event, session=session, people=people, **fields)


@transaction.atomic
def load_demo_events() -> list[Event]:
    """Create or refresh the two seed events with their programmes."""
    actor = _organiser_account()
    events = []
    for spec in DEMO_EVENTS:
        event = _event(spec, actor)
        for day in event.days.all():
            theme = next(
                (d["theme"] for d in spec["days"] if d["date"] == day.date.isoformat()), ""
            )
            if day.theme != theme:
                services.set_day_theme(actor=actor, day=day, theme=theme)
        rooms = _rooms(event, spec, actor)
        _sessions(event, spec, rooms, actor)
        events.append(event)
    return events
