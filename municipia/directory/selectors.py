"""Reads of the directory: search, profiles, people, regions.

Every read that returns organisations or people for someone to look at takes
the `viewer` (a user, possibly anonymous) and applies two rules:

- organisation visibility: PUBLIC profiles for everyone, MEMBERS profiles for
  signed-in users, HIDDEN profiles for the organisation's admins and editors and
  for platform staff only;
- people: listed only with their consent, except to the organisation's admins
  and editors and to platform staff.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404

from municipia.accounts import rules

from .enums import Visibility
from .models import Challenge, Expertise, ImportJob, Organisation, Person
from .text import NAME_SEPARATOR, fold

SORTS = ("relevance", "name", "-population", "population", "country")


def countries_of_organisations(*, ids: Iterable[int]) -> set[str]:
    """Countries of the given organisations (empty countries left out)."""
    return set(
        Organisation.objects.filter(pk__in=list(ids))
        .exclude(country="")
        .values_list("country", flat=True)
    )


def _visibility_filter(viewer) -> Q | None:
    """The condition for organisations `viewer` may see; None means all of them."""
    if rules.is_platform_staff(viewer):
        return None
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return Q(visibility=Visibility.PUBLIC)
    visible = Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS])
    editable = rules.editable_organisation_ids(viewer)
    if editable:
        visible |= Q(pk__in=editable)
    return visible


def can_view_organisation(viewer, organisation: Organisation) -> bool:
    """Whether `viewer` may see the profile of `organisation` (the visibility rule
    applied to one organisation already loaded)."""
    if organisation.visibility == Visibility.PUBLIC:
        return True
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return False
    if organisation.visibility == Visibility.MEMBERS:
        return True
    return rules.can_edit_organisation(viewer, organisation)


def visible_organisations(*, viewer) -> QuerySet[Organisation]:
    """All organisations `viewer` may see, in the default order."""
    condition = _visibility_filter(viewer)
    organisations = Organisation.objects.all()
    return organisations if condition is None else organisations.filter(condition)


def _query_words(query: str) -> list[str]:
    return fold(query.replace(NAME_SEPARATOR, " ")).split()


def search_organisations(
    *,
    viewer,
    query: str = "",
    country: str | None = None,
    region_code: str | None = None,
    kinds: Iterable[str] = (),
    theme_codes: Iterable[str] = (),
    population_min: int | None = None,
    population_max: int | None = None,
    working_language: str | None = None,
    partnership_interest: str | None = None,
    verified: bool | None = None,
    sort: str = "relevance",
) -> QuerySet[Organisation]:
    """Organisations `viewer` may see that match the query and every filter given.

    `query` matches any name in any language, accent- and case-insensitively
    ("koln" finds Köln, and so do "Cologne" and "Colonia"); every word of the
    query must occur. `theme_codes` keeps organisations with a challenge or an
    offer of expertise in one of the themes.

    `sort` is one of SORTS. "relevance" puts exact matches of the official
    name first, then exact matches of another name, then names starting with
    the query, then any other match; larger places first within each group.
    Without a query "relevance" is by population, largest first.
    """
    organisations = visible_organisations(viewer=viewer)
    words = _query_words(query)
    for word in words:
        organisations = organisations.filter(search_text__contains=word)
    if country:
        organisations = organisations.filter(country=country.upper())
    if region_code:
        organisations = organisations.filter(region_code=region_code)
    kinds = [k for k in kinds if k]
    if kinds:
        organisations = organisations.filter(kind__in=kinds)
    theme_codes = [c for c in theme_codes if c]
    if theme_codes:
        organisations = organisations.filter(
            Exists(
                Challenge.objects.filter(organisation=OuterRef("pk"), themes__code__in=theme_codes)
            )
            | Exists(
                Expertise.objects.filter(organisation=OuterRef("pk"), themes__code__in=theme_codes)
            )
        )
    if population_min is not None:
        organisations = organisations.filter(population__gte=population_min)
    if population_max is not None:
        organisations = organisations.filter(population__lte=population_max)
    if working_language:
        organisations = organisations.filter(working_languages__contains=f",{working_language},")
    if partnership_interest:
        organisations = organisations.filter(
            partnership_interests__contains=f",{partnership_interest},"
        )
    if verified is not None:
        organisations = organisations.filter(verified_at__isnull=not verified)
    return _sorted(organisations, words=words, sort=sort)


def _sorted(organisations: QuerySet, *, words: list[str], sort: str) -> QuerySet:
    largest_first = F("population").desc(nulls_last=True)
    if sort == "name":
        return organisations.order_by("name", "pk")
    if sort == "-population":
        return organisations.order_by(largest_first, "name", "pk")
    if sort == "population":
        return organisations.order_by(F("population").asc(nulls_last=True), "name", "pk")
    if sort == "country":
        return organisations.order_by("country", "name", "pk")
    if not words:
        return organisations.order_by(largest_first, "name", "pk")
    phrase = " ".join(words)
    exact = f"{NAME_SEPARATOR}{phrase}{NAME_SEPARATOR}"
    prefix = f"{NAME_SEPARATOR}{phrase}"
    relevance = Case(
        When(search_text__startswith=exact, then=Value(0)),
        When(search_text__contains=exact, then=Value(1)),
        When(search_text__startswith=prefix, then=Value(2)),
        When(search_text__contains=prefix, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    return organisations.annotate(relevance=relevance).order_by(
        "relevance", largest_first, "name", "pk"
    )


def count_up_to(queryset: QuerySet, *, limit: int) -> tuple[int, bool]:
    """Count the rows of `queryset`, stopping after `limit`.

    Returns (count, exact): `exact` is False when there are more than `limit`
    rows, and then `count` is `limit`. A broad search over 100,000 organisations
    then costs a bounded LIMIT instead of a full COUNT(*).
    """
    # Only the primary key: the relevance annotation need not be computed to count.
    found = queryset.order_by().values("pk")[: limit + 1].count()
    if found > limit:
        return limit, False
    return found, True


def organisation_for_viewer(*, slug: str, viewer) -> Organisation:
    """The organisation with this address, with its other names and
    associations loaded; Http404 when there is none or `viewer` may not see it."""
    if "\x00" in slug:  # no slug has one, and PostgreSQL refuses it in a query
        raise Http404("No such organisation.")
    organisation = (
        visible_organisations(viewer=viewer)
        .prefetch_related("other_names", "member_of")
        .filter(slug=slug)
        .first()
    )
    if organisation is None:
        raise Http404("No such organisation.")
    return organisation


def visible_people(*, organisation: Organisation, viewer) -> QuerySet[Person]:
    """People of `organisation` that `viewer` may see: those who consented, or
    everyone for the organisation's admins and editors and for staff. Nobody
    when `viewer` may not see the organisation itself."""
    people = Person.objects.filter(organisation=organisation).order_by("name", "pk")
    if not can_view_organisation(viewer, organisation):
        return people.none()
    if rules.can_edit_organisation(viewer, organisation):
        return people
    return people.filter(consent_given_at__isnull=False)


def people_for_viewer(
    *, viewer, organisation: Organisation | None = None, query: str = ""
) -> QuerySet[Person]:
    """People across the directory that `viewer` may see (see `visible_people`),
    optionally of one organisation or whose name contains `query`
    (case-insensitive), with their organisation loaded."""
    people = Person.objects.select_related("organisation").order_by("name", "pk")
    if not rules.is_platform_staff(viewer):
        shown = Q(consent_given_at__isnull=False)
        organisation_condition = _visibility_filter(viewer)
        if organisation_condition is not None:
            shown &= Q(organisation__in=Organisation.objects.filter(organisation_condition))
        editable = rules.editable_organisation_ids(viewer)
        if editable:
            shown |= Q(organisation_id__in=editable)
        people = people.filter(shown)
    if organisation is not None:
        people = people.filter(organisation=organisation)
    if query.strip():
        people = people.filter(name__icontains=query.strip())
    return people


def person_for_viewer(*, person_id: int, viewer) -> Person:
    """One person `viewer` may see; Http404 otherwise."""
    person = people_for_viewer(viewer=viewer).filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person.")
    return person


def challenges_of(*, organisation: Organisation) -> QuerySet[Challenge]:
    """The organisation's challenges in their order, themes and SDGs prefetched."""
    return Challenge.objects.filter(organisation=organisation).prefetch_related("themes", "sdgs")


