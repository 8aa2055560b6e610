"""Matchmaking in the API: partner suggestions with their reasons, swipes and
matches, for the admins and editors of an organisation (and platform staff).

Reads go through `municipia.matching.selectors` and `reasons`, swipes through
`municipia.matching.services.swipe`, which checks permissions, refuses
vanished or self candidates with field errors and limits how fast one person
swipes (answered here with 429 and the usual error body).
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, parsers, permissions, serializers, viewsets
from rest_framework.response import Response

from municipia.accounts import rules
from municipia.directory.enums import LOCAL_AND_REGIONAL_GOVERNMENTS as LRG_TYPES
from municipia.directory.enums import (
    OrganisationType,
    PartnershipInterest,
)
from municipia.directory.models import Organisation
from municipia.directory.selectors import visible_organisations
from municipia.matching import reasons, selectors, services
from municipia.matching.engine import DistancePreference, SearchPreferences
from municipia.matching.enums import SwipeDecision
from municipia.matching.forms import COUNTRY_GROUP_LABELS, DISTANCE_LABELS, MAX_POPULATION

from .directory import ORGANISATION_SLUG, SLUG_PATTERN
from .serializers import ErrorSerializer

MAX_SUGGESTIONS = 50
COUNTRY_PATTERN = r"^[A-Za-z]{2}$"
ERRORS = {
    403: OpenApiResponse(
        ErrorSerializer,
        description="Not an admin or editor of this organisation (nor platform staff).",
    ),
    404: OpenApiResponse(
        ErrorSerializer, description="No such organisation, or not one you may see."
    ),
}


# -- serializers -----------------------------------------------------------------


class PartnerSummarySerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    country = serializers.CharField(read_only=True, help_text="ISO 3166-1 alpha-2 code")


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(
        read_only=True, help_text="Kind of reason, e.g. `offers_expertise`, `similar_size`"
    )
    facts = serializers.DictField(
        read_only=True, help_text="What the reason rests on; the keys depend on `code`"
    )
    sentence = serializers.CharField(
        read_only=True, help_text="The reason as a sentence in the request's language"
    )


class SuggestionSerializer(serializers.Serializer):
    organisation = PartnerSummarySerializer(read_only=True)
    score = serializers.FloatField(read_only=True, help_text="Higher is a better fit")
    reasons = ReasonSerializer(many=True, read_only=True)


class SuggestionFilterSerializer(serializers.Serializer):
    """The filters of the "Find partners" page, all optional."""

    countries = serializers.ListField(
        child=serializers.RegexField(COUNTRY_PATTERN),
        required=False,
        help_text="Only in these countries (ISO 3166-1 alpha-2); repeat for several",
    )
    excluded = serializers.ListField(
        child=serializers.RegexField(COUNTRY_PATTERN),
        required=False,
        help_text="Not in these countries; repeat for several",
    )
    group = serializers.ChoiceField(
        choices=list(COUNTRY_GROUP_LABELS.items()), required=False, help_text="Country group"
    )
    type = serializers.MultipleChoiceField(
        choices=[(t.value, t.label) for t in OrganisationType if t in LRG_TYPES],
        required=False,
        help_text="Organisation types; repeat for several",
    )
    population_min = serializers.IntegerField(required=False, min_value=0, max_value=MAX_POPULATION)
    population_max = serializers.IntegerField(required=False, min_value=0, max_value=MAX_POPULATION)
    distance = serializers.ChoiceField(
        choices=[(k.value, v) for k, v in DISTANCE_LABELS.items()], required=False
    )
    interest = serializers.ChoiceField(
        choices=PartnershipInterest.choices, required=False, help_text="Kind of partnership"
    )
    unswiped = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Leave out candidates already liked, passed or saved (the swipe deck)",
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_SUGGESTIONS)

    def preferences(self) -> SearchPreferences:
        data = self.validated_data
        return SearchPreferences(
            distance=DistancePreference(data.get("distance") or DistancePreference.ANYWHERE),
            countries_wanted=frozenset(c.upper() for c in data.get("countries", ())),
            countries_excluded=frozenset(c.upper() for c in data.get("excluded", ())),
            country_groups_wanted=frozenset([data["group"]] if data.get("group") else ()),
            kinds=frozenset(data.get("type", ())),
            population_min=data.get("population_min"),
            population_max=data.get("population_max"),
            interests=frozenset([data["interest"]] if data.get("interest") else ()),
        )


class SwipeInputSerializer(serializers.Serializer):
    candidate = serializers.RegexField(
        f"^{SLUG_PATTERN}$", max_length=200, help_text="Address (slug) of the candidate"
    )
    decision = serializers.ChoiceField(choices=SwipeDecision.choices)


class MatchSummarySerializer(serializers.Serializer):
    organisation = PartnerSummarySerializer(read_only=True, help_text="The other organisation")
    created_at = serializers.DateTimeField(read_only=True)


class SwipeResultSerializer(serializers.Serializer):
    candidate = serializers.CharField(read_only=True, help_text="Address (slug) of the candidate")
    decision = serializers.ChoiceField(choices=SwipeDecision.choices, read_only=True)
    match = MatchSummarySerializer(
        read_only=True, allow_null=True, help_text="The match, when both sides like each other"
    )
    is_new_match = serializers.BooleanField(
        read_only=True, help_text="True only for the swipe that made the match"
    )


class MatchSerializer(MatchSummarySerializer):
    conversation_url = serializers.CharField(
        read_only=True, help_text="Address of the conversation page; empty when there is none"
    )


# -- views -----------------------------------------------------------------------


def _partner(organisation: Organisation) -> dict:
    return {"slug": organisation.slug, "name": organisation.name, "country": organisation.country}


class _ActingForViewSet(viewsets.GenericViewSet):
    """Endpoints under an organisation the caller looks for partners for."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None

    def _organisation(self) -> Organisation:
        organisation = (
            visible_organisations(viewer=self.request.user)
            .filter(slug=self.kwargs["organisation_slug"])
            .first()
        )
        if organisation is None:
            raise Http404
        if not rules.can_swipe_for(self.request.user, organisation):
            raise exceptions.PermissionDenied(
                _("You may not look for partners for this organisation.")
            )
        return organisation


