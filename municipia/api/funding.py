"""Funding in the API: calls (read by everyone, published by staff and partner
organisations), eligibility checks, calls for an organisation, partner searches
and expressions of interest, consortium proposals and checks.

Reads go through `municipia.funding.selectors`, writes through its `services`
(which check permissions and refuse contradictory rules with field errors);
consortium proposals through `municipia.funding.consortium_builder`.
"""

from django.core.validators import RegexValidator
from django.http import Http404
from django.utils.translation import gettext_lazy as _
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
from municipia.directory.enums import OrganisationType
from municipia.directory.models import Organisation
from municipia.directory.selectors import visible_organisations
from municipia.funding import consortium_builder, selectors, services
from municipia.funding.enums import CallStatus, CountryGroup, InterestStatus
from municipia.funding.models import ExpressionOfInterest, FundingCall, PartnerSearch
from municipia.matching.selectors import organisations_to_act_for

from .directory import ID_PATTERN, ID_SCHEMA, MAX_POPULATION, NOT_FOUND, SLUG_PATTERN, WRITE_ERRORS
from .serializers import ErrorSerializer

COUNTRY_PATTERN = r"^[A-Z]{2}$"
# A call's link as the document states it and as the API checks it, on top of
# Django's URL validator: a web address (http or https) whose host has at most
# five labels of at most 40 characters. Every address this pattern allows,
# Django's validator allows too (labels of 63 characters at most, a host of 253),
# so the document promises nothing the validator refuses.
LINK_PATTERN = (
    r"^https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}[A-Za-z0-9])?\.){1,4}"
    r"[A-Za-z]{2,40}(?:[/?#][^\s]*)?$"
)
READ_ERRORS = {400: WRITE_ERRORS[400], 404: NOT_FOUND}
ORGANISATION_QUERY = OpenApiParameter(
    "organisation",
    {"type": "string", "pattern": f"^{SLUG_PATTERN}$"},
    OpenApiParameter.QUERY,
    required=True,
    description="Address (slug) of the organisation",
)


def _codes(choices, help_text):
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices), required=False, help_text=help_text
    )


def _countries(help_text):
    return serializers.ListField(
        child=serializers.RegexField(COUNTRY_PATTERN), required=False, help_text=help_text
    )


# -- serializers -----------------------------------------------------------------------------


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": r"^\d{0,12}(?:\.\d{0,2})?$"}
)
class AmountField(serializers.DecimalField):
    """A sum of money, never negative: drf-spectacular documents a decimal with a
    sign whatever its minimum, so the document states the pattern the field keeps."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, min_value=0, **kwargs)


class CallQuerySerializer(serializers.Serializer):
    """Query parameters of the call list."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Words in the title, funder, programme or summary",
    )
    theme = serializers.RegexField(
        rf"^{SLUG_PATTERN}$", max_length=64, required=False, help_text="Theme code"
    )
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$", required=False, help_text="Open to applicants from (ISO 3166-1 alpha-2)"
    )
    closed = serializers.BooleanField(
        required=False, default=False, help_text="Include closed calls"
    )


