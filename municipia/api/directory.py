"""The directory in the API: organisations with their challenges and expertise,
and the people who work for them.

Reads go through `municipia.directory.selectors`, which apply the visibility of
profiles and the consent of people; writes go through
`municipia.directory.services`, which check permissions and report field errors
(turned into 400 and 403 responses by `errors.exception_handler`).
"""

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import parsers, permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from municipia.directory import selectors, services
from municipia.directory.enums import OrganisationType, PartnershipInterest, Visibility
from municipia.directory.models import (
    Challenge,
    Expertise,
    Organisation,
    OrganisationName,
    Person,
)

from .serializers import ErrorSerializer

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"
# Ids fit a 64-bit integer whatever digits a client sends.
ID_PATTERN = r"[0-9]{1,18}"
ID_SCHEMA = {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}
# More than any organisation has: keeps numbers within PostgreSQL's bigint.
MAX_POPULATION = 10**10
INVALID = OpenApiResponse(
    ErrorSerializer, description="Invalid parameters or fields: messages per name in `errors`."
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="No such organisation or record, or not one you may see."
)
READ_ERRORS = {400: INVALID, 404: NOT_FOUND}
WRITE_ERRORS = {
    400: INVALID,
    401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
    403: OpenApiResponse(
        ErrorSerializer, description="Not an admin or editor of this organisation."
    ),
    404: NOT_FOUND,
}
ORGANISATION_SLUG = OpenApiParameter(
    "organisation_slug",
    {"type": "string", "pattern": f"^{SLUG_PATTERN}$"},
    OpenApiParameter.PATH,
    description="Address (slug) of the organisation",
)


# -- serializers -----------------------------------------------------------------


class OrganisationNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrganisationName
        fields = ["language", "name"]
        read_only_fields = fields


class ChallengeSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Theme codes"
    )
    sdgs = serializers.SlugRelatedField(
        slug_field="number", many=True, read_only=True, help_text="SDG numbers"
    )

    class Meta:
        model = Challenge
        fields = ["id", "title", "text", "language", "themes", "sdgs", "position"]
        read_only_fields = fields


class ExpertiseSerializer(ChallengeSerializer):
    class Meta(ChallengeSerializer.Meta):
        model = Expertise


class StatementInputSerializer(serializers.Serializer):
    """A challenge or an offer of expertise, as sent by its organisation's editors."""

    title = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=20_000)
    language = serializers.CharField(max_length=8, help_text="ISO 639-1 code, e.g. `de`")
    themes = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, help_text="Theme codes"
    )
    sdgs = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=17),
        required=False,
        help_text="SDG numbers",
    )
    position = serializers.IntegerField(min_value=0, max_value=32767, required=False)


class OrganisationSummarySerializer(serializers.ModelSerializer):
    is_verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "name",
            "kind",
            "country",
            "region_code",
            "region_name",
            "population",
            "latitude",
            "longitude",
            "website",
            "is_verified",
            "is_placeholder",
        ]
        read_only_fields = fields


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class CodeListField(serializers.Field):
    """A multi-valued code field, stored as ",de,en,", shown as ["de", "en"]."""

    def to_representation(self, value):
        return [code for code in value.split(",") if code]


class OrganisationDetailSerializer(OrganisationSummarySerializer):
    working_languages = CodeListField(read_only=True, help_text="ISO 639-1 codes")
    partnership_interests = CodeListField(read_only=True)
    other_names = OrganisationNameSerializer(many=True, read_only=True)
    member_of = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="National associations the organisation belongs to",
    )
    logo = serializers.ImageField(read_only=True, use_url=True, allow_null=True)
    challenges = ChallengeSerializer(many=True, read_only=True, source="challenge_list")
    expertise = ExpertiseSerializer(many=True, read_only=True, source="expertise_list")

    class Meta(OrganisationSummarySerializer.Meta):
        fields = [
            *OrganisationSummarySerializer.Meta.fields,
            "description",
            "description_language",
            "working_languages",
            "partnership_interests",
            "is_looking_for_partners",
            "visibility",
            "logo",
            "other_names",
            "member_of",
            "verified_at",
            "challenges",
            "expertise",
        ]
        read_only_fields = fields


