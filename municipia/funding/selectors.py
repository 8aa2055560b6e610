"""Reads of funding: calls and who may apply, "calls for you", partner searches
and the organisations that fit them.

Eligibility is judged on one date per call (`eligibility_date`): today while the
call is open, its deadline once it has passed, because country groups change
(see `country_groups`).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from municipia.accounts import rules
from municipia.directory.choices import country_name, language_name
from municipia.directory.enums import LOCAL_AND_REGIONAL_GOVERNMENTS, OrganisationType, Visibility
from municipia.directory.models import Challenge, Expertise, Organisation
from municipia.directory.selectors import visible_organisations
from municipia.taxonomy.models import Theme

from .country_groups import countries_of
from .enums import CallStatus, SearchStatus
from .models import DeadlineAlertSettings, ExpressionOfInterest, FundingCall, PartnerSearch

# -- calls ------------------------------------------------------------------------------


def eligibility_date(call: FundingCall, *, now: datetime.datetime | None = None) -> datetime.date:
    now = now or timezone.now()
    return timezone.localdate(min(now, call.deadline), call.tz)


def visible_calls(*, viewer) -> QuerySet[FundingCall]:
    """Open and closed calls, and the drafts the viewer may edit."""
    calls = FundingCall.objects.select_related("published_by_organisation")
    if rules.is_platform_staff(viewer):
        return calls
    editable = rules.editable_organisation_ids(viewer)
    return calls.filter(~Q(status=CallStatus.DRAFT) | Q(published_by_organisation_id__in=editable))


def call_for_viewer(*, call_id: int, viewer) -> FundingCall:
    call = visible_calls(viewer=viewer).filter(pk=call_id).first()
    if call is None:
        raise Http404("No such call.")
    return call


def search_calls(
    *,
    viewer,
    query: str = "",
    theme: str = "",
    country: str = "",
    include_closed: bool = False,
) -> QuerySet[FundingCall]:
    """Calls as the calls page lists them: accepting applications first (soonest
    deadline first), optionally also the closed ones."""
    calls = visible_calls(viewer=viewer).prefetch_related("themes")
    if not include_closed:
        calls = calls.filter(
            Q(status=CallStatus.DRAFT) | Q(status=CallStatus.OPEN, deadline__gt=timezone.now())
        )
    for word in query.split():
        calls = calls.filter(
            Q(title__icontains=word)
            | Q(programme__icontains=word)
            | Q(funder__icontains=word)
            | Q(summary__icontains=word)
        )
    if theme:
        calls = calls.filter(Q(themes__code=theme) | Q(themes__parent__code=theme)).distinct()
    if country:
        keep = [c.pk for c in calls if _welcomes(eligible_countries_of(c), country.upper())]
        calls = calls.filter(pk__in=keep)
    return calls.order_by("deadline", "pk")


def _welcomes(countries: frozenset[str] | None, country: str) -> bool:
    return countries is None or country in countries


def open_calls() -> QuerySet[FundingCall]:
    return FundingCall.objects.filter(status=CallStatus.OPEN, deadline__gt=timezone.now())


def eligible_countries_of(call: FundingCall, on: datetime.date | None = None):
    """The countries of the call's lists and groups on `on`; None: any country."""
    on = on or eligibility_date(call)
    return countries_of(call.eligible_groups, call.eligible_countries, on)


def lead_countries_of(call: FundingCall, on: datetime.date | None = None):
    on = on or eligibility_date(call)
    return countries_of(call.lead_groups, call.lead_countries, on)


@dataclass(frozen=True)
class Eligibility:
    """Whether an organisation may apply to a call, and may lead; each refusal with
    its translated reason."""

    eligible: bool
    may_lead: bool
    problems: tuple[str, ...] = ()
    lead_problems: tuple[str, ...] = ()
    codes: tuple[str, ...] = field(default=(), compare=False)


