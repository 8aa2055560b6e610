"""Partnerships and conversations in the API.

Everyone who may see an organisation reads its partnerships; its admins and
editors (and staff) record new ones. Conversations and their messages are
read by the admins and editors of the two organisations (and staff), and
written by the admins and editors only. Reads go through
`municipia.partnerships.selectors`, writes through its `services`; no message
or sender ever carries an e-mail address.
"""

from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from municipia.directory import selectors as directory_selectors
from municipia.directory.models import Organisation
from municipia.partnerships import selectors, services
from municipia.partnerships.enums import PartnershipKind, PartnershipStatus
from municipia.partnerships.models import Conversation, Message, Partnership

from .directory import (
    ID_PATTERN,
    ID_SCHEMA,
    NOT_FOUND,
    ORGANISATION_SLUG,
    SLUG_PATTERN,
    WRITE_ERRORS,
)
from .serializers import ErrorSerializer

# -- serializers -----------------------------------------------------------------


class OrganisationReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "country"]
        read_only_fields = fields


class PartnershipSerializer(serializers.ModelSerializer):
    organisations = serializers.SerializerMethodField()
    themes = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Theme codes"
    )

    class Meta:
        model = Partnership
        fields = ["id", "organisations", "kind", "status", "started_on", "themes", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OrganisationReferenceSerializer(many=True))
    def get_organisations(self, partnership) -> list[dict]:
        return OrganisationReferenceSerializer(
            [partnership.organisation_a, partnership.organisation_b], many=True
        ).data


class PartnershipInputSerializer(serializers.Serializer):
    partner = serializers.RegexField(
        rf"^{SLUG_PATTERN}$", max_length=220, help_text="Address (slug) of the partner"
    )
    kind = serializers.ChoiceField(choices=PartnershipKind.choices)
    status = serializers.ChoiceField(
        choices=PartnershipStatus.choices, default=PartnershipStatus.EXPLORING
    )
    started_on = serializers.DateField(required=False, allow_null=True)
    themes = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, help_text="Theme codes"
    )


class ConversationSerializer(serializers.ModelSerializer):
    organisations = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = ["id", "organisations", "last_message_at", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OrganisationReferenceSerializer(many=True))
    def get_organisations(self, conversation) -> list[dict]:
        return OrganisationReferenceSerializer(
            [conversation.organisation_a, conversation.organisation_b], many=True
        ).data


class ConversationInputSerializer(serializers.Serializer):
    organisation = serializers.RegexField(
        rf"^{SLUG_PATTERN}$", max_length=220, help_text="Your organisation's address (slug)"
    )
    partner = serializers.RegexField(
        rf"^{SLUG_PATTERN}$", max_length=220, help_text="Address (slug) of the other one"
    )


class MessageSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(
        source="sender_organisation",
        slug_field="slug",
        read_only=True,
        help_text="Address (slug) of the organisation the message was written for",
    )
    sender_name = serializers.CharField(
        read_only=True, help_text="The sender's chosen name; may be empty"
    )

    class Meta:
        model = Message
        fields = ["id", "organisation", "sender_name", "text", "created_at"]
        read_only_fields = fields


class MessageInputSerializer(serializers.Serializer):
    text = serializers.RegexField(
        r"\S", max_length=services.MAX_MESSAGE_LENGTH, help_text="Plain text"
    )
    organisation = serializers.RegexField(
        rf"^{SLUG_PATTERN}$",
        max_length=220,
        required=False,
        help_text="Which of the two organisations you write for, when you write for both",
    )


# -- views -----------------------------------------------------------------------

CONVERSATION_ID = OpenApiParameter(
    "id", ID_SCHEMA, OpenApiParameter.PATH, description="Id of the conversation"
)
READ_ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
    404: NOT_FOUND,
}