def expertise_of(*, organisation: Organisation) -> QuerySet[Expertise]:
    """The expertise the organisation offers, in order, themes and SDGs prefetched."""
    return Expertise.objects.filter(organisation=organisation).prefetch_related("themes", "sdgs")


def regions_of_country(*, country: str) -> list[tuple[str, str]]:
    """First-level regions of `country` that have organisations in the directory,
    as (code, name) sorted by name; the code stands in for a missing name."""
    rows = (
        Organisation.objects.filter(country=country.upper())
        .exclude(region_code="")
        .values_list("region_code", "region_name")
        .order_by()  # the default ordering would join DISTINCT and make it useless
        .distinct()
    )
    names: dict[str, str] = {}
    for code, name in rows:
        if name or code not in names:
            names[code] = name or code
    return sorted(names.items(), key=lambda item: (fold(item[1]), item[0]))


def association_of_country(*, country: str) -> Organisation | None:
    """The national association that `import_places` created for `country`."""
    return Organisation.objects.filter(slug=f"association-{country.lower()}").first()


def import_job_for_viewer(*, job_id: int, viewer) -> ImportJob:
    """An import job, for its uploader and platform staff only (its report
    names people and organisations); Http404 for anyone else."""
    job = ImportJob.objects.filter(pk=job_id).select_related("uploaded_by").first()
    if job is None or not viewer.is_authenticated:
        raise Http404
    if job.uploaded_by_id != viewer.pk and not rules.is_platform_staff(viewer):
        raise Http404
    return job


def recent_import_jobs(
    *, uploader, kinds: Iterable[str] | None = None, limit: int = 10
) -> list[ImportJob]:
    """The uploader's latest imports (of these kinds), newest first."""
    jobs = ImportJob.objects.filter(uploaded_by=uploader)
    if kinds is not None:
        jobs = jobs.filter(kind__in=list(kinds))
    return list(jobs[:limit])