def check_eligibility(
    call: FundingCall, organisation: Organisation, *, on: datetime.date | None = None
) -> Eligibility:
    """Country (lists and groups, on the call's eligibility date) and applicant type."""
    on = on or eligibility_date(call)
    problems, codes = [], []
    countries = countries_of(call.eligible_groups, call.eligible_countries, on)
    if countries is not None:
        if not organisation.country:
            problems.append(
                _(
                    "The profile of %(name)s has no country, and this call is open to "
                    "some countries only."
                )
                % {"name": organisation.name}
            )
            codes.append("no_country")
        elif organisation.country not in countries:
            problems.append(
                _("%(country)s is not among the eligible countries.")
                % {"country": country_name(organisation.country) or organisation.country}
            )
            codes.append("country")
    if call.eligible_types and organisation.kind not in call.eligible_types:
        problems.append(
            _("A %(kind)s may not apply to this call.")
            % {"kind": _kind_label(organisation.kind).lower()}
        )
        codes.append("type")
    lead_problems = []
    if not problems:
        lead = countries_of(call.lead_groups, call.lead_countries, on)
        if lead is not None and organisation.country not in lead:
            lead_problems.append(
                _("The lead partner must be based in: %(countries)s.")
                % {"countries": ", ".join(sorted(country_name(c) or c for c in lead))}
            )
        if call.lead_types and organisation.kind not in call.lead_types:
            lead_problems.append(
                _("The lead partner must be one of: %(kinds)s.")
                % {"kinds": ", ".join(str(_kind_label(k)) for k in call.lead_types)}
            )
    return Eligibility(
        eligible=not problems,
        may_lead=not problems and not lead_problems,
        problems=tuple(problems),
        lead_problems=tuple(lead_problems),
        codes=tuple(codes),
    )


def _kind_label(kind: str) -> str:
    return str(OrganisationType(kind).label) if kind in OrganisationType.values else kind


# -- calls for you ------------------------------------------------------------------------


@dataclass
class OrganisationInterests:
    """What a call is measured against: the organisation's themes (and their impact
    communities), SDGs, challenges and working languages."""

    themes: set[str]
    communities: set[str]
    sdgs: set[int]
    challenges: list[tuple[str, set[str]]]  # (title, theme codes)
    languages: set[str]


def organisation_interests(organisation: Organisation) -> OrganisationInterests:
    parents = dict(
        Theme.objects.filter(parent__isnull=False).values_list("code", "parent__code").order_by()
    )
    themes: set[str] = set()
    sdgs: set[int] = set()
    titles = dict(Challenge.objects.filter(organisation=organisation).values_list("pk", "title"))
    challenge_tags: dict[int, set[str]] = {pk: set() for pk in titles}
    for model in (Challenge, Expertise):
        name = model._meta.model_name
        for statement_id, code in model.themes.through.objects.filter(
            **{f"{name}__organisation": organisation}
        ).values_list(f"{name}_id", "theme__code"):
            themes.add(code)
            if model is Challenge:
                challenge_tags[statement_id] |= {code, parents.get(code, code)}
        sdgs |= set(
            model.sdgs.through.objects.filter(
                **{f"{name}__organisation": organisation}
            ).values_list("sustainabledevelopmentgoal__number", flat=True)
        )
    return OrganisationInterests(
        themes=themes,
        communities={parents.get(code, code) for code in themes},
        sdgs=sdgs,
        challenges=[(titles[pk], tags) for pk, tags in sorted(challenge_tags.items())],
        languages=set(organisation.working_language_codes),
    )


@dataclass(frozen=True)
class CallForYou:
    call: FundingCall
    score: float
    reasons: tuple[str, ...]
    eligibility: Eligibility


# Weights of the fit: a shared working group counts more than a shared impact
# community, a challenge the call addresses most.
W_CHALLENGE, W_THEME, W_COMMUNITY, W_SDG, W_LANGUAGE = 3.0, 2.0, 1.0, 0.5, 0.5


def _listed(items) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


_open_calls_cache: dict = {}


@dataclass(frozen=True)
class _OpenCall:
    """What ranking needs of an open call, without a model instance."""

    pk: int
    deadline: datetime.datetime
    groups: tuple[str, ...]
    countries: tuple[str, ...]
    types: frozenset[str]
    languages: frozenset[str]
    theme_ids: tuple[int, ...]
    # (code, code of its impact community) of each theme; the union of both.
    themes: tuple[tuple[str, str], ...]
    tags: frozenset[str]
    goals: frozenset[int]


