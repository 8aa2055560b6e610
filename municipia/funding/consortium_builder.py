"""The Django side of the consortium builder (page and API): a call's or a
partner search's rules as `consortium.rules.ConsortiumRules`, the lead as a
`Candidate`, the proposal from `consortium.solver.propose` on the pool of
`consortium_pool`, and the solver's violations as translated sentences.

Partner counts include the lead partner, as in the calls themselves.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.accounts import rules as policy
from municipia.directory.models import Organisation

from .country_groups import countries_of
from .enums import CountryGroup
from .models import FundingCall, PartnerSearch
from .selectors import eligibility_date


def _frozen(codes) -> frozenset[str] | None:
    return frozenset(codes) if codes else None


def rules_for_call(call: FundingCall, *, on: datetime.date | None = None):
    """Without a maximum the solver proposes the fewest partners the rules allow;
    users add more by hand."""
    from .consortium.rules import ConsortiumRules, GroupMinimum

    on = on or eligibility_date(call)
    minimums = ()
    if call.min_from_group and call.min_from_group_count:
        minimums = (
            GroupMinimum(
                group_name=str(CountryGroup(call.min_from_group).label),
                countries=countries_of([call.min_from_group], (), on),
                minimum=call.min_from_group_count,
            ),
        )
    return ConsortiumRules(
        min_partners=call.min_partners,
        max_partners=call.max_partners,
        min_countries=call.min_countries,
        min_from_group=minimums,
        eligible_countries=countries_of(call.eligible_groups, call.eligible_countries, on),
        eligible_types=_frozen(call.eligible_types),
        lead_countries=countries_of(call.lead_groups, call.lead_countries, on),
        lead_types=_frozen(call.lead_types),
        max_per_country=call.max_per_country,
    )


def rules_for_search(search: PartnerSearch):
    """The rules of a consortium built from a partner search: its owner leads, and
    every other partner must be what the search seeks (countries or groups,
    types, population range) — on top of the linked call's rules, if any.

    Size: the owner and the partners sought. A search linked to a call keeps the
    call's range when that number falls outside it: the call's rule comes first
    (an owner with partners already may seek fewer than the call requires)."""
    import dataclasses

    from .consortium.rules import ConsortiumRules

    size = search.partners_sought + 1
    if search.call_id:
        on = eligibility_date(search.call)
        base = rules_for_call(search.call, on=on)
        if size >= base.min_partners and (base.max_partners is None or size <= base.max_partners):
            base = dataclasses.replace(base, min_partners=size, max_partners=size)
    else:
        on = timezone.localdate()
        base = ConsortiumRules(min_partners=size, max_partners=size)
    return dataclasses.replace(
        base,
        partner_countries=countries_of(search.country_groups, search.countries, on),
        partner_types=_frozen(search.kinds),
        partner_population_min=search.population_min,
        partner_population_max=search.population_max,
    )


@dataclass
class Member:
    organisation: Organisation
    score: float
    reasons: list[dict] = field(default_factory=list)  # {"code", "sentence"}


@dataclass
class BuiltConsortium:
    lead: Organisation
    members: list[Member]
    total_score: float
    problems: list[str]  # translated: why the rules are not met
    optimal: bool = False
    alternatives: list[list[Member]] = field(default_factory=list)
    pool: list[Member] = field(default_factory=list)

    @property
    def countries(self) -> list[str]:
        return sorted(
            {m.organisation.country for m in self.members if m.organisation.country}
            | ({self.lead.country} if self.lead.country else set())
        )

    @property
    def size(self) -> int:
        return len(self.members) + 1


@dataclass(frozen=True)
class _Explained:
    """What `matching.reasons.sentences_for` reads: an organisation and its reasons."""

    organisation: Organisation
    reasons: tuple


def _members(ids, *, organisations: dict, scores: dict, reasons: dict, lead) -> list[Member]:
    from municipia.matching.reasons import sentences_for

    explained = [
        _Explained(organisation=organisations[pk], reasons=tuple(reasons.get(pk, ())))
        for pk in ids
        if pk in organisations
    ]
    return [
        Member(
            organisation=item.organisation,
            score=scores.get(item.organisation.pk, 0.0),
            reasons=sentences,
        )
        for item, sentences in sentences_for(explained, lead)
    ]


def _rules_and_sizes(call, search):
    # The search's population range is among its rules (`partner_population_*`).
    if call is not None:
        return rules_for_call(call), {}
    return rules_for_search(search), {}


def _check_may_build(actor, lead: Organisation) -> None:
    if not policy.can_build_consortium_for(actor, lead):
        raise PermissionDenied(_("You may not prepare consortia for this organisation."))


def propose(
    *, actor, lead: Organisation, call: FundingCall | None = None, search=None
) -> BuiltConsortium:
    """The best consortium around `lead` for a call (or partner search) among the
    organisations `actor` may see, with alternatives and every partner's reasons;
    or, when none exists, which rule cannot be met and why (translated)."""
    from .consortium_pool import propose_consortium

    _check_may_build(actor, lead)
    rules, sizes = _rules_and_sizes(call, search)
    result = propose_consortium(lead=lead, rules=rules, viewer=actor, **sizes)
    organisations = result.pool.organisations
    scores = {c.id: c.score for c in result.pool.candidates}

    def members_of(consortium) -> list[Member]:
        reasons = {p.id: p.reasons for p in consortium.partners}
        return _members(
            [p.id for p in consortium.partners],
            organisations=organisations,
            scores=scores,
            reasons=reasons,
            lead=lead,
        )

    best = result.best
    return BuiltConsortium(
        lead=lead,
        members=members_of(best) if best else [],
        total_score=best.total_score if best else 0.0,
        problems=list(result.problems),
        optimal=result.proposal.optimal,
        alternatives=[members_of(c) for c in result.alternatives],
        pool=_pool_members(result.pool, lead),
    )


def _pool_members(pool, lead: Organisation) -> list[Member]:
    return [
        Member(organisation=pool.organisations[c.id], score=c.score)
        for c in pool.candidates
        if c.id in pool.organisations and c.id != lead.pk
    ]


def check(
    *,
    actor,
    lead: Organisation,
    partners: list[Organisation],
    call: FundingCall | None = None,
    search=None,
) -> BuiltConsortium:
    """A consortium edited by hand, with every rule checked again; partners keep
    their match scores and reasons when the engine knows them."""
    from .consortium_pool import candidate_pool, check_partners

    _check_may_build(actor, lead)
    rules, sizes = _rules_and_sizes(call, search)
    pool = candidate_pool(lead=lead, rules=rules, viewer=actor, **sizes)
    partners = [p for p in partners if p.pk != lead.pk]
    ids = [p.pk for p in partners]
    scores = {c.id: c.score for c in pool.candidates}
    engine = pool.engine
    if pool.lead_matchable and engine is not None:
        row_scores = engine.scores(str(lead.pk))
        for pk in ids:
            row = engine.index.get(str(pk))
            if row is not None:
                scores[pk] = float(row_scores[row])
    members = _members(
        ids,
        organisations={p.pk: p for p in partners},
        scores=scores,
        reasons=pool.reasons(ids),
        lead=lead,
    )
    return BuiltConsortium(
        lead=lead,
        members=members,
        total_score=sum(m.score for m in members),
        problems=check_partners(rules=rules, lead=lead, partners=partners, scores=scores),
        pool=_pool_members(pool, lead),
    )