class PartnershipViewSet(viewsets.GenericViewSet):
    """The partnerships of one organisation."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    parser_classes = [parsers.JSONParser]
    queryset = Partnership.objects.none()
    serializer_class = PartnershipSerializer

    def _organisation(self) -> Organisation:
        organisation = (
            directory_selectors.visible_organisations(viewer=self.request.user)
            .filter(slug=self.kwargs["organisation_slug"])
            .first()
        )
        if organisation is None:
            raise Http404
        return organisation

    @extend_schema(
        summary="List an organisation's partnerships",
        description="Partners whose profile you may not see are left out.",
        parameters=[ORGANISATION_SLUG],
        responses={200: PartnershipSerializer(many=True), 404: NOT_FOUND},
    )
    def list(self, request, organisation_slug=None):
        partnerships = selectors.partnerships_of(
            organisation=self._organisation(), viewer=request.user
        )
        page = self.paginate_queryset(partnerships)
        return self.get_paginated_response(PartnershipSerializer(page, many=True).data)

    @extend_schema(
        summary="Record a partnership",
        description="For the organisation's admins and editors, and platform staff. One "
        "partnership per pair of organisations and kind.",
        parameters=[ORGANISATION_SLUG],
        request=PartnershipInputSerializer,
        responses={201: PartnershipSerializer, **WRITE_ERRORS},
    )
    def create(self, request, organisation_slug=None):
        organisation = self._organisation()
        data = PartnershipInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        partner = (
            directory_selectors.visible_organisations(viewer=request.user)
            .filter(slug=fields.pop("partner"))
            .first()
        )
        if partner is None:
            raise Http404
        partnership = services.record_partnership(
            actor=request.user, organisation=organisation, partner=partner, **fields
        )
        partnership = selectors.partnerships_of(organisation=organisation).get(pk=partnership.pk)
        return Response(PartnershipSerializer(partnership).data, status=status.HTTP_201_CREATED)


class ConversationViewSet(viewsets.GenericViewSet):
    """Your organisations' conversations and their messages."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [parsers.JSONParser]
    queryset = Conversation.objects.none()
    serializer_class = ConversationSerializer
    lookup_value_regex = ID_PATTERN

    def _conversation(self, pk) -> Conversation:
        return selectors.conversation_for_viewer(conversation_id=int(pk), viewer=self.request.user)

    @extend_schema(
        summary="List your organisations' conversations",
        description="Most recent first.",
        responses={200: ConversationSerializer(many=True), 401: READ_ERRORS[401]},
    )
    def list(self, request):
        conversations = selectors.conversations_for(user=request.user)
        page = self.paginate_queryset(conversations)
        return self.get_paginated_response(ConversationSerializer(page, many=True).data)

    @extend_schema(
        summary="Open a conversation with another organisation",
        description="Returns the existing conversation of the two when there is one.",
        request=ConversationInputSerializer,
        responses={201: ConversationSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = ConversationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        own = (
            selectors.messaging_organisations(user=request.user)
            .filter(slug=data.validated_data["organisation"])
            .first()
        )
        partner = (
            directory_selectors.visible_organisations(viewer=request.user)
            .filter(slug=data.validated_data["partner"])
            .first()
        )
        if own is None or partner is None:
            raise Http404
        conversation = services.start_conversation(
            actor=request.user, organisation=own, partner=partner
        )
        return Response(ConversationSerializer(conversation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Read a conversation",
        parameters=[CONVERSATION_ID],
        responses={200: ConversationSerializer, **READ_ERRORS},
    )
    def retrieve(self, request, pk=None):
        return Response(ConversationSerializer(self._conversation(pk)).data)

    @extend_schema(
        summary="List the messages of a conversation",
        description="Oldest first.",
        parameters=[CONVERSATION_ID],
        responses={200: MessageSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="messages")
    def messages(self, request, pk=None):
        conversation = self._conversation(pk)
        messages = selectors.messages_of(conversation=conversation, viewer=request.user)
        page = self.paginate_queryset(messages)
        return self.get_paginated_response(MessageSerializer(page, many=True).data)

    @extend_schema(
        summary="Send a message",
        description="For the admins and editors of either organisation; at most "
        f"{services.MESSAGE_RATE_LIMIT} messages per {services.MESSAGE_RATE_WINDOW // 60} "
        "minutes. The other organisation's admins and editors are notified.",
        parameters=[CONVERSATION_ID],
        request=MessageInputSerializer,
        responses={201: MessageSerializer, **WRITE_ERRORS},
    )
    @messages.mapping.post
    def send(self, request, pk=None):
        conversation = self._conversation(pk)
        data = MessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = None
        if slug := data.validated_data.get("organisation"):
            organisation = next(
                (
                    side
                    for side in (conversation.organisation_a, conversation.organisation_b)
                    if side.slug == slug
                ),
                None,
            )
            if organisation is None:
                raise Http404
        message = services.send_message(
            actor=request.user,
            conversation=conversation,
            text=data.validated_data["text"],
            organisation=organisation,
        )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Add the partnerships' endpoints to the API router."""
    router.register(
        rf"organisations/(?P<organisation_slug>{SLUG_PATTERN})/partnerships",
        PartnershipViewSet,
        basename="organisation-partnership",
    )
    router.register("conversations", ConversationViewSet, basename="conversation")