def _open_calls() -> list[_OpenCall]:
    """The open calls with their themes and SDGs, kept per process while no open
    call changed (one aggregate query checks that; every change of a call, its
    themes included, saves the call and moves `updated_at`)."""
    open_calls = FundingCall.objects.filter(status=CallStatus.OPEN)
    stamp = tuple(open_calls.aggregate(count=Count("pk"), last=Max("updated_at")).values())
    cached = _open_calls_cache.get("calls")
    if cached is not None and cached[0] == stamp:
        return cached[1]
    rows = list(
        open_calls.values_list(
            "pk", "deadline", "eligible_groups", "eligible_countries", "eligible_types",
            "languages",
        )
    )  # fmt: skip
    call_themes: dict[int, list[tuple[int, str, str]]] = {}
    for call_id, theme_id, code, parent in FundingCall.themes.through.objects.filter(
        fundingcall__in=open_calls
    ).values_list("fundingcall_id", "theme_id", "theme__code", "theme__parent__code"):
        call_themes.setdefault(call_id, []).append((theme_id, code, parent or code))
    call_goals: dict[int, set[int]] = {}
    for call_id, number in FundingCall.sdgs.through.objects.filter(
        fundingcall__in=open_calls
    ).values_list("fundingcall_id", "sustainabledevelopmentgoal__number"):
        call_goals.setdefault(call_id, set()).add(number)
    calls = []
    for pk, deadline, groups, countries, types, languages in rows:
        themes = sorted(call_themes.get(pk, ()))
        calls.append(
            _OpenCall(
                pk=pk,
                deadline=deadline,
                groups=tuple(groups or ()),
                countries=tuple(countries or ()),
                types=frozenset(types or ()),
                languages=frozenset(languages or ()),
                theme_ids=tuple(t[0] for t in themes),
                themes=tuple((code, community) for _id, code, community in themes),
                tags=frozenset(c for t in themes for c in t[1:]),
                goals=frozenset(call_goals.get(pk, ())),
            )
        )
    _open_calls_cache["calls"] = (stamp, calls)
    return calls


@functools.lru_cache(maxsize=4096)
def _countries_on(groups: tuple, countries: tuple, on: datetime.date) -> frozenset[str] | None:
    """`countries_of` for the cached calls, kept across requests: the same lists
    on the same day give the same countries."""
    return countries_of(groups, countries, on)


def _fit_score(call: _OpenCall, interests: OrganisationInterests) -> float:
    """`_fit`'s score without the words, on the cached call (same weights, same
    rules: kept in step with `_fit`, and tested to agree with it)."""
    score = W_CHALLENGE * sum(1 for _title, tags in interests.challenges if tags & call.tags)
    shared = sum(1 for code, _community in call.themes if code in interests.themes)
    if shared:
        score += W_THEME * shared
    else:
        score += W_COMMUNITY * sum(
            1 for _code, community in call.themes if community in interests.communities
        )
    score += W_SDG * len(call.goals & interests.sdgs)
    if call.languages & interests.languages:
        score += W_LANGUAGE
    return score


class RankedCalls(Sequence):
    """The open calls an organisation may apply to, best fit first, ranked on the
    cached rows; a slice loads and explains only its own calls (the page shows one
    page of them, `Paginator` slices it)."""

    def __init__(self, organisation, interests, ranked, now):
        self.organisation = organisation
        self.interests = interests
        self.ranked = ranked  # (score, call) pairs in order
        self.now = now

    def __len__(self) -> int:
        return len(self.ranked)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._explained(self.ranked[index])
        return self._explained([self.ranked[index]])[0]

    def _explained(self, shown) -> list[CallForYou]:
        today = timezone.localdate(self.now)
        loaded = FundingCall.objects.in_bulk([cached.pk for _score, cached in shown])
        themes = Theme.objects.select_related("parent").in_bulk(
            {t for _score, cached in shown for t in cached.theme_ids}
        )
        found: list[CallForYou] = []
        for score, cached in shown:
            call = loaded[cached.pk]
            _score, reasons = _fit(
                [themes[t] for t in cached.theme_ids if t in themes],
                cached.goals,
                call.languages or (),
                self.interests,
                explain=True,
            )
            reasons += (_deadline_reason(call, self.now),)
            found.append(
                CallForYou(
                    call=call,
                    score=score,
                    reasons=reasons,
                    eligibility=check_eligibility(call, self.organisation, on=today),
                )
            )
        return found