class PartnerSearchQuerySerializer(serializers.Serializer):
    """Query parameters of the partner search list."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Words in the title, purpose or owner",
    )
    theme = serializers.RegexField(
        rf"^{SLUG_PATTERN}$", max_length=64, required=False, help_text="Theme code"
    )
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        required=False,
        help_text="Welcoming partners from (ISO 3166-1 alpha-2)",
    )
    kind = serializers.ChoiceField(
        choices=OrganisationType.choices,
        required=False,
        help_text="Welcoming this type of organisation",
    )
    call = serializers.IntegerField(
        required=False, min_value=1, max_value=10**18 - 1, help_text="Id of a funding call"
    )


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "country", "kind"]
        read_only_fields = fields


class CallSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Theme codes"
    )
    sdgs = serializers.SlugRelatedField(
        slug_field="number", many=True, read_only=True, help_text="SDG numbers"
    )
    published_by_organisation = OrganisationRefSerializer(read_only=True)
    is_accepting = serializers.BooleanField(
        read_only=True, help_text="Open and the deadline still ahead"
    )

    class Meta:
        model = FundingCall
        fields = [
            "id", "funder", "programme", "title", "summary", "language", "link",
            "opens_at", "deadline", "time_zone", "work_starts_on", "work_ends_on", "currency",
            "budget", "grant_min", "grant_max", "amounts_exclude_vat", "co_financing_rate",
            "eligible_countries", "eligible_groups", "eligible_types", "min_partners",
            "max_partners", "min_countries",
            "max_per_country", "min_from_group", "min_from_group_count", "lead_countries",
            "lead_groups", "lead_types", "themes", "sdgs", "languages", "status",
            "is_accepting", "published_by_organisation", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class CallInputSerializer(serializers.Serializer):
    """A call's fields; partner numbers include the lead partner. Contradictory
    rules come back as 400 with the field to correct."""

    organisation = serializers.RegexField(
        rf"^{SLUG_PATTERN}$",
        max_length=220,
        required=False,
        help_text="Address (slug) of the publishing organisation (staff may leave it out)",
    )
    funder = serializers.CharField(max_length=200)
    programme = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title = serializers.CharField(max_length=255)
    summary = serializers.CharField(required=False, allow_blank=True)
    language = serializers.CharField(max_length=8, required=False)
    link = serializers.URLField(
        max_length=500,
        required=False,
        allow_blank=True,
        validators=[
            RegexValidator(
                LINK_PATTERN,
                message=_(
                    "Enter a web address (http or https) whose host has at most five names "
                    "of at most 40 characters, e.g. https://example.org/call."
                ),
            )
        ],
        help_text="Web page of the call (http or https)",
    )
    opens_at = serializers.DateTimeField(required=False, allow_null=True)
    deadline = serializers.DateTimeField(help_text="ISO 8601 with its UTC offset")
    time_zone = serializers.CharField(max_length=64, required=False)
    work_starts_on = serializers.DateField(
        required=False, allow_null=True, help_text="When the funded project or contract starts"
    )
    work_ends_on = serializers.DateField(
        required=False, allow_null=True, help_text="When the funded project or contract ends"
    )
    amounts_exclude_vat = serializers.BooleanField(
        required=False, help_text="The budget and grants are stated excluding VAT"
    )
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False)
    budget = AmountField(required=False, allow_null=True)
    grant_min = AmountField(required=False, allow_null=True)
    grant_max = AmountField(required=False, allow_null=True)
    co_financing_rate = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100
    )
    eligible_countries = _countries("Eligible countries; empty with no group: any")
    eligible_groups = _codes(CountryGroup.choices, "Eligible country groups")
    eligible_types = _codes(OrganisationType.choices, "Eligible applicant types; empty: any")
    min_partners = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    max_partners = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1000
    )
    min_countries = serializers.IntegerField(required=False, min_value=1, max_value=300)
    max_per_country = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1000
    )
    min_from_group = serializers.ChoiceField(
        choices=CountryGroup.choices, required=False, allow_blank=True
    )
    min_from_group_count = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1000
    )
    lead_countries = _countries("Countries the lead partner may come from")
    lead_groups = _codes(CountryGroup.choices, "Country groups of the lead partner")
    lead_types = _codes(OrganisationType.choices, "Types of the lead partner")
    themes = serializers.ListField(
        child=serializers.RegexField(rf"^{SLUG_PATTERN}$", max_length=64),
        required=False,
        help_text="Theme codes",
    )
    sdgs = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=17), required=False
    )
    languages = serializers.ListField(
        child=serializers.RegexField(r"^[a-z]{2}$"), required=False, help_text="ISO 639-1"
    )
    status = serializers.ChoiceField(choices=CallStatus.choices, required=False)


class EligibilitySerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer(read_only=True)
    eligible = serializers.BooleanField(read_only=True)
    may_lead = serializers.BooleanField(read_only=True)
    problems = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Why it may not apply"
    )
    lead_problems = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Why it may not lead"
    )
    checked_on = serializers.DateField(
        read_only=True, help_text="Country groups as they were on this date"
    )


class CallForYouSerializer(serializers.Serializer):
    call = CallSerializer(read_only=True)
    score = serializers.FloatField(read_only=True, help_text="Higher is a better fit")
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)


class PartnerSearchSerializer(serializers.ModelSerializer):
    owner = OrganisationRefSerializer(read_only=True)
    themes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = PartnerSearch
        fields = [
            "id", "owner", "title", "purpose", "language", "call", "themes",
            "partners_sought", "countries", "country_groups", "kinds", "population_min",
            "population_max", "deadline", "status", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class PartnerSearchInputSerializer(serializers.Serializer):
    organisation = serializers.RegexField(
        rf"^{SLUG_PATTERN}$", max_length=220, help_text="Your organisation's address (slug)"
    )
    title = serializers.CharField(max_length=200)
    purpose = serializers.CharField(max_length=10000)
    language = serializers.CharField(max_length=8, required=False)
    call = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    themes = serializers.ListField(
        child=serializers.RegexField(rf"^{SLUG_PATTERN}$", max_length=64),
        required=False,
        help_text="Theme codes",
    )
    partners_sought = serializers.IntegerField(min_value=1, max_value=100, default=1)
    countries = _countries("Countries sought; empty with no group: any")
    country_groups = _codes(CountryGroup.choices, "Country groups sought")
    kinds = _codes(OrganisationType.choices, "Types of organisation sought")
    population_min = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_POPULATION
    )
    population_max = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_POPULATION
    )
    deadline = serializers.DateField(required=False, allow_null=True)


class InterestSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = ExpressionOfInterest
        fields = ["id", "organisation", "message", "status", "created_at", "updated_at"]
        read_only_fields = fields


class InterestInputSerializer(serializers.Serializer):
    organisation = serializers.RegexField(
        rf"^{SLUG_PATTERN}$", max_length=220, help_text="Your organisation's address (slug)"
    )
    message = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class InterestStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=InterestStatus.choices)


class CloseSearchSerializer(serializers.Serializer):
    complete = serializers.BooleanField(default=True, help_text="Partners found")


class ConsortiumInputSerializer(serializers.Serializer):
    lead = serializers.RegexField(
        rf"^{SLUG_PATTERN}$", max_length=220, help_text="Address (slug) of the lead partner"
    )
    partners = serializers.ListField(
        child=serializers.RegexField(rf"^{SLUG_PATTERN}$", max_length=220),
        required=False,
        max_length=200,
        help_text="Leave out to get a proposal; give partners' slugs to check a consortium",
    )


class ConsortiumMemberSerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer(read_only=True)
    score = serializers.FloatField(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)


class ConsortiumSerializer(serializers.Serializer):
    lead = OrganisationRefSerializer(read_only=True)
    partners = ConsortiumMemberSerializer(many=True, read_only=True)
    size = serializers.IntegerField(read_only=True, help_text="Partners, the lead included")
    countries = serializers.ListField(child=serializers.CharField(), read_only=True)
    total_score = serializers.FloatField(read_only=True)
    optimal = serializers.BooleanField(read_only=True)
    problems = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Rules the consortium does not meet (or cannot meet), and why",
    )
    alternatives = serializers.ListField(
        child=ConsortiumMemberSerializer(many=True), read_only=True
    )


def _member(member) -> dict:
    return {
        "organisation": member.organisation,
        "score": member.score,
        "reasons": [r["sentence"] for r in member.reasons if r.get("sentence")],
    }


def _consortium_data(built) -> dict:
    return {
        "lead": built.lead,
        "partners": [_member(m) for m in built.members],
        "size": built.size,
        "countries": built.countries,
        "total_score": built.total_score,
        "optimal": built.optimal,
        "problems": [str(p) for p in built.problems],
        "alternatives": [[_member(m) for m in alt] for alt in built.alternatives],
    }


# -- views -------------------------------------------------------------------------------------

CALL_ID = OpenApiParameter("id", ID_SCHEMA, OpenApiParameter.PATH, description="Id of the call")
SEARCH_ID = OpenApiParameter(
    "id", ID_SCHEMA, OpenApiParameter.PATH, description="Id of the partner search"
)
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="You may not do this.")


def _own_organisation(user, slug: str) -> Organisation:
    """An organisation the user acts for (staff: any they may see)."""
    if "\x00" in slug:  # no slug has one, and PostgreSQL refuses it in a query
        raise Http404
    found = organisations_to_act_for(user=user).filter(slug=slug).first()
    if found is None and rules.is_platform_staff(user):
        found = visible_organisations(viewer=user).filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def _visible_organisation(user, slug: str) -> Organisation:
    if "\x00" in slug:
        raise Http404
    found = visible_organisations(viewer=user).filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


class FundingCallViewSet(viewsets.GenericViewSet):
    """Funding calls: open and closed ones for everyone, drafts for their publishers."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    parser_classes = [parsers.JSONParser]
    queryset = FundingCall.objects.none()
    serializer_class = CallSerializer
    lookup_value_regex = ID_PATTERN

    def _call(self, pk) -> FundingCall:
        return selectors.call_for_viewer(call_id=int(pk), viewer=self.request.user)

    @extend_schema(
        summary="List funding calls",
        description="Calls accepting applications (and your drafts), soonest deadline first.",
        parameters=[CallQuerySerializer],
        responses={200: CallSerializer(many=True)},
    )
    def list(self, request):
        query = CallQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        calls = selectors.search_calls(
            viewer=request.user,
            query=params.get("q", ""),
            theme=params.get("theme", ""),
            country=params.get("country", ""),
            include_closed=params["closed"],
        ).prefetch_related("sdgs")
        page = self.paginate_queryset(calls)
        return self.get_paginated_response(CallSerializer(page, many=True).data)

    @extend_schema(
        summary="Read a call", parameters=[CALL_ID], responses={200: CallSerializer, 404: NOT_FOUND}
    )
    def retrieve(self, request, pk=None):
        return Response(CallSerializer(self._call(pk)).data)

    @extend_schema(
        summary="Publish a call",
        description="Platform staff, and admins and editors of a partner organisation, "
        "network or national association (for it). A draft unless `status` says otherwise.",
        request=CallInputSerializer,
        responses={201: CallSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = CallInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        slug = fields.pop("organisation", None)
        organisation = _own_organisation(request.user, slug) if slug else None
        call = services.publish_call(actor=request.user, organisation=organisation, **fields)
        return Response(CallSerializer(call).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a call",
        parameters=[CALL_ID],
        request=CallInputSerializer(partial=True),
        responses={200: CallSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None):
        call = self._call(pk)
        data = CallInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("organisation", None)
        call = services.update_call(actor=request.user, call=call, **fields)
        return Response(CallSerializer(call).data)

    @extend_schema(
        summary="May an organisation apply to this call?",
        description="Country (lists and groups as they were on the call's date) and type; "
        "whether it may lead; each refusal explained in the request's language.",
        parameters=[CALL_ID, ORGANISATION_QUERY],
        responses={200: EligibilitySerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], permission_classes=[permissions.AllowAny])
    def eligibility(self, request, pk=None):
        call = self._call(pk)
        organisation = _visible_organisation(
            request.user, request.query_params.get("organisation", "")
        )
        result = selectors.check_eligibility(call, organisation)
        return Response(
            EligibilitySerializer(
                {
                    "organisation": organisation,
                    "eligible": result.eligible,
                    "may_lead": result.may_lead,
                    "problems": list(result.problems),
                    "lead_problems": list(result.lead_problems),
                    "checked_on": selectors.eligibility_date(call),
                }
            ).data
        )

    @extend_schema(
        summary="Propose or check a consortium for this call",
        description="Without `partners`: the best consortium around `lead` that meets every "
        "rule (partner counts include the lead), with alternatives, or the rules that cannot "
        "be met and why. With `partners`: the rules this consortium breaks. For the lead's "
        "admins and editors, and platform staff.",
        parameters=[CALL_ID],
        request=ConsortiumInputSerializer,
        responses={200: ConsortiumSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def consortium(self, request, pk=None):
        call = self._call(pk)
        return _consortium_response(request, call=call)

    @extend_schema(
        summary="Calls for an organisation",
        description="Open calls the organisation may apply to, best fit first, with reasons. "
        "For the organisation's admins and editors, and platform staff.",
        parameters=[ORGANISATION_QUERY],
        responses={200: CallForYouSerializer(many=True), **WRITE_ERRORS},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="for-organisation",
        permission_classes=[permissions.IsAuthenticated],
    )
    def for_organisation(self, request):
        slug = request.query_params.get("organisation", "").strip()
        if not slug:
            raise serializers.ValidationError(
                {"organisation": [_("Name the organisation, by its address (slug).")]}
            )
        organisation = _own_organisation(request.user, slug)
        found = selectors.ranked_calls_for_you(organisation=organisation)
        page = self.paginate_queryset(found)
        data = [
            {"call": item.call, "score": item.score, "reasons": list(item.reasons)} for item in page
        ]
        return self.get_paginated_response(CallForYouSerializer(data, many=True).data)


def _consortium_response(request, *, call=None, search=None):
    data = ConsortiumInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    lead = _own_organisation(request.user, data.validated_data["lead"])
    slugs = data.validated_data.get("partners")
    if slugs is None:
        built = consortium_builder.propose(actor=request.user, lead=lead, call=call, search=search)
    else:
        found = (
            visible_organisations(viewer=request.user)
            .filter(slug__in=slugs)
            .in_bulk(field_name="slug")
        )
        missing = [s for s in slugs if s not in found]
        if missing:
            raise Http404
        built = consortium_builder.check(
            actor=request.user,
            lead=lead,
            partners=[found[s] for s in slugs],
            call=call,
            search=search,
        )
    return Response(ConsortiumSerializer(_consortium_data(built)).data)


class PartnerSearchViewSet(viewsets.GenericViewSet):
    """Partner searches, and the answers to them."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    parser_classes = [parsers.JSONParser]
    queryset = PartnerSearch.objects.none()
    serializer_class = PartnerSearchSerializer
    lookup_value_regex = ID_PATTERN

    def _search(self, pk) -> PartnerSearch:
        return selectors.search_for_viewer(search_id=int(pk), viewer=self.request.user)

    @extend_schema(
        summary="List open partner searches",
        parameters=[PartnerSearchQuerySerializer],
        responses={200: PartnerSearchSerializer(many=True)},
    )
    def list(self, request):
        query = PartnerSearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        searches = selectors.search_partner_searches(
            viewer=request.user,
            query=params.get("q", ""),
            theme=params.get("theme", ""),
            country=params.get("country", ""),
            kind=params.get("kind", ""),
            call_id=params.get("call"),
        )
        page = self.paginate_queryset(searches)
        return self.get_paginated_response(PartnerSearchSerializer(page, many=True).data)

    @extend_schema(
        summary="Read a partner search",
        parameters=[SEARCH_ID],
        responses={200: PartnerSearchSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request, pk=None):
        return Response(PartnerSearchSerializer(self._search(pk)).data)

    @extend_schema(
        summary="Publish a partner search",
        description="For the organisation's admins and editors, and platform staff. "
        "Organisations the search fits are told about it.",
        request=PartnerSearchInputSerializer,
        responses={201: PartnerSearchSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = PartnerSearchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        owner = _own_organisation(request.user, fields.pop("organisation"))
        call_id = fields.pop("call", None)
        if call_id:
            fields["call"] = selectors.call_for_viewer(call_id=call_id, viewer=request.user)
        themes = fields.pop("themes", [])
        search = services.publish_partner_search(
            actor=request.user, owner=owner, themes=themes, **fields
        )
        return Response(PartnerSearchSerializer(search).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Close a partner search",
        parameters=[SEARCH_ID],
        request=CloseSearchSerializer,
        responses={200: PartnerSearchSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def close(self, request, pk=None):
        search = self._search(pk)
        data = CloseSearchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        search = services.close_partner_search(
            actor=request.user, search=search, complete=data.validated_data["complete"]
        )
        return Response(PartnerSearchSerializer(search).data)

    @extend_schema(
        summary="List the answers to a partner search",
        description="All of them for the owner; your own organisations' otherwise.",
        parameters=[SEARCH_ID],
        responses={200: InterestSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated])
    def interests(self, request, pk=None):
        search = self._search(pk)
        interests = selectors.interests_of(search=search, viewer=request.user)
        page = self.paginate_queryset(interests)
        return self.get_paginated_response(InterestSerializer(page, many=True).data)

    @extend_schema(
        summary="Express interest in a partner search",
        description="For the admins and editors of the answering organisation. Answering "
        "again changes the message.",
        parameters=[SEARCH_ID],
        request=InterestInputSerializer,
        responses={201: InterestSerializer, **WRITE_ERRORS},
    )
    @interests.mapping.post
    def express_interest(self, request, pk=None):
        search = self._search(pk)
        data = InterestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = _own_organisation(request.user, data.validated_data["organisation"])
        interest = services.express_interest(
            actor=request.user,
            search=search,
            organisation=organisation,
            message=data.validated_data.get("message", ""),
        )
        return Response(InterestSerializer(interest).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Shortlist, invite or decline an answer",
        parameters=[
            SEARCH_ID,
            OpenApiParameter(
                "interest_id", ID_SCHEMA, OpenApiParameter.PATH, description="Id of the answer"
            ),
        ],
        request=InterestStatusSerializer,
        responses={200: InterestSerializer, **WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=rf"interests/(?P<interest_id>{ID_PATTERN})/status",
        permission_classes=[permissions.IsAuthenticated],
    )
    def interest_status(self, request, pk=None, interest_id=None):
        search = self._search(pk)
        interest = (
            search.interests.select_related("search__owner", "organisation")
            .filter(pk=int(interest_id))
            .first()
        )
        if interest is None:
            raise Http404
        data = InterestStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        interest = services.set_interest_status(
            actor=request.user, interest=interest, status=data.validated_data["status"]
        )
        return Response(InterestSerializer(interest).data)

    @extend_schema(
        summary="Propose or check a consortium for this partner search",
        description="As for a call; a search linked to a call follows the call's rules.",
        parameters=[SEARCH_ID],
        request=ConsortiumInputSerializer,
        responses={200: ConsortiumSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def consortium(self, request, pk=None):
        return _consortium_response(request, search=self._search(pk))


def register(router) -> None:
    """Add funding's endpoints to the API router."""
    router.register("funding/calls", FundingCallViewSet, basename="funding-call")
    router.register("funding/partner-searches", PartnerSearchViewSet, basename="partner-search")