class OrganisationNameInputSerializer(serializers.Serializer):
    language = serializers.CharField(max_length=8, allow_blank=True, required=False, default="")
    name = serializers.CharField(max_length=200)


class OrganisationUpdateSerializer(serializers.Serializer):
    """The profile fields an organisation's admins and editors change. Fields left
    out stay as they are; `other_names`, when given, replaces all other names."""

    name = serializers.CharField(max_length=200)
    region_code = serializers.CharField(max_length=20, allow_blank=True)
    region_name = serializers.CharField(max_length=200, allow_blank=True)
    population = serializers.IntegerField(min_value=0, max_value=MAX_POPULATION, allow_null=True)
    latitude = serializers.FloatField(min_value=-90, max_value=90, allow_null=True)
    longitude = serializers.FloatField(min_value=-180, max_value=180, allow_null=True)
    website = serializers.URLField(max_length=200, allow_blank=True)
    working_languages = serializers.ListField(
        child=serializers.CharField(max_length=8), help_text="ISO 639-1 codes"
    )
    partnership_interests = serializers.ListField(
        child=serializers.ChoiceField(choices=PartnershipInterest.choices)
    )
    description = serializers.CharField(max_length=20_000, allow_blank=True)
    description_language = serializers.CharField(max_length=8, allow_blank=True)
    is_looking_for_partners = serializers.BooleanField()
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    other_names = OrganisationNameInputSerializer(many=True)


