"""The candidate pool of the consortium builder, from the matching engine (the
Django side of `municipia.funding.consortium`), and the solver's findings in the
user's language.

How the pool is chosen (docs/consortium.md): every organisation of the engine
that is looking for partners, is not the lead and passes the call's eligibility
(country on the call's date, applicant type) and the search's size range is
scored by the engine's reciprocal match score with the lead; per country, the
best `depth` are kept, `depth` = the most partners one country can hold in the
consortium (the call's cap per country, else its maximum size minus the lead).
Every rule of a call depends on a partner's country only (eligibility is applied
before), so exchanging a partner for a better-scored one of the same country
keeps every rule met and raises the score: an optimal consortium of the pool is
an optimal consortium of the whole directory. A call without a maximum is
searched for consortia of up to `UNBOUNDED_DEPTH + 1` partners.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext_lazy

from municipia.directory.choices import country_name
from municipia.directory.enums import OrganisationType
from municipia.directory.models import Organisation
from municipia.directory.selectors import visible_organisations

from .consortium.rules import Candidate, ConsortiumRules, RuleViolation
from .consortium.solver import Consortium, Proposal, propose

UNBOUNDED_DEPTH = 12


def pool_depth(rules: ConsortiumRules, size: int | None = None) -> int:
    """How many candidates per country the pool keeps (see the module's docstring)."""
    most = size if size is not None else rules.max_partners
    # The lead takes one place; without a maximum the fewest-partners objective
    # rarely goes beyond the rules' own minimums.
    depth = most - 1 if most is not None else max(rules.min_partners, UNBOUNDED_DEPTH) - 1
    if rules.max_per_country is not None:
        depth = min(depth, rules.max_per_country)
    return max(depth, 0)


def pool_from_engine(
    engine,
    lead_id: str,
    rules: ConsortiumRules,
    *,
    depth: int,
    population_min: int | None = None,
    population_max: int | None = None,
) -> list[Candidate]:
    """The best `depth` eligible candidates per country for `lead_id`, as
    `Candidate`s (no reasons yet), best first; [] when the lead is not in the
    engine. Countryless organisations form one more group of `depth`."""
    if lead_id not in engine.index or depth <= 0:
        return []
    matrices = engine.matrices
    a = engine.index[lead_id]
    mask = matrices.looking.copy()
    mask[a] = False
    if rules.eligible_countries is not None:
        mask &= np.isin(matrices.country, matrices.country_codes(rules.eligible_countries))
    if rules.eligible_types is not None:
        mask &= np.isin(matrices.kind, matrices.kind_codes(rules.eligible_types))
    # A partner search's own filters (partners only: the lead is not in the pool).
    if rules.partner_countries is not None:
        mask &= np.isin(matrices.country, matrices.country_codes(rules.partner_countries))
    if rules.partner_types is not None:
        mask &= np.isin(matrices.kind, matrices.kind_codes(rules.partner_types))
    if population_min is None:
        population_min = rules.partner_population_min
    if population_max is None:
        population_max = rules.partner_population_max
    if population_min is not None:
        mask &= matrices.population >= population_min
    if population_max is not None:
        mask &= matrices.population <= population_max
    rows = np.flatnonzero(mask)
    if not len(rows):
        return []
    scores = engine.scores(lead_id)[rows]
    countries = matrices.country[rows]
    # By country, then best score, then row (a stable, input-independent order).
    order = np.lexsort((rows, -scores, countries))
    grouped = countries[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    sizes = np.diff(np.r_[starts, len(grouped)])
    rank = np.arange(len(grouped)) - np.repeat(starts, sizes)
    kept = order[rank < depth]
    kept = kept[np.lexsort((rows[kept], -scores[kept]))]
    profiles = engine.profiles
    return [
        Candidate(
            id=int(profiles[rows[k]].id),
            country=profiles[rows[k]].country or None,
            kind=profiles[rows[k]].kind,
            score=float(scores[k]),
            name=profiles[rows[k]].name,
            population=profiles[rows[k]].population,
        )
        for k in kept
    ]


def lead_candidate(lead: Organisation) -> Candidate:
    return Candidate(
        id=lead.pk,
        country=lead.country or None,
        kind=lead.kind,
        score=0.0,
        name=lead.name,
        population=lead.population,
    )


def candidates_of(organisations: Iterable[Organisation], scores=None) -> list[Candidate]:
    """Organisations (e.g. a consortium edited by hand) as `Candidate`s."""
    scores = scores or {}
    return [
        Candidate(
            id=o.pk,
            country=o.country or None,
            kind=o.kind,
            score=float(scores.get(o.pk, 0.0)),
            name=o.name,
            population=o.population,
        )
        for o in organisations
    ]


@dataclass
class CandidatePool:
    lead: Candidate
    candidates: list[Candidate]
    organisations: dict[int, Organisation]
    depth: int
    lead_matchable: bool = True
    engine: object = field(default=None, repr=False)

    def reasons(self, ids: Iterable[int]) -> dict[int, tuple]:
        """The engine's reasons (structured) for these candidates."""
        if not self.lead_matchable or self.engine is None:
            return {}
        engine = self.engine
        a = engine.index[str(self.lead.id)]
        signals = engine.signals(str(self.lead.id))
        found = {}
        for pk in dict.fromkeys(ids):
            b = engine.index.get(str(pk))
            if b is not None:
                found[pk] = tuple(engine.reasons(a, b, signals[b]))
        return found


def candidate_pool(
    *,
    lead: Organisation,
    rules: ConsortiumRules,
    viewer,
    size: int | None = None,
    population_min: int | None = None,
    population_max: int | None = None,
    engine=None,
) -> CandidatePool:
    """The pool for a consortium led by `lead` under `rules`, limited to the
    organisations `viewer` may see."""
    if engine is None:
        from municipia.matching.selectors import current_engine

        engine = current_engine()
    depth = pool_depth(rules, size)
    found = pool_from_engine(
        engine,
        str(lead.pk),
        rules,
        depth=depth,
        population_min=population_min,
        population_max=population_max,
    )
    loaded = visible_organisations(viewer=viewer).filter(pk__in=[c.id for c in found]).in_bulk()
    return CandidatePool(
        lead=lead_candidate(lead),
        candidates=[
            dataclasses.replace(c, name=loaded[c.id].name) for c in found if c.id in loaded
        ],
        organisations=loaded,
        depth=depth,
        lead_matchable=str(lead.pk) in engine.index,
        engine=engine,
    )


@dataclass
class ConsortiumProposal:
    """A proposal for the page and the API: the solver's answer with the
    partners' reasons filled in, and what went wrong in the user's language."""

    proposal: Proposal
    pool: CandidatePool
    problems: list[str]

    @property
    def best(self) -> Consortium | None:
        return self.proposal.best

    @property
    def alternatives(self) -> tuple[Consortium, ...]:
        return self.proposal.alternatives


def _with_reasons(consortium: Consortium | None, reasons: dict) -> Consortium | None:
    if consortium is None:
        return None
    return dataclasses.replace(
        consortium,
        partners=tuple(
            dataclasses.replace(p, reasons=reasons.get(p.id, ())) for p in consortium.partners
        ),
    )


def propose_consortium(
    *,
    lead: Organisation,
    rules: ConsortiumRules,
    viewer,
    size: int | None = None,
    alternatives: int = 2,
    population_min: int | None = None,
    population_max: int | None = None,
    engine=None,
) -> ConsortiumProposal:
    """The best consortium (and alternatives) for `lead` under `rules` among the
    organisations `viewer` may see, each partner with the engine's reasons."""
    pool = candidate_pool(
        lead=lead,
        rules=rules,
        viewer=viewer,
        size=size,
        population_min=population_min,
        population_max=population_max,
        engine=engine,
    )
    proposal = propose(rules, pool.lead, pool.candidates, alternatives=alternatives, size=size)
    if not pool.lead_matchable and proposal.best is None:
        problems = [
            _(
                "%(name)s is not in the matching engine yet (only local and regional "
                "governments are matched), so no partners can be proposed."
            )
            % {"name": lead.name}
        ]
        problems += [violation_text(v) for v in proposal.infeasible]
    else:
        problems = [violation_text(v) for v in proposal.infeasible]
    chosen = [p.id for c in (proposal.best, *proposal.alternatives) if c for p in c.partners]
    reasons = pool.reasons(chosen)
    proposal = dataclasses.replace(
        proposal,
        best=_with_reasons(proposal.best, reasons),
        alternatives=tuple(_with_reasons(c, reasons) for c in proposal.alternatives),
    )
    return ConsortiumProposal(proposal=proposal, pool=pool, problems=problems)


# -- the solver's findings in words ---------------------------------------------------------


def _country(code) -> str:
    return country_name(str(code)) or str(code)


def _kind(code) -> str:
    return str(OrganisationType(code).label) if code in OrganisationType.values else str(code)


# Phrases of the rules a conflict names; the count they agree with is `key`.
RULE_PHRASES = {
    "min_partners": ngettext_lazy("at least %(min)s partner", "at least %(min)s partners", "min"),
    "max_partners": ngettext_lazy("at most %(max)s partner", "at most %(max)s partners", "max"),
    "size": ngettext_lazy(
        "exactly %(size)s partner (the size asked for)",
        "exactly %(size)s partners (the size asked for)",
        "size",
    ),
    "min_countries": ngettext_lazy("at least %(min)s country", "at least %(min)s countries", "min"),
    "min_from_group": _lazy("at least %(min)s from %(group)s"),
    "max_per_country": ngettext_lazy(
        "at most %(max)s partner per country", "at most %(max)s partners per country", "max"
    ),
}

# Every finding of `rules`, `explain` and `solver`, by code. Partner counts
# include the lead.
FINDINGS = {
    # A member of the consortium (check_consortium, and the lead in propose).
    "country_unknown": _lazy("%(name)s has no country, so its eligibility cannot be established."),
    "country_not_eligible": _lazy("%(name)s is in %(country)s, which is not an eligible country."),
    "type_not_eligible": _lazy("%(name)s is a %(kind)s, not an eligible type of applicant."),
    "lead_country_not_allowed": _lazy(
        "The lead partner must be based in %(countries)s; %(name)s is in %(country)s."
    ),
    "lead_type_not_allowed": _lazy(
        "The lead partner must be one of: %(kinds)s; %(name)s is a %(kind)s."
    ),
    "duplicate_partner": _lazy("%(name)s is in the consortium twice."),
    # A partner that is not what the partner search seeks.
    "country_not_sought": _lazy(
        "%(name)s is in %(country)s; the search seeks partners from %(countries)s."
    ),
    "type_not_sought": _lazy("%(name)s is a %(kind)s; the search seeks: %(kinds)s."),
    "population_unknown": _lazy(
        "%(name)s has no population on its profile; the search seeks a size range."
    ),
    "population_not_sought": _lazy(
        "%(name)s has %(population)s inhabitants; the search seeks %(low)s to %(high)s."
    ),
    # The consortium as a whole.
    "too_few_partners": ngettext_lazy(
        "The consortium has %(count)s partner (lead included); at least %(min)s are required.",
        "The consortium has %(count)s partners (lead included); at least %(min)s are required.",
        "count",
    ),
    "too_many_partners": ngettext_lazy(
        "The consortium has %(count)s partner (lead included); at most %(max)s are allowed.",
        "The consortium has %(count)s partners (lead included); at most %(max)s are allowed.",
        "count",
    ),
    "too_few_countries": ngettext_lazy(
        "The consortium covers %(count)s country; at least %(min)s are required.",
        "The consortium covers %(count)s countries; at least %(min)s are required.",
        "count",
    ),
    "too_few_from_group": ngettext_lazy(
        "%(count)s partner is from %(group)s; at least %(min)s are required.",
        "%(count)s partners are from %(group)s; at least %(min)s are required.",
        "count",
    ),
    "too_many_from_country": _lazy(
        "%(count)s partners are from %(country)s; at most %(max)s from one country are allowed."
    ),
    # No consortium of the pool (propose).
    "not_enough_candidates": ngettext_lazy(
        "Only %(count)s eligible candidate besides the lead: %(needed)s more partners are "
        "required.",
        "Only %(count)s eligible candidates besides the lead: %(needed)s more partners are "
        "required.",
        "count",
    ),
    "not_enough_countries": ngettext_lazy(
        "Only %(count)s eligible country among the candidates (the lead's included), "
        "%(min)s required.",
        "Only %(count)s eligible countries among the candidates (the lead's included), "
        "%(min)s required.",
        "count",
    ),
    "countries_above_size": _lazy(
        "%(min)s countries are required but the consortium has at most %(max)s partners."
    ),
    "per_country_cap_blocks": _lazy(
        "With at most %(per)s partners per country, the candidates allow at most "
        "%(most)s partners (lead included), %(min)s required."
    ),
    "no_candidate_from_group": _lazy(
        "No candidate from %(group)s (nor the lead): %(min)s required."
    ),
    "not_enough_from_group": _lazy(
        "Only %(count)s possible partners from %(group)s (lead included), %(min)s required."
    ),
    "group_leaves_no_room": _lazy(
        "The lead is not from %(group)s, so %(min)s partners from it do not fit within "
        "%(max)s partners."
    ),
    "conflicting_rules": _lazy(
        "These rules cannot all be met with the candidates available: %(rules)s."
    ),
    "size_outside_rules": _lazy(
        "A consortium of %(size)s partners is outside the call's range (%(min)s to "
        "%(max)s, lead included)."
    ),
    "out_of_time": _lazy("No consortium was found within %(seconds)s seconds."),
    "no_consortium": _lazy("No consortium of the candidates meets all the rules together."),
    # The rules contradict each other (validate_rules; the call's form refuses
    # them field by field too).
    "min_partners_below_one": _lazy(
        "A consortium has at least one partner (the lead); the minimum is %(min)s."
    ),
    "max_below_min": _lazy(
        "The maximum number of partners (%(max)s) is below the minimum (%(min)s)."
    ),
    "countries_above_max": _lazy(
        "%(countries)s different countries cannot be reached with at most %(max)s partners."
    ),
    "too_few_eligible_countries": ngettext_lazy(
        "Only %(count)s country is eligible, fewer than the %(min)s required.",
        "Only %(count)s countries are eligible, fewer than the %(min)s required.",
        "count",
    ),
    "max_per_country_below_one": _lazy(
        "The maximum number of partners from one country must be at least 1."
    ),
    "per_country_cap_too_low": _lazy(
        "With at most %(per)s partners per country and %(countries)s eligible countries, "
        "the minimum of %(min)s partners cannot be reached."
    ),
    "group_minimum_negative": _lazy("The minimum from %(group)s cannot be negative."),
    "group_minimum_above_max": _lazy(
        "%(count)s partners from %(group)s cannot fit within the maximum of %(max)s partners."
    ),
    "group_not_eligible": _lazy("No eligible country belongs to %(group)s."),
    "group_cap_too_low": _lazy(
        "With at most %(per)s partners per country, the %(countries)s eligible countries "
        "of %(group)s give at most %(most)s partners, fewer than the %(count)s required."
    ),
    "lead_country_impossible": _lazy(
        "No country allowed for the lead partner is an eligible country."
    ),
    "lead_type_impossible": _lazy(
        "No type allowed for the lead partner is an eligible type of applicant."
    ),
    "sought_countries_not_eligible": _lazy(
        "None of the countries the search seeks is eligible for the call."
    ),
    "too_few_sought_countries": ngettext_lazy(
        "The search seeks partners from %(count)s eligible country; with the lead's, fewer "
        "than the %(min)s countries required.",
        "The search seeks partners from %(count)s eligible countries; with the lead's, fewer "
        "than the %(min)s countries required.",
        "count",
    ),
    "sought_types_not_eligible": _lazy(
        "None of the types of organisation the search seeks may apply to the call."
    ),
    "population_range_reversed": _lazy(
        "The smallest population sought (%(low)s) is above the largest (%(high)s)."
    ),
}


def _in_words(params) -> dict:
    """Parameters as a sentence shows them: country and type names, not codes."""
    words = dict(params)
    if isinstance(words.get("country"), str):
        words["country"] = _country(words["country"])
    if isinstance(words.get("countries"), str):
        words["countries"] = ", ".join(
            sorted(_country(c) for c in words["countries"].split(", ") if c)
        )
    if isinstance(words.get("kind"), str):
        words["kind"] = _kind(words["kind"]).lower()
    if isinstance(words.get("kinds"), str):
        words["kinds"] = ", ".join(_kind(k) for k in words["kinds"].split(", ") if k)
    for key in ("population", "low", "high"):
        if isinstance(words.get(key), int):
            words[key] = number_format(words[key], force_grouping=True)
    if "conflict" in words:
        words["rules"] = "; ".join(
            str(RULE_PHRASES[rule] % dict(values)) for rule, values in words["conflict"]
        )
    return words


def violation_text(violation: RuleViolation) -> str:
    """One finding of `check_consortium`, `validate_rules` or `propose`, translated
    (the module's English sentence for a code this side does not know)."""
    message = FINDINGS.get(violation.code)
    if message is None:
        return violation.text
    return str(message % _in_words(violation.params))


def check_partners(
    *, rules: ConsortiumRules, lead: Organisation, partners: Sequence[Organisation], scores=None
) -> list[str]:
    """A consortium edited by hand, checked against every rule, in words."""
    from .consortium.rules import check_consortium

    return [
        violation_text(v)
        for v in check_consortium(rules, lead_candidate(lead), candidates_of(partners, scores))
    ]