def ranked_calls_for_you(
    *, organisation: Organisation, now: datetime.datetime | None = None
) -> RankedCalls:
    """Open calls the organisation may apply to, best fit first, each with its
    reasons. Calls without any thematic fit are listed last (they may still be
    worth a look); among equals the nearest deadline comes first.

    Fast on hundreds of open calls: eligibility and fit are computed on cached
    plain rows (no model instances); only the calls shown are loaded and
    explained in words."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    interests = organisation_interests(organisation)
    ranked = []
    for call in _open_calls():
        if call.deadline <= now:
            continue
        eligible = _countries_on(call.groups, call.countries, today)
        if eligible is not None and organisation.country not in eligible:
            continue
        if call.types and organisation.kind not in call.types:
            continue
        score = _fit_score(call, interests)
        ranked.append((-score, call.deadline, call.pk, score, call))
    ranked.sort(key=lambda item: item[:3])
    return RankedCalls(organisation, interests, [item[3:] for item in ranked], now)


def calls_for_you(
    *, organisation: Organisation, limit: int = 50, now: datetime.datetime | None = None
) -> list[CallForYou]:
    """The best `limit` of `ranked_calls_for_you`, explained."""
    return ranked_calls_for_you(organisation=organisation, now=now)[:limit]


def _fit(
    call_themes: list[Theme],
    goals,
    languages,
    interests: OrganisationInterests,
    *,
    explain: bool,
) -> tuple[float, tuple[str, ...]]:
    """How well a call fits the organisation, and (with `explain`) why, in words."""
    reasons: list[str] = []
    score = 0.0
    codes = {t.code for t in call_themes}
    communities = {t.parent.code if t.parent_id else t.code for t in call_themes}
    answered = [title for title, tags in interests.challenges if tags & (codes | communities)]
    if answered:
        score += W_CHALLENGE * len(answered)
        if explain:
            reasons.append(
                ngettext(
                    "Addresses your challenge %(challenges)s",
                    "Addresses your challenges %(challenges)s",
                    len(answered),
                )
                % {"challenges": _listed([f"“{t}”" for t in answered[:3]])}
            )
    shared = [t for t in call_themes if t.code in interests.themes]
    if shared:
        score += W_THEME * len(shared)
        if explain:
            reasons.append(
                _("On your themes: %(themes)s") % {"themes": _listed(t.label for t in shared)}
            )
    else:
        near = [
            t
            for t in call_themes
            if (t.parent.code if t.parent_id else t.code) in interests.communities
        ]
        if near:
            score += W_COMMUNITY * len(near)
            if explain:
                reasons.append(
                    _("Close to your work on %(themes)s")
                    % {"themes": _listed(sorted({(t.parent or t).label for t in near}))}
                )
    matched_goals = sorted(n for n in goals if n in interests.sdgs)
    if matched_goals:
        score += W_SDG * len(matched_goals)
        if explain:
            reasons.append(
                ngettext(
                    "Towards your Sustainable Development Goal %(goals)s",
                    "Towards your Sustainable Development Goals %(goals)s",
                    len(matched_goals),
                )
                % {"goals": _listed(matched_goals)}
            )
    common_languages = sorted(set(languages) & interests.languages)
    if common_languages:
        score += W_LANGUAGE
        if explain:
            reasons.append(
                _("You may apply in %(languages)s")
                % {"languages": _listed(language_name(c) for c in common_languages)}
            )
    return score, tuple(reasons)


def _deadline_reason(call: FundingCall, now) -> str:
    days = (call.deadline - now).days
    if days < 1:
        return _("Deadline today")
    return ngettext("Deadline in %(days)s day", "Deadline in %(days)s days", days) % {"days": days}


# -- following and alerts ------------------------------------------------------------------


def followed_calls(*, user) -> QuerySet[FundingCall]:
    if not getattr(user, "is_authenticated", False):
        return FundingCall.objects.none()
    return user.followed_calls.exclude(status=CallStatus.DRAFT).order_by("deadline", "pk")


def is_following(*, user, call: FundingCall) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and call.followers.filter(pk=user.pk).exists()
    )


def alert_settings_by_token(*, token: str) -> DeadlineAlertSettings | None:
    if not token:
        return None
    return (
        DeadlineAlertSettings.objects.select_related("user")
        .filter(feed_token=token, user__is_active=True)
        .first()
    )


# -- partner searches ---------------------------------------------------------------------


def visible_searches(*, viewer) -> QuerySet[PartnerSearch]:
    """Partner searches of organisations whose profile the viewer may see."""
    owners = visible_organisations(viewer=viewer)
    return PartnerSearch.objects.filter(owner__in=owners).select_related("owner", "call")


def search_partner_searches(
    *,
    viewer,
    query: str = "",
    theme: str = "",
    country: str = "",
    kind: str = "",
    call_id: int | None = None,
    status: str = SearchStatus.OPEN,
) -> QuerySet[PartnerSearch]:
    """Filters of the partner searches page. `country` and `kind` keep the searches
    that would welcome such an organisation (no restriction also welcomes it)."""
    searches = visible_searches(viewer=viewer).prefetch_related("themes")
    if status:
        searches = searches.filter(status=status)
    for word in query.split():
        searches = searches.filter(
            Q(title__icontains=word) | Q(purpose__icontains=word) | Q(owner__name__icontains=word)
        )
    if theme:
        searches = searches.filter(Q(themes__code=theme) | Q(themes__parent__code=theme)).distinct()
    if call_id:
        searches = searches.filter(call_id=call_id)
    if country or kind:
        keep = [
            s.pk
            for s in searches
            if (not country or _search_welcomes_country(s, country.upper()))
            and (not kind or not s.kinds or kind in s.kinds)
        ]
        searches = visible_searches(viewer=viewer).filter(pk__in=keep).prefetch_related("themes")
    return searches.order_by("-created_at", "-pk")


def _search_welcomes_country(search: PartnerSearch, country: str) -> bool:
    return _welcomes(
        countries_of(search.country_groups, search.countries, timezone.localdate()), country
    )


def search_for_viewer(*, search_id: int, viewer) -> PartnerSearch:
    search = visible_searches(viewer=viewer).filter(pk=search_id).first()
    if search is None:
        raise Http404("No such partner search.")
    return search


def interests_of(*, search: PartnerSearch, viewer) -> QuerySet[ExpressionOfInterest]:
    """All answers for the search's owner; an answering organisation sees its own."""
    interests = search.interests.select_related("organisation")
    if rules.can_manage_partner_search(viewer, search):
        return interests
    return interests.filter(organisation_id__in=rules.editable_organisation_ids(viewer))