@extend_schema_view(
    list=extend_schema(
        summary="Suggest partners",
        description=(
            "Partner suggestions for the organisation, best first, each with the "
            "reasons it fits, and the filters of the Find partners page."
        ),
        parameters=[ORGANISATION_SLUG, SuggestionFilterSerializer],
        responses={
            200: SuggestionSerializer(many=True),
            400: OpenApiResponse(
                ErrorSerializer, description="Invalid filters: messages per name in `errors`."
            ),
            **ERRORS,
        },
    )
)
class SuggestionViewSet(_ActingForViewSet):
    queryset = Organisation.objects.none()
    serializer_class = SuggestionSerializer

    def list(self, request, organisation_slug=None):
        organisation = self._organisation()
        filters = SuggestionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        suggestions = selectors.suggestions_for_organisation(
            organisation=organisation,
            viewer=request.user,
            limit=filters.validated_data.get("limit") or 20,
            preferences=filters.preferences(),
            exclude_swiped=filters.validated_data["unswiped"],
        )
        items = [
            {
                "organisation": _partner(suggestion.organisation),
                "score": suggestion.score,
                "reasons": explained,
            }
            for suggestion, explained in reasons.sentences_for(suggestions, organisation)
        ]
        return Response(SuggestionSerializer(items, many=True).data)


@extend_schema_view(
    create=extend_schema(
        summary="Like, pass or save a candidate",
        description=(
            "Records the organisation's decision on a candidate partner. Sending the "
            "same decision again changes nothing; another decision replaces it. A like "
            "answered by a like is a match: both sides' editors are told and may write "
            "to each other. Too many swipes in a short time are refused with 429."
        ),
        parameters=[ORGANISATION_SLUG],
        request=SwipeInputSerializer,
        responses={200: SwipeResultSerializer, **ERRORS},
    )
)
class SwipeViewSet(_ActingForViewSet):
    queryset = Organisation.objects.none()
    serializer_class = SwipeResultSerializer
    parser_classes = [parsers.JSONParser]

    def create(self, request, organisation_slug=None):
        organisation = self._organisation()
        data = SwipeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slug = data.validated_data["candidate"]
        candidate = Organisation.objects.filter(slug=slug).values_list("pk", flat=True).first()
        try:
            result = services.swipe(
                actor=request.user,
                organisation=organisation,
                # None is refused by the service like a candidate that vanished.
                candidate=candidate,
                decision=data.validated_data["decision"],
            )
        except services.RateLimited as error:
            raise exceptions.Throttled(
                wait=services.SWIPE_RATE_WINDOW, detail=str(error)
            ) from error
        match = None
        if result.match is not None:
            match = {
                "organisation": _partner(result.swipe.candidate),
                "created_at": result.match.created_at,
            }
        body = {
            "candidate": result.swipe.candidate.slug,
            "decision": result.swipe.decision,
            "match": match,
            "is_new_match": result.is_new_match,
        }
        return Response(SwipeResultSerializer(body).data)


@extend_schema_view(
    list=extend_schema(
        summary="List matches",
        description="The organisation's matches, newest first.",
        parameters=[ORGANISATION_SLUG],
        responses={200: MatchSerializer(many=True), **ERRORS},
    )
)
class MatchViewSet(_ActingForViewSet):
    queryset = Organisation.objects.none()
    serializer_class = MatchSerializer

    def list(self, request, organisation_slug=None):
        found = selectors.matches_of(organisation=self._organisation())
        urls = selectors.conversation_urls(matches=[match for match, _other in found])
        items = [
            {
                "organisation": _partner(other),
                "created_at": match.created_at,
                "conversation_url": urls.get(match.pk, ""),
            }
            for match, other in found
        ]
        return Response(MatchSerializer(items, many=True).data)


def register(router) -> None:
    """Add matchmaking's endpoints to the API router."""
    base = rf"organisations/(?P<organisation_slug>{SLUG_PATTERN})"
    router.register(f"{base}/suggestions", SuggestionViewSet, basename="organisation-suggestion")
    router.register(f"{base}/swipes", SwipeViewSet, basename="organisation-swipe")
    router.register(f"{base}/matches", MatchViewSet, basename="organisation-match")
