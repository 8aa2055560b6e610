from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, viewsets
from rest_framework.response import Response

from municipia.accounts import services as account_services
from municipia.taxonomy import selectors as taxonomy_selectors

from . import serializers
from .serializers import ErrorSerializer

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


@extend_schema_view(
    list=extend_schema(summary="List themes", description="Impact communities, working groups and cross-cutting groups."),
    retrieve=extend_schema(summary="Read a theme", responses={200: serializers.ThemeSerializer, 404: ErrorSerializer}),
)
class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ThemeSerializer
    lookup_field = "code"
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return taxonomy_selectors.all_themes()


@extend_schema_view(
    list=extend_schema(summary="List the Sustainable Development Goals"),
    retrieve=extend_schema(
        summary="Read a Sustainable Development Goal",
        responses={200: serializers.SustainableDevelopmentGoalSerializer, 404: ErrorSerializer},
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
    serializer_class = serializers.CurrentUserSerializer

    def get_object(self):
        return self.request.user

    @extend_schema(summary="Read the current user", responses={200: serializers.CurrentUserSerializer, **ERRORS})
    def get(self, request):
        return Response(serializers.CurrentUserSerializer(request.user).data)

    @extend_schema(
        summary="Change the current user's name or language",
        request=serializers.CurrentUserUpdateSerializer,
        responses={200: serializers.CurrentUserSerializer, **ERRORS},
    )
    def patch(self, request):
        data = serializers.CurrentUserUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        account_services.update_account(
            user=user,
            display_name=data.validated_data.get("display_name", user.display_name),
            preferred_language=data.validated_data.get("preferred_language", user.preferred_language),
        )
        return Response(serializers.CurrentUserSerializer(user).data)
