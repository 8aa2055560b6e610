"""Events in the API: events, their days and sessions, your registrations and
your personal agenda.

Reads go through `municipia.events.selectors`, writes through its `services`,
so the same rules hold as in pages: an event is listed only to those who may
see it, and a session's online link is given only to the confirmed
participants it is open to (never to the rest, whatever the audience rule).
Times are written in the event's time zone with their UTC offset.
"""

import datetime

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from municipia.accounts import rules
from municipia.directory import selectors as directory_selectors
from municipia.directory.enums import Position
from municipia.events import selectors, services
from municipia.events.enums import RegistrationStatus, SessionKind
from municipia.events.models import AgendaItem, Day, Event, Registration, Session, SessionPerson

from .directory import ID_PATTERN, ID_SCHEMA, NOT_FOUND, SLUG_PATTERN, WRITE_ERRORS
from .serializers import ErrorSerializer

# -- serializers -------------------------------------------------------------------


def _local(value, event: Event) -> str | None:
    return timezone.localtime(value, event.tz).isoformat() if value else None


class EventSerializer(serializers.ModelSerializer):
    organisers = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Organisations' addresses (slugs)"
    )
    url = serializers.SerializerMethodField()
    places_left = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "slug",
            "title",
            "kind",
            "format",
            "venue_name",
            "address",
            "city",
            "country",
            "time_zone",
            "starts_on",
            "ends_on",
            "languages",
            "content_language",
            "organisers",
            "description",
            "contact_name",
            "contact_email",
            "visibility",
            "registration_opens_at",
            "registration_closes_at",
            "capacity",
            "places_left",
            "requires_approval",
            "registration_fields",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, event) -> str:
        return event.get_absolute_url()

    def get_places_left(self, event) -> int | None:
        if event.capacity is None:
            return None
        confirmed = getattr(event, "confirmed_count", None)
        if confirmed is None:
            confirmed = selectors.event_counts(event)["confirmed"]
        return max(event.capacity - confirmed, 0)


class DaySerializer(serializers.ModelSerializer):
    class Meta:
        model = Day
        fields = ["date", "theme"]
        read_only_fields = fields


class SessionPersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    affiliation = serializers.CharField(read_only=True)

    class Meta:
        model = SessionPerson
        fields = ["name", "affiliation", "role"]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    starts_at = serializers.SerializerMethodField()
    ends_at = serializers.SerializerMethodField()
    day = serializers.DateField(read_only=True)
    room = serializers.CharField(source="room.name", default="", read_only=True)
    location = serializers.CharField(read_only=True)
    track = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Theme code of the track"
    )
    people = SessionPersonSerializer(many=True, read_only=True)
    online_url = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "title",
            "description",
            "day",
            "starts_at",
            "ends_at",
            "time_tbc",
            "place_tbc",
            "room",
            "location",
            "kind",
            "track",
            "languages",
            "interpretation",
            "capacity",
            "audience",
            "people",
            "is_cancelled",
            "online_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_starts_at(self, session) -> str:
        return _local(session.starts_at, session.event)

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_ends_at(self, session) -> str:
        return _local(session.ends_at, session.event)

    @extend_schema_field(
        {
            "type": "string",
            "format": "uri",
            "description": "Only for the confirmed participants the session is open to; "
            "empty otherwise",
        }
    )
    def get_online_url(self, session) -> str:
        if self.context.get("manager") or rules.registration_may_join(
            self.context.get("registration"), session
        ):
            return session.effective_online_url
        return ""


class AgendaItemSerializer(serializers.ModelSerializer):
    session = serializers.SerializerMethodField()
    clashes = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = ["session", "status", "clashes", "created_at"]
        read_only_fields = fields

    @extend_schema_field(SessionSerializer)
    def get_session(self, item) -> dict:
        return SessionSerializer(item.session, context=self.context).data

    def get_clashes(self, item) -> bool:
        """True when the session overlaps another one of the agenda."""
        return item.session_id in self.context.get("clashing", ())


class RegistrationSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    registered_by_you = serializers.SerializerMethodField()
    calendar_feed = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "participant_name",
            "participant_email",
            "organisation",
            "position",
            "is_principal",
            "accessibility_needs",
            "dietary_needs",
            "status",
            "created_at",
            "status_changed_at",
            "registered_by_you",
            "calendar_feed",
        ]
        read_only_fields = fields

    def get_registered_by_you(self, registration) -> bool:
        request = self.context["request"]
        return registration.registered_by_id == request.user.pk != registration.user_id

    @extend_schema_field(
        {
            "type": "string",
            "format": "uri",
            "description": "Private iCalendar feed of the participant's agenda: keep it secret",
        }
    )
    def get_calendar_feed(self, registration) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("events:agenda_feed", kwargs={"token": registration.feed_token})
        )


class RegistrationInputSerializer(serializers.Serializer):
    event = serializers.RegexField(rf"^{SLUG_PATTERN}$", max_length=120, help_text="Event slug")
    participant_name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="For someone else (a delegation); leave out to register yourself",
    )
    participant_email = serializers.EmailField(
        required=False, allow_blank=True, help_text="For someone else"
    )
    organisation = serializers.RegexField(
        rf"^{SLUG_PATTERN}$", max_length=220, required=False, help_text="Organisation slug"
    )
    position = serializers.ChoiceField(choices=Position.choices, required=False)
    accessibility_needs = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    dietary_needs = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    consent = serializers.BooleanField(required=False, default=False)


class EventListQuerySerializer(serializers.Serializer):
    past = serializers.BooleanField(
        required=False, default=False, help_text="Include events that have ended"
    )


class SessionQuerySerializer(serializers.Serializer):
    day = serializers.DateField(required=False, help_text="Sessions of this day (event's time)")
    kind = serializers.ChoiceField(choices=SessionKind.choices, required=False)
    track = serializers.RegexField(
        r"^[-a-z0-9_]+$", max_length=64, required=False, help_text="Theme code of the track"
    )
    language = serializers.RegexField(
        r"^[a-zA-Z]{2,3}$", required=False, help_text="Language code, spoken or interpreted"
    )


class AgendaInputSerializer(serializers.Serializer):
    session = serializers.IntegerField(min_value=1, max_value=10**18 - 1)


# -- views ---------------------------------------------------------------------------

EVENT_SLUG = OpenApiParameter(
    "slug",
    {"type": "string", "pattern": f"^{SLUG_PATTERN}$"},
    OpenApiParameter.PATH,
    description="Address (slug) of the event",
)
EVENT_SLUG_NESTED = OpenApiParameter(
    "event_slug",
    {"type": "string", "pattern": f"^{SLUG_PATTERN}$"},
    OpenApiParameter.PATH,
    description="Address (slug) of the event",
)
SESSION_ID = OpenApiParameter("id", ID_SCHEMA, OpenApiParameter.PATH, description="Session id")
REGISTRATION_ID = OpenApiParameter(
    "id", ID_SCHEMA, OpenApiParameter.PATH, description="Registration id"
)
NOT_SIGNED_IN = OpenApiResponse(ErrorSerializer, description="Not signed in.")