def fits_search(search: PartnerSearch, organisation: Organisation) -> bool:
    """Whether an organisation is what the search looks for (country, type, size)."""
    if organisation.pk == search.owner_id:
        return False
    if not _search_welcomes_country(search, organisation.country or ""):
        return False
    if search.kinds and organisation.kind not in search.kinds:
        return False
    population = organisation.population
    if search.population_min is not None and (
        population is None or population < search.population_min
    ):
        return False
    return search.population_max is None or (
        population is not None and population <= search.population_max
    )


def organisations_fitting(search: PartnerSearch, *, limit: int = 200) -> list[Organisation]:
    """Organisations to tell about a new search: they fit it, are looking for
    partners and are not hidden; those sharing its themes first."""
    candidates = (
        Organisation.objects.filter(is_looking_for_partners=True)
        .exclude(visibility=Visibility.HIDDEN)
        .exclude(pk=search.owner_id)
    )
    if search.kinds:
        candidates = candidates.filter(kind__in=search.kinds)
    else:
        candidates = candidates.filter(kind__in=LOCAL_AND_REGIONAL_GOVERNMENTS)
    countries = countries_of(search.country_groups, search.countries, timezone.localdate())
    if countries is not None:
        candidates = candidates.filter(country__in=countries)
    if search.population_min is not None:
        candidates = candidates.filter(population__gte=search.population_min)
    if search.population_max is not None:
        candidates = candidates.filter(population__lte=search.population_max)
    theme_ids = list(search.themes.values_list("pk", flat=True))
    if theme_ids:
        themed = Q(challenges__themes__in=theme_ids) | Q(expertise__themes__in=theme_ids)
        themed |= Q(challenges__themes__parent__in=theme_ids) | Q(
            expertise__themes__parent__in=theme_ids
        )
        candidates = candidates.filter(themed)
    ids = list(candidates.values_list("pk", flat=True).distinct().order_by("pk")[:limit])
    return list(Organisation.objects.filter(pk__in=ids).order_by("pk"))


def recommended_for_search(*, search: PartnerSearch, viewer, limit: int = 10) -> list:
    """Organisations the matching engine suggests for the search's owner within the
    search's filters, without those already answering; each as (suggestion,
    reason dicts) like the Find partners page."""
    from municipia.matching.engine import SearchPreferences
    from municipia.matching.reasons import sentences_for
    from municipia.matching.selectors import suggestions_for_organisation

    answered = set(search.interests.values_list("organisation_id", flat=True))
    preferences = SearchPreferences(
        countries_wanted=frozenset(search.countries or ()),
        country_groups_wanted=frozenset(search.country_groups or ()),
        kinds=frozenset(search.kinds or ()),
        population_min=search.population_min,
        population_max=search.population_max,
    )
    found = suggestions_for_organisation(
        organisation=search.owner,
        viewer=viewer,
        limit=limit + len(answered),
        preferences=preferences,
    )
    found = [s for s in found if s.organisation.pk not in answered][:limit]
    return sentences_for(found, search.owner)


def visible_organisations_by_id(*, viewer, ids) -> QuerySet[Organisation]:
    return visible_organisations(viewer=viewer).filter(pk__in=list(ids))
