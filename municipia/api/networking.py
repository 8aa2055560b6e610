"""The networking centre of an event in the API: meeting requests and meetings.

A participant (signed in, with a confirmed registration at the event) reads
the requests they sent and received and their meetings, sends requests and
answers them; the event's managers read all of them and the exchange
document. Reads go through ``municipia.networking.selectors``, writes through
its ``services``; no response carries an e-mail address except the
organisers' export.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from municipia.accounts import rules
from municipia.events.models import Event
from municipia.networking import exchange, selectors, services
from municipia.networking.enums import MeetingPlace, Priority
from municipia.networking.models import Meeting, MeetingRequest, Slot

from .directory import ID_PATTERN, ID_SCHEMA, NOT_FOUND, SLUG_PATTERN, WRITE_ERRORS
from .serializers import ErrorSerializer

EVENT_SLUG = OpenApiParameter(
    "event_slug", str, OpenApiParameter.PATH, description="Address (slug) of the event"
)
REQUEST_ID = OpenApiParameter(
    "id", ID_SCHEMA, OpenApiParameter.PATH, description="Id of the meeting request"
)
READ_ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
    403: OpenApiResponse(ErrorSerializer, description="No confirmed registration at this event."),
    404: NOT_FOUND,
}
TOO_MANY = {429: OpenApiResponse(ErrorSerializer, description="Too many requests in a short time.")}


# -- serializers -----------------------------------------------------------------


class SlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Slot
        fields = ["id", "starts_at", "ends_at", "period"]
        read_only_fields = fields


class PartySerializer(serializers.Serializer):
    registration = serializers.IntegerField(
        help_text="Id of the registration that speaks for the side"
    )
    name = serializers.CharField(help_text="Participant's name, or “Delegation of …”")
    organisation = serializers.CharField(allow_null=True)
    delegation = serializers.BooleanField(
        help_text="The whole delegation of the organisation meets"
    )


def _party(registration, organisation, label) -> dict:
    return {
        "registration": registration.pk,
        "name": label,
        "organisation": registration.organisation.name if registration.organisation_id else None,
        "delegation": organisation is not None,
    }


class MeetingSerializer(serializers.ModelSerializer):
    slot = SlotSerializer(read_only=True)
    meeting_point = serializers.CharField(source="meeting_point.name", read_only=True)
    location = serializers.CharField(source="meeting_point.location", read_only=True)
    online_url = serializers.CharField(
        read_only=True, help_text="The meeting's own link in a virtual room; empty on site"
    )
    request = serializers.IntegerField(source="request_id", read_only=True)
    fixed = serializers.BooleanField(source="is_pinned", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "request",
            "slot",
            "meeting_point",
            "location",
            "online_url",
            "fixed",
            "sequence",
            "requester_no_show",
            "recipient_no_show",
        ]
        read_only_fields = fields


class MeetingRequestSerializer(serializers.ModelSerializer):
    requester = serializers.SerializerMethodField()
    recipient = serializers.SerializerMethodField()
    proposed_slot = SlotSerializer(read_only=True)
    proposed_by = serializers.IntegerField(source="proposed_by_id", read_only=True)
    meeting = serializers.SerializerMethodField()

    class Meta:
        model = MeetingRequest
        fields = [
            "id",
            "requester",
            "recipient",
            "status",
            "mode",
            "priority",
            "message",
            "response",
            "proposed_slot",
            "proposed_by",
            "deadline",
            "created_at",
            "answered_at",
            "meeting",
        ]
        read_only_fields = fields

    @extend_schema_field(PartySerializer)
    def get_requester(self, obj) -> dict:
        return _party(obj.requester, obj.requester_organisation, obj.requester_label)

    @extend_schema_field(PartySerializer)
    def get_recipient(self, obj) -> dict:
        return _party(obj.recipient, obj.recipient_organisation, obj.recipient_label)

    @extend_schema_field(MeetingSerializer(allow_null=True))
    def get_meeting(self, obj):
        meeting = getattr(obj, "meeting", None) if obj.status == "accepted" else None
        return MeetingSerializer(meeting).data if meeting else None


class MeetingRequestInputSerializer(serializers.Serializer):
    recipient = serializers.IntegerField(
        min_value=1, help_text="Id of the recipient's registration (a participant open to meetings)"
    )
    message = serializers.CharField(
        max_length=services.MAX_MESSAGE_LENGTH, required=False, allow_blank=True, default=""
    )
    mode = serializers.ChoiceField(choices=MeetingPlace.choices, default=MeetingPlace.ANY)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    proposed_slot = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="Id of a slot of the event's grid"
    )
    as_delegation = serializers.BooleanField(default=False)
    to_delegation = serializers.BooleanField(default=False)


class AnswerSerializer(serializers.Serializer):
    response = serializers.CharField(
        max_length=services.MAX_MESSAGE_LENGTH, required=False, allow_blank=True, default=""
    )


class ProposalSerializer(AnswerSerializer):
    slot = serializers.IntegerField(min_value=1, help_text="Id of the slot proposed")


# -- views -----------------------------------------------------------------------


class _EventViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [parsers.JSONParser]
    lookup_value_regex = ID_PATTERN

    def _event(self) -> Event:
        event = get_object_or_404(Event, slug=self.kwargs["event_slug"])
        if not rules.can_view_event(self.request.user, event):
            raise Http404
        return event

    def _registration(self, event):
        registration = selectors.registration_for(self.request.user, event)
        if registration is None:
            raise exceptions.PermissionDenied("You need a confirmed registration at this event.")
        return registration

    def _slot(self, event, slot_id, field: str):
        if slot_id is None:
            return None
        slot = Slot.objects.filter(event=event, pk=slot_id).first()
        if slot is None:
            raise exceptions.ValidationError({field: [_("No such slot in this event's grid.")]})
        return slot


def _write(call):
    """Run a service; a rate-limited call is answered with 429."""
    try:
        return call()
    except DjangoValidationError as error:
        codes = [e.code for errors in getattr(error, "error_dict", {}).values() for e in errors]
        if "rate_limited" in codes:
            raise exceptions.Throttled(
                wait=services.REQUEST_RATE_WINDOW, detail=error.messages[0]
            ) from error
        raise


class MeetingRequestViewSet(_EventViewSet):
    """Meeting requests of the networking centre of one event."""

    queryset = MeetingRequest.objects.none()
    serializer_class = MeetingRequestSerializer

    def _visible(self, event):
        if rules.can_manage_networking(self.request.user, event) and self.request.query_params.get(
            "all"
        ):
            return selectors.requests_with_sides().filter(event=event).order_by("-created_at")
        registration = self._registration(event)
        ids = [r.pk for r in selectors.inbox(registration)] + [
            r.pk for r in selectors.outbox(registration)
        ]
        return selectors.requests_with_sides().filter(pk__in=ids).order_by("-created_at")

    def _request(self, pk):
        event = self._event()
        meeting_request = get_object_or_404(
            selectors.requests_with_sides(), pk=int(pk), event=event
        )
        if not (
            rules.can_view_meeting_request(self.request.user, meeting_request)
            or rules.can_manage_networking(self.request.user, event)
        ):
            raise Http404
        return meeting_request

    @extend_schema(
        summary="List your meeting requests",
        description="Sent and received (also those of your delegation), newest first. "
        "The event's managers get every request of the event with `?all=1`.",
        parameters=[
            EVENT_SLUG,
            OpenApiParameter("all", OpenApiTypes.BOOL, description="Managers: every request"),
        ],
        responses={200: MeetingRequestSerializer(many=True), **READ_ERRORS},
    )
    def list(self, request, event_slug=None):
        requests = self._visible(self._event())
        page = self.paginate_queryset(requests)
        return self.get_paginated_response(MeetingRequestSerializer(page, many=True).data)

    @extend_schema(
        summary="Read a meeting request",
        parameters=[EVENT_SLUG, REQUEST_ID],
        responses={200: MeetingRequestSerializer, **READ_ERRORS},
    )
    def retrieve(self, request, event_slug=None, pk=None):
        return Response(MeetingRequestSerializer(self._request(pk)).data)

    @extend_schema(
        summary="Ask a participant for a meeting",
        description="The recipient must be open to meeting requests; one open request per "
        f"pair; at most {services.REQUEST_RATE_LIMIT} requests per "
        f"{services.REQUEST_RATE_WINDOW // 60} minutes. The recipient is notified.",
        parameters=[EVENT_SLUG],
        request=MeetingRequestInputSerializer,
        responses={201: MeetingRequestSerializer, **WRITE_ERRORS, **TOO_MANY},
    )
    def create(self, request, event_slug=None):
        event = self._event()
        registration = self._registration(event)
        data = MeetingRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        recipient = (
            selectors.networking_participants(event).filter(pk=fields.pop("recipient")).first()
        )
        if recipient is None:
            raise exceptions.ValidationError(
                {"recipient": [_("No participant open to meetings has this id.")]}
            )
        fields["proposed_slot"] = self._slot(event, fields.get("proposed_slot"), "proposed_slot")
        meeting_request = _write(
            lambda: services.send_request(
                actor=request.user, requester=registration, recipient=recipient, **fields
            )
        )
        meeting_request = selectors.requests_with_sides().get(pk=meeting_request.pk)
        return Response(
            MeetingRequestSerializer(meeting_request).data, status=status.HTTP_201_CREATED
        )

    def _answered(self, meeting_request):
        return Response(
            MeetingRequestSerializer(
                selectors.requests_with_sides().get(pk=meeting_request.pk)
            ).data
        )

    @extend_schema(
        summary="Accept a meeting request",
        description="When a time was proposed and both sides and a table are free then, "
        "the meeting is set at once; otherwise the organisers' scheduler places it.",
        parameters=[EVENT_SLUG, REQUEST_ID],
        request=AnswerSerializer,
        responses={200: MeetingRequestSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, event_slug=None, pk=None):
        meeting_request = self._request(pk)
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.accept_request(
            actor=request.user, meeting_request=meeting_request, **data.validated_data
        )
        return self._answered(meeting_request)

    @extend_schema(
        summary="Decline a meeting request",
        parameters=[EVENT_SLUG, REQUEST_ID],
        request=AnswerSerializer,
        responses={200: MeetingRequestSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, event_slug=None, pk=None):
        meeting_request = self._request(pk)
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.decline_request(
            actor=request.user, meeting_request=meeting_request, **data.validated_data
        )
        return self._answered(meeting_request)

    @extend_schema(
        summary="Propose another time",
        description="The other side then accepts or declines the proposed time.",
        parameters=[EVENT_SLUG, REQUEST_ID],
        request=ProposalSerializer,
        responses={200: MeetingRequestSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def propose(self, request, event_slug=None, pk=None):
        meeting_request = self._request(pk)
        data = ProposalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slot = self._slot(meeting_request.event, data.validated_data["slot"], "slot")
        services.propose_time(
            actor=request.user,
            meeting_request=meeting_request,
            slot=slot,
            response=data.validated_data["response"],
        )
        return self._answered(meeting_request)

    @extend_schema(
        summary="Withdraw a request or cancel its meeting",
        description="Either side (or the event's managers); the slot and the table are free "
        "again, and the other side is notified.",
        parameters=[EVENT_SLUG, REQUEST_ID],
        request=None,
        responses={200: MeetingRequestSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, event_slug=None, pk=None):
        meeting_request = self._request(pk)
        services.cancel_request(actor=request.user, meeting_request=meeting_request)
        return self._answered(meeting_request)


class MeetingViewSet(_EventViewSet):
    """Your meetings at one event, in time order."""

    queryset = Meeting.objects.none()
    serializer_class = MeetingSerializer

    @extend_schema(
        summary="List your meetings",
        description="Your own and your delegation's, in time order.",
        parameters=[EVENT_SLUG],
        responses={200: MeetingSerializer(many=True), **READ_ERRORS},
    )
    def list(self, request, event_slug=None):
        registration = self._registration(self._event())
        meetings = selectors.meetings_of(registration)
        page = self.paginate_queryset(meetings)
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)


class SlotViewSet(_EventViewSet):
    """The meeting slots of the event's grid."""

    queryset = Slot.objects.none()
    serializer_class = SlotSerializer

    @extend_schema(
        summary="List the meeting slots",
        parameters=[EVENT_SLUG],
        responses={200: SlotSerializer(many=True), **READ_ERRORS},
    )
    def list(self, request, event_slug=None):
        slots = Slot.objects.filter(event=self._event())
        page = self.paginate_queryset(slots)
        return self.get_paginated_response(SlotSerializer(page, many=True).data)


class ExchangeViewSet(_EventViewSet):
    """The networking exchange document (docs/networking-format.md)."""

    queryset = Slot.objects.none()
    serializer_class = serializers.Serializer

    @extend_schema(
        summary="Export the networking centre",
        description="For the event's managers: meeting points, slots, requests, meetings and "
        "availability (RFC 7953 VAVAILABILITY) in the municipia-networking format.",
        parameters=[EVENT_SLUG],
        responses={200: OpenApiTypes.OBJECT, **READ_ERRORS},
    )
    def list(self, request, event_slug=None):
        event = self._event()
        if not rules.can_manage_networking(request.user, event):
            raise exceptions.PermissionDenied()
        return Response(exchange.export_event(event))


def register(router) -> None:
    """Add the networking endpoints to the API router."""
    prefix = rf"events/(?P<event_slug>{SLUG_PATTERN})/networking"
    router.register(f"{prefix}/requests", MeetingRequestViewSet, basename="networking-request")
    router.register(f"{prefix}/meetings", MeetingViewSet, basename="networking-meeting")
    router.register(f"{prefix}/slots", SlotViewSet, basename="networking-slot")
    router.register(f"{prefix}/export", ExchangeViewSet, basename="networking-export")