class EventViewSet(viewsets.GenericViewSet):
    """Events you may see."""

    permission_classes = [permissions.AllowAny]
    queryset = Event.objects.none()
    serializer_class = EventSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    def _event(self, slug) -> Event:
        event = selectors.event_for(self.request.user, slug)
        if event is None:
            raise Http404
        return event

    @extend_schema(
        summary="List events",
        description="Events you may see (public ones, members-only ones for members of the "
        "network, invitation ones you are invited to), the next ones first.",
        parameters=[EventListQuerySerializer],
        responses={200: EventSerializer(many=True)},
    )
    def list(self, request):
        events = (
            selectors.visible_events(request.user)
            .prefetch_related("organisers")
            # Places left for the whole page in the same query, not one count per event.
            .annotate(
                confirmed_count=Count(
                    "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
                )
            )
        )
        query = EventListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if not query.validated_data["past"]:
            events = events.filter(ends_on__gte=timezone.localdate())
        events = events.order_by("starts_on", "pk")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(EventSerializer(page, many=True).data)

    @extend_schema(
        summary="Read an event",
        parameters=[EVENT_SLUG],
        responses={200: EventSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request, slug=None):
        return Response(EventSerializer(self._event(slug)).data)

    @extend_schema(
        summary="List the days of an event",
        description="With the theme of each day.",
        parameters=[EVENT_SLUG],
        responses={200: DaySerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def days(self, request, slug=None):
        event = self._event(slug)
        return Response(DaySerializer(event.days.order_by("date"), many=True).data)


class SessionViewSet(viewsets.GenericViewSet):
    """The programme of an event."""

    permission_classes = [permissions.AllowAny]
    queryset = Session.objects.none()
    serializer_class = SessionSerializer
    lookup_value_regex = ID_PATTERN

    def _event(self) -> Event:
        event = selectors.event_for(self.request.user, self.kwargs["event_slug"])
        if event is None:
            raise Http404
        return event

    def _context(self, event: Event) -> dict:
        return {
            "request": self.request,
            "manager": rules.can_manage_event(self.request.user, event),
            "registration": selectors.registration_of(self.request.user, event),
        }

    def _sessions(self, event: Event):
        query = SessionQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        sessions = selectors.programme_sessions(event).prefetch_related("invited")
        if kind := filters.get("kind"):
            sessions = sessions.filter(kind=kind)
        if track := filters.get("track"):
            sessions = sessions.filter(track__code=track)
        if date := filters.get("day"):
            if not datetime.date.min < date < datetime.date.max:
                return sessions.none()  # no event is held at the calendar's ends
            # The day where the event is, not in UTC.
            start = datetime.datetime.combine(date, datetime.time(), tzinfo=event.tz)
            end = datetime.datetime.combine(
                date + datetime.timedelta(days=1), datetime.time(), tzinfo=event.tz
            )
            sessions = sessions.filter(starts_at__gte=start, starts_at__lt=end)
        if language := filters.get("language"):
            # Language lists are JSON; SQLite cannot query inside them, so filter here.
            code = language.lower()
            sessions = [
                s
                for s in sessions
                if code in (s.languages or []) or code in (s.interpretation or [])
            ]
        return sessions

    @extend_schema(
        summary="List the sessions of an event",
        description="In time order, filterable by day, kind, track and language (spoken or "
        "interpreted).",
        parameters=[EVENT_SLUG_NESTED, SessionQuerySerializer],
        responses={
            200: SessionSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description="Invalid filter."),
            404: NOT_FOUND,
        },
    )
    def list(self, request, event_slug=None):
        event = self._event()
        sessions = self._sessions(event)
        page = self.paginate_queryset(sessions)
        for session in page:
            session.event = event
        return self.get_paginated_response(
            SessionSerializer(page, many=True, context=self._context(event)).data
        )

    @extend_schema(
        summary="Read a session",
        parameters=[EVENT_SLUG_NESTED, SESSION_ID],
        responses={200: SessionSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request, event_slug=None, pk=None):
        event = self._event()
        session = (
            selectors.programme_sessions(event).prefetch_related("invited").filter(pk=pk).first()
        )
        if session is None:
            raise Http404
        session.event = event
        return Response(SessionSerializer(session, context=self._context(event)).data)


class RegistrationViewSet(viewsets.GenericViewSet):
    """Your registrations, and those you made for others (your delegation)."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [parsers.JSONParser]
    queryset = Registration.objects.none()
    serializer_class = RegistrationSerializer
    lookup_value_regex = ID_PATTERN

    def _registration(self, pk) -> Registration:
        registration = selectors.registrations_by(self.request.user).filter(pk=pk).first()
        if registration is None:
            raise Http404
        return registration

    def _agenda_response(self, registration: Registration, status_code=status.HTTP_200_OK):
        event = registration.event
        items = list(selectors.agenda_of(registration).prefetch_related("session__invited"))
        for item in items:
            item.session.event = event
        context = {
            "request": self.request,
            "registration": registration if registration.user_id == self.request.user.pk else None,
            "manager": rules.can_manage_event(self.request.user, event),
            "clashing": selectors.clashing_session_ids(registration),
        }
        return Response(
            AgendaItemSerializer(items, many=True, context=context).data, status=status_code
        )

    @extend_schema(
        summary="List your registrations",
        description="Yours and those you made for others, the latest events first.",
        responses={200: RegistrationSerializer(many=True), 401: NOT_SIGNED_IN},
    )
    def list(self, request):
        page = self.paginate_queryset(selectors.registrations_by(request.user))
        return self.get_paginated_response(
            RegistrationSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        summary="Read a registration",
        parameters=[REGISTRATION_ID],
        responses={200: RegistrationSerializer, 401: NOT_SIGNED_IN, 404: NOT_FOUND},
    )
    def retrieve(self, request, pk=None):
        return Response(
            RegistrationSerializer(self._registration(pk), context={"request": request}).data
        )

    @extend_schema(
        summary="Register for an event",
        description="Yourself, or someone of an organisation you edit (give their name and "
        "e-mail). The status is `pending` when the event wants approval, `confirmed` while "
        "places are left and `waiting_list` otherwise; a confirmation e-mail with an .ics "
        "file follows.",
        request=RegistrationInputSerializer,
        responses={201: RegistrationSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = RegistrationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        event = selectors.event_for(request.user, fields.pop("event"))
        if event is None:
            raise Http404
        organisation = None
        if slug := fields.pop("organisation", None):
            organisation = (
                directory_selectors.visible_organisations(viewer=request.user)
                .filter(slug=slug)
                .first()
            )
            if organisation is None:
                raise serializers.ValidationError({"organisation": ["No such organisation."]})
        registration = services.register(
            actor=request.user,
            event=event,
            participant_name=fields.pop("participant_name", ""),
            participant_email=fields.pop("participant_email", ""),
            organisation=organisation,
            answers=fields,
        )
        return Response(
            RegistrationSerializer(registration, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Cancel a registration",
        description="The place goes to the first person on the waiting list.",
        parameters=[REGISTRATION_ID],
        request=None,
        responses={200: RegistrationSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        registration = services.cancel_registration(
            actor=request.user, registration=self._registration(pk)
        )
        return Response(RegistrationSerializer(registration, context={"request": request}).data)

    @extend_schema(
        summary="Read the personal agenda",
        description="The sessions chosen, in time order, each marked when it clashes with "
        "another one.",
        parameters=[REGISTRATION_ID],
        responses={200: AgendaItemSerializer(many=True), 401: NOT_SIGNED_IN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def agenda(self, request, pk=None):
        return self._agenda_response(self._registration(pk))

    @extend_schema(
        summary="Add a session to the agenda",
        description="A seat when one is left, the session's waiting list otherwise; refused "
        "when the session is not open to the participant (principals only, invited only).",
        parameters=[REGISTRATION_ID],
        request=AgendaInputSerializer,
        responses={201: AgendaItemSerializer(many=True), **WRITE_ERRORS},
    )
    @agenda.mapping.post
    def add_to_agenda(self, request, pk=None):
        registration = self._registration(pk)
        data = AgendaInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = registration.event.sessions.filter(pk=data.validated_data["session"]).first()
        if session is None:
            raise serializers.ValidationError({"session": ["No such session in this event."]})
        services.add_to_agenda(actor=request.user, registration=registration, session=session)
        return self._agenda_response(registration, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a session from the agenda",
        description="The seat goes to the first person on the session's waiting list.",
        parameters=[
            REGISTRATION_ID,
            OpenApiParameter("session_id", ID_SCHEMA, OpenApiParameter.PATH),
        ],
        request=None,
        responses={204: None, **WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=rf"agenda/(?P<session_id>{ID_PATTERN})",
        url_name="agenda-item",
    )
    def remove_from_agenda(self, request, pk=None, session_id=None):
        registration = self._registration(pk)
        item = registration.agenda_items.filter(session_id=int(session_id)).first()
        if item is None:
            raise Http404
        services.remove_from_agenda(actor=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router) -> None:
    """Add the events' endpoints to the API router."""
    router.register("events", EventViewSet, basename="event")
    router.register(
        rf"events/(?P<event_slug>{SLUG_PATTERN})/sessions", SessionViewSet, basename="event-session"
    )
    router.register("registrations", RegistrationViewSet, basename="registration")
