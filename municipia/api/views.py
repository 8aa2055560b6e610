from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, parsers, permissions, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from municipia.accounts import services as account_services
from municipia.taxonomy import selectors as taxonomy_selectors

from . import serializers

# Theme codes are slugs; saying so in the URL pattern (and so in the schema) turns
# anything else into a 404 before it reaches the database.
SLUG_PATTERN = r"[-a-zA-Z0-9_]+"


@extend_schema_view(
    list=extend_schema(
        summary="List themes",
        description="Impact communities, working groups and cross-cutting groups.",
    ),
    retrieve=extend_schema(summary="Read a theme"),
)
class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ThemeSerializer
    lookup_field = "code"
    lookup_value_regex = SLUG_PATTERN
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return taxonomy_selectors.all_themes()


@extend_schema_view(
    list=extend_schema(summary="List the Sustainable Development Goals"),
    retrieve=extend_schema(
        summary="Read a Sustainable Development Goal",
        parameters=[
            OpenApiParameter(
                "number",
                {"type": "integer", "minimum": 1},
                OpenApiParameter.PATH,
                description="Number of the goal, 1 to 17",
            )
        ],
    ),
)
class SustainableDevelopmentGoalViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.SustainableDevelopmentGoalSerializer
    lookup_field = "number"
    lookup_value_regex = r"[0-9]+"
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return taxonomy_selectors.sdgs()


class CurrentUserView(generics.GenericAPIView):
    """The signed-in user, with their roles."""

    permission_classes = [permissions.IsAuthenticated]
    # The API speaks JSON; forms would add a second, looser way to send the same.
    parser_classes = [parsers.JSONParser]
    serializer_class = serializers.CurrentUserSerializer

    def get_object(self):
        return self.request.user

    @extend_schema(summary="Read the current user")
    def get(self, request):
        return Response(serializers.CurrentUserSerializer(request.user).data)

    @extend_schema(
        summary="Change the current user's name or language",
        request=serializers.CurrentUserUpdateSerializer,
        responses=serializers.CurrentUserSerializer,
    )
    def patch(self, request):
        data = serializers.CurrentUserUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        account_services.update_account(
            user=user,
            display_name=data.validated_data.get("display_name", user.display_name),
            preferred_language=data.validated_data.get(
                "preferred_language", user.preferred_language
            ),
        )
        return Response(serializers.CurrentUserSerializer(user).data)


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Answers every unknown URL under /api/ with the API's own 404 body, instead of
    the HTML page the rest of the site shows."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []

    def initial(self, request, *args, **kwargs):
        raise exceptions.NotFound()