class OrganisationFilterSerializer(serializers.Serializer):
    """Query parameters of the organisation list."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Name in any language; accents and case do not matter",
    )
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$", required=False, help_text="ISO 3166-1 alpha-2 code"
    )
    region = serializers.CharField(
        required=False, max_length=20, help_text="First-level region code, e.g. `DE.07`"
    )
    kind = serializers.MultipleChoiceField(
        choices=OrganisationType.choices, required=False, help_text="Repeat for several types"
    )
    theme = serializers.ListField(
        child=serializers.RegexField(f"^{SLUG_PATTERN}$", max_length=64),
        required=False,
        help_text="Theme codes of challenges or expertise; repeat for several",
    )
    population_min = serializers.IntegerField(required=False, min_value=0, max_value=MAX_POPULATION)
    population_max = serializers.IntegerField(required=False, min_value=0, max_value=MAX_POPULATION)
    language = serializers.RegexField(
        r"^[a-z]{2}$", required=False, help_text="Working language, ISO 639-1"
    )
    interest = serializers.ChoiceField(
        choices=PartnershipInterest.choices, required=False, help_text="Partnership interest"
    )
    verified = serializers.BooleanField(required=False, allow_null=True, default=None)
    sort = serializers.ChoiceField(
        choices=[(s, s) for s in selectors.SORTS],
        required=False,
        default="relevance",
        help_text="`relevance`: exact names first, then names starting with `q`, "
        "then larger places; `-population`: largest first",
    )


class PersonSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    has_consented = serializers.BooleanField(
        read_only=True,
        help_text="Always true except for the organisation's own editors and staff",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "position",
            "title",
            "email",
            "phone",
            "organisation",
            "organisation_name",
            "has_consented",
        ]
        read_only_fields = fields


class PersonFilterSerializer(serializers.Serializer):
    organisation = serializers.RegexField(
        f"^{SLUG_PATTERN}$", required=False, help_text="Address (slug) of the organisation"
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)


# -- views -----------------------------------------------------------------------


def _detail(organisation: Organisation) -> dict:
    organisation.challenge_list = list(selectors.challenges_of(organisation=organisation))
    organisation.expertise_list = list(selectors.expertise_of(organisation=organisation))
    return OrganisationDetailSerializer(organisation).data


@extend_schema_view(
    list=extend_schema(
        summary="Search organisations",
        description=(
            "Organisations you may see (public profiles; members-only profiles once "
            "signed in), with the directory's search and filters. Without `q` and with "
            "`sort=relevance` the largest come first."
        ),
        parameters=[OrganisationFilterSerializer],
        responses={200: OrganisationSummarySerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Read an organisation",
        description="The profile with its other names, challenges and expertise.",
        responses={200: OrganisationDetailSerializer, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Change an organisation's profile",
        description="For the organisation's admins and editors, and platform staff.",
        request=OrganisationUpdateSerializer,
        responses={200: OrganisationDetailSerializer, **WRITE_ERRORS},
    ),
)
class OrganisationViewSet(viewsets.GenericViewSet):
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    parser_classes = [parsers.JSONParser]
    queryset = Organisation.objects.none()
    serializer_class = OrganisationSummarySerializer

    def list(self, request):
        filters = OrganisationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        organisations = selectors.search_organisations(
            viewer=request.user,
            query=data.get("q", ""),
            country=data.get("country"),
            region_code=data.get("region"),
            kinds=sorted(data.get("kind", ())),
            theme_codes=data.get("theme", ()),
            population_min=data.get("population_min"),
            population_max=data.get("population_max"),
            working_language=data.get("language"),
            partnership_interest=data.get("interest"),
            verified=data.get("verified"),
            sort=data["sort"],
        )
        page = self.paginate_queryset(organisations)
        return self.get_paginated_response(OrganisationSummarySerializer(page, many=True).data)

    def retrieve(self, request, slug=None):
        organisation = selectors.organisation_for_viewer(slug=slug, viewer=request.user)
        return Response(_detail(organisation))

    def partial_update(self, request, slug=None):
        organisation = selectors.organisation_for_viewer(slug=slug, viewer=request.user)
        changes = OrganisationUpdateSerializer(data=request.data, partial=True)
        changes.is_valid(raise_exception=True)
        fields = dict(changes.validated_data)
        other_names = fields.pop("other_names", None)
        # One change: a refused list of other names leaves the profile as it was.
        with transaction.atomic():
            services.update_organisation_profile(
                actor=request.user, organisation=organisation, **fields
            )
            if other_names is not None:
                services.set_other_names(
                    actor=request.user,
                    organisation=organisation,
                    names=[(item.get("language", ""), item["name"]) for item in other_names],
                )
        return Response(
            _detail(selectors.organisation_for_viewer(slug=organisation.slug, viewer=request.user))
        )


class _StatementViewSet(viewsets.GenericViewSet):
    """Challenges or expertise of one organisation: everyone who may see the
    organisation reads them; its admins and editors write them."""

    lookup_value_regex = ID_PATTERN
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    parser_classes = [parsers.JSONParser]
    pagination_class = None
    output_serializer = None

    def _organisation(self) -> Organisation:
        # Not organisation_for_viewer: its prefetches serve the profile, not this.
        organisation = (
            selectors.visible_organisations(viewer=self.request.user)
            .filter(slug=self.kwargs["organisation_slug"])
            .first()
        )
        if organisation is None:
            raise Http404
        return organisation

    def _statements(self, organisation):
        raise NotImplementedError

    def _statement(self, organisation, pk):
        statement = self._statements(organisation).filter(pk=pk).first()
        if statement is None:
            raise Http404
        return statement

    def _input(self, *, partial: bool) -> dict:
        data = StatementInputSerializer(data=self.request.data, partial=partial)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def list(self, request, organisation_slug=None):
        statements = self._statements(self._organisation())
        return Response(self.output_serializer(statements, many=True).data)

    def retrieve(self, request, organisation_slug=None, pk=None):
        statement = self._statement(self._organisation(), pk)
        return Response(self.output_serializer(statement).data)

    def create(self, request, organisation_slug=None):
        organisation = self._organisation()
        fields = self._input(partial=False)
        statement = self._add(actor=request.user, organisation=organisation, **fields)
        statement = self._statement(organisation, statement.pk)
        return Response(self.output_serializer(statement).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, organisation_slug=None, pk=None):
        organisation = self._organisation()
        statement = self._statement(organisation, pk)
        fields = self._input(partial=True)
        self._update(request.user, statement, fields)
        statement = self._statement(organisation, pk)
        return Response(self.output_serializer(statement).data)

    def destroy(self, request, organisation_slug=None, pk=None):
        statement = self._statement(self._organisation(), pk)
        self._delete(request.user, statement)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _statement_schema(noun: str, plural: str, serializer):
    statement_id = OpenApiParameter(
        "id", ID_SCHEMA, OpenApiParameter.PATH, description=f"Id of the {noun}"
    )
    return extend_schema_view(
        list=extend_schema(
            summary=f"List an organisation's {plural}",
            parameters=[ORGANISATION_SLUG],
            responses={200: serializer(many=True), 404: NOT_FOUND},
        ),
        retrieve=extend_schema(
            summary=f"Read one {noun}",
            parameters=[ORGANISATION_SLUG, statement_id],
            responses={200: serializer, 404: NOT_FOUND},
        ),
        create=extend_schema(
            summary=f"Add {noun if noun == 'expertise' else 'a ' + noun}",
            description="For the organisation's admins and editors, and platform staff.",
            parameters=[ORGANISATION_SLUG],
            request=StatementInputSerializer,
            responses={201: serializer, **WRITE_ERRORS},
        ),
        partial_update=extend_schema(
            summary=f"Change {noun if noun == 'expertise' else 'a ' + noun}",
            parameters=[ORGANISATION_SLUG, statement_id],
            request=StatementInputSerializer,
            responses={200: serializer, **WRITE_ERRORS},
        ),
        destroy=extend_schema(
            summary=f"Remove {noun if noun == 'expertise' else 'a ' + noun}",
            parameters=[ORGANISATION_SLUG, statement_id],
            responses={204: None, **{k: v for k, v in WRITE_ERRORS.items() if k != 400}},
        ),
    )


@_statement_schema("challenge", "challenges", ChallengeSerializer)
class ChallengeViewSet(_StatementViewSet):
    queryset = Challenge.objects.none()
    serializer_class = ChallengeSerializer
    output_serializer = ChallengeSerializer

    def _statements(self, organisation):
        return selectors.challenges_of(organisation=organisation)

    def _add(self, **kwargs):
        return services.add_challenge(**kwargs)

    def _update(self, actor, statement, fields):
        services.update_challenge(actor=actor, challenge=statement, **fields)

    def _delete(self, actor, statement):
        services.delete_challenge(actor=actor, challenge=statement)


@_statement_schema("expertise", "expertise", ExpertiseSerializer)
class ExpertiseViewSet(_StatementViewSet):
    queryset = Expertise.objects.none()
    serializer_class = ExpertiseSerializer
    output_serializer = ExpertiseSerializer

    def _statements(self, organisation):
        return selectors.expertise_of(organisation=organisation)

    def _add(self, **kwargs):
        return services.add_expertise(**kwargs)

    def _update(self, actor, statement, fields):
        services.update_expertise(actor=actor, expertise=statement, **fields)

    def _delete(self, actor, statement):
        services.delete_expertise(actor=actor, expertise=statement)


@extend_schema_view(
    list=extend_schema(
        summary="List people",
        description=(
            "People who agreed to be listed, in organisations you may see; an "
            "organisation's own editors and staff also see those who did not."
        ),
        parameters=[PersonFilterSerializer],
        responses={200: PersonSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Read a person",
        parameters=[OpenApiParameter("id", ID_SCHEMA, OpenApiParameter.PATH)],
        responses={200: PersonSerializer, 404: NOT_FOUND},
    ),
)
class PersonViewSet(viewsets.GenericViewSet):
    lookup_value_regex = ID_PATTERN
    permission_classes = [permissions.AllowAny]
    queryset = Person.objects.none()
    serializer_class = PersonSerializer

    def list(self, request):
        filters = PersonFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        organisation = None
        slug = filters.validated_data.get("organisation")
        if slug:
            organisation = (
                selectors.visible_organisations(viewer=request.user).filter(slug=slug).first()
            )
            if organisation is None:
                raise ValidationError({"organisation": [_("No such organisation.")]})
        people = selectors.people_for_viewer(
            viewer=request.user,
            organisation=organisation,
            query=filters.validated_data.get("q", ""),
        )
        page = self.paginate_queryset(people)
        return self.get_paginated_response(PersonSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        person = selectors.person_for_viewer(person_id=int(pk), viewer=request.user)
        return Response(PersonSerializer(person).data)


def register(router) -> None:
    """Add the directory's endpoints to the API router."""
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register(
        rf"organisations/(?P<organisation_slug>{SLUG_PATTERN})/challenges",
        ChallengeViewSet,
        basename="organisation-challenge",
    )
    router.register(
        rf"organisations/(?P<organisation_slug>{SLUG_PATTERN})/expertise",
        ExpertiseViewSet,
        basename="organisation-expertise",
    )
    router.register("people", PersonViewSet, basename="person")
