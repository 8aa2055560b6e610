"""A call's consortium rules: stating them, refusing contradictions, checking a
consortium (pure Python, no Django).

Partner counts include the lead partner, as calls count them ("at least four
municipalities from four countries" means the lead and three others). Messages
are English templates with named parameters (`message % params`); the Django
side translates them by `code` (`consortium_pool.violation_text`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class GroupMinimum:
    """At least `minimum` partners (lead included) from `countries`, e.g. two from
    the EU member states."""

    group_name: str
    countries: frozenset[str]
    minimum: int


@dataclass(frozen=True)
class ConsortiumRules:
    """Everything a call asks of a consortium. `None` means "no restriction";
    `max_partners=None` means no maximum."""

    min_partners: int
    max_partners: int | None
    min_countries: int = 1
    min_from_group: tuple[GroupMinimum, ...] = ()
    eligible_countries: frozenset[str] | None = None
    eligible_types: frozenset[str] | None = None
    lead_countries: frozenset[str] | None = None
    lead_types: frozenset[str] | None = None
    max_per_country: int | None = None
    # What a partner search asks of the partners it seeks, on top of the call's
    # eligibility: never of the lead (the search's owner, who seeks partners
    # elsewhere). Population bounds are inclusive; None is no bound.
    partner_countries: frozenset[str] | None = None
    partner_types: frozenset[str] | None = None
    partner_population_min: int | None = None
    partner_population_max: int | None = None


@dataclass(frozen=True)
class Candidate:
    """An organisation that may join: its match score with the lead (0–1, higher
    is better) and the matching engine's reasons for it."""

    id: int
    country: str | None
    kind: str
    score: float
    reasons: tuple = ()
    name: str = ""
    population: int | None = None


@dataclass(frozen=True)
class RuleProblem:
    """Rules that contradict each other: no consortium could ever satisfy them."""

    code: str
    rules: tuple[str, ...]
    message: str
    params: Mapping = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.message % dict(self.params)


@dataclass(frozen=True)
class RuleViolation:
    """A rule a consortium breaks (or, from `propose`, one no consortium of the
    candidate pool can meet). `partner` is the organisation at fault, if one is."""

    code: str
    rule: str
    message: str
    params: Mapping = field(default_factory=dict)
    partner: int | None = None

    @property
    def text(self) -> str:
        return self.message % dict(self.params)


def _names(codes: Iterable[str]) -> str:
    return ", ".join(sorted(codes))


def validate_rules(rules: ConsortiumRules) -> list[RuleProblem]:
    """Contradictions within the rules themselves, each with the rules involved;
    empty when some consortium could satisfy them given enough candidates."""
    problems: list[RuleProblem] = []

    def problem(code, names, message, **params):
        problems.append(RuleProblem(code, tuple(names), message, params))

    minimum, maximum = rules.min_partners, rules.max_partners
    eligible = rules.eligible_countries
    if minimum < 1:
        problem(
            "min_partners_below_one",
            ["min_partners"],
            "A consortium has at least one partner (the lead); the minimum is %(min)s.",
            min=minimum,
        )
    if maximum is not None and maximum < minimum:
        problem(
            "max_below_min",
            ["min_partners", "max_partners"],
            "The maximum number of partners (%(max)s) is below the minimum (%(min)s).",
            max=maximum,
            min=minimum,
        )
    if maximum is not None and rules.min_countries > maximum:
        problem(
            "countries_above_max",
            ["min_countries", "max_partners"],
            "%(countries)s different countries cannot be reached with at most %(max)s partners.",
            countries=rules.min_countries,
            max=maximum,
        )
    if eligible is not None and len(eligible) < rules.min_countries:
        problem(
            "too_few_eligible_countries",
            ["eligible_countries", "min_countries"],
            "Only %(count)s countries are eligible, fewer than the %(min)s required.",
            count=len(eligible),
            min=rules.min_countries,
        )
    cap = rules.max_per_country
    if cap is not None and cap < 1:
        problem(
            "max_per_country_below_one",
            ["max_per_country"],
            "The maximum number of partners from one country must be at least 1.",
        )
    elif cap is not None and eligible is not None and cap * len(eligible) < minimum:
        problem(
            "per_country_cap_too_low",
            ["max_per_country", "eligible_countries", "min_partners"],
            "With at most %(per)s partners per country and %(countries)s eligible "
            "countries, the minimum of %(min)s partners cannot be reached.",
            per=cap,
            countries=len(eligible),
            min=minimum,
        )
    for group in rules.min_from_group:
        if group.minimum < 0:
            problem(
                "group_minimum_negative",
                ["min_from_group"],
                "The minimum from %(group)s cannot be negative.",
                group=group.group_name,
            )
            continue
        if maximum is not None and group.minimum > maximum:
            problem(
                "group_minimum_above_max",
                ["min_from_group", "max_partners"],
                "%(count)s partners from %(group)s cannot fit within the maximum of "
                "%(max)s partners.",
                count=group.minimum,
                group=group.group_name,
                max=maximum,
            )
        reachable = group.countries if eligible is None else group.countries & eligible
        if group.minimum > 0 and not reachable:
            problem(
                "group_not_eligible",
                ["min_from_group", "eligible_countries"],
                "No eligible country belongs to %(group)s.",
                group=group.group_name,
            )
        elif cap is not None and cap >= 1 and cap * len(reachable) < group.minimum:
            problem(
                "group_cap_too_low",
                ["min_from_group", "max_per_country"],
                "With at most %(per)s partners per country, the %(countries)s eligible "
                "countries of %(group)s give at most %(most)s partners, fewer than the "
                "%(count)s required.",
                per=cap,
                countries=len(reachable),
                group=group.group_name,
                most=cap * len(reachable),
                count=group.minimum,
            )
    if rules.lead_countries is not None:
        possible = rules.lead_countries if eligible is None else rules.lead_countries & eligible
        if not possible:
            problem(
                "lead_country_impossible",
                ["lead_countries", "eligible_countries"],
                "No country allowed for the lead partner is an eligible country.",
            )
    if rules.lead_types is not None:
        possible = (
            rules.lead_types
            if rules.eligible_types is None
            else rules.lead_types & rules.eligible_types
        )
        if not possible:
            problem(
                "lead_type_impossible",
                ["lead_types", "eligible_types"],
                "No type allowed for the lead partner is an eligible type of applicant.",
            )
    problems.extend(_search_contradictions(rules))
    return problems


def _search_contradictions(rules: ConsortiumRules) -> list[RuleProblem]:
    """A partner search's filters that leave no partner the call allows."""
    problems: list[RuleProblem] = []
    sought = rules.partner_countries
    if sought is not None:
        reachable = (
            sought if rules.eligible_countries is None else sought & rules.eligible_countries
        )
        if not reachable:
            problems.append(
                RuleProblem(
                    "sought_countries_not_eligible",
                    ("partner_countries", "eligible_countries"),
                    "None of the countries the search seeks is eligible for the call.",
                )
            )
        elif len(reachable) + 1 < rules.min_countries:
            problems.append(
                RuleProblem(
                    "too_few_sought_countries",
                    ("partner_countries", "min_countries"),
                    "The search seeks partners from %(count)s eligible countries; with the "
                    "lead's, fewer than the %(min)s countries required.",
                    {"count": len(reachable), "min": rules.min_countries},
                )
            )
    if rules.partner_types is not None:
        reachable = (
            rules.partner_types
            if rules.eligible_types is None
            else rules.partner_types & rules.eligible_types
        )
        if not reachable:
            problems.append(
                RuleProblem(
                    "sought_types_not_eligible",
                    ("partner_types", "eligible_types"),
                    "None of the types of organisation the search seeks may apply to the call.",
                )
            )
    low, high = rules.partner_population_min, rules.partner_population_max
    if low is not None and high is not None and low > high:
        problems.append(
            RuleProblem(
                "population_range_reversed",
                ("partner_population",),
                "The smallest population sought (%(low)s) is above the largest (%(high)s).",
                {"low": low, "high": high},
            )
        )
    return problems


def membership_problems(
    rules: ConsortiumRules, candidate: Candidate, *, lead: bool = False
) -> list[RuleViolation]:
    """Why this organisation may not be in the consortium (as lead when `lead`)."""
    found: list[RuleViolation] = []
    eligible = rules.eligible_countries
    if eligible is not None and not candidate.country:
        found.append(
            RuleViolation(
                "country_unknown",
                "eligible_countries",
                "%(name)s has no country, so its eligibility cannot be established.",
                {"name": candidate.name or candidate.id},
                candidate.id,
            )
        )
    elif eligible is not None and candidate.country not in eligible:
        found.append(
            RuleViolation(
                "country_not_eligible",
                "eligible_countries",
                "%(name)s is in %(country)s, which is not an eligible country.",
                {"name": candidate.name or candidate.id, "country": candidate.country},
                candidate.id,
            )
        )
    if rules.eligible_types is not None and candidate.kind not in rules.eligible_types:
        found.append(
            RuleViolation(
                "type_not_eligible",
                "eligible_types",
                "%(name)s is a %(kind)s, not an eligible type of applicant.",
                {"name": candidate.name or candidate.id, "kind": candidate.kind},
                candidate.id,
            )
        )
    if not lead:
        found.extend(_search_problems(rules, candidate))
    if lead and rules.lead_countries is not None and candidate.country not in rules.lead_countries:
        found.append(
            RuleViolation(
                "lead_country_not_allowed",
                "lead_countries",
                "The lead partner must be in one of %(countries)s; %(name)s is in %(country)s.",
                {
                    "countries": _names(rules.lead_countries),
                    "name": candidate.name or candidate.id,
                    "country": candidate.country or "?",
                },
                candidate.id,
            )
        )
    if lead and rules.lead_types is not None and candidate.kind not in rules.lead_types:
        found.append(
            RuleViolation(
                "lead_type_not_allowed",
                "lead_types",
                "The lead partner must be one of %(kinds)s; %(name)s is a %(kind)s.",
                {
                    "kinds": _names(rules.lead_types),
                    "name": candidate.name or candidate.id,
                    "kind": candidate.kind,
                },
                candidate.id,
            )
        )
    return found


def _search_problems(rules: ConsortiumRules, candidate: Candidate) -> list[RuleViolation]:
    """Why a partner is not what the partner search seeks."""
    found: list[RuleViolation] = []
    name = candidate.name or candidate.id
    sought = rules.partner_countries
    if sought is not None and candidate.country not in sought:
        found.append(
            RuleViolation(
                "country_not_sought",
                "partner_countries",
                "%(name)s is in %(country)s; the search seeks partners from %(countries)s.",
                {"name": name, "country": candidate.country or "?", "countries": _names(sought)},
                candidate.id,
            )
        )
    if rules.partner_types is not None and candidate.kind not in rules.partner_types:
        found.append(
            RuleViolation(
                "type_not_sought",
                "partner_types",
                "%(name)s is a %(kind)s; the search seeks: %(kinds)s.",
                {"name": name, "kind": candidate.kind, "kinds": _names(rules.partner_types)},
                candidate.id,
            )
        )
    low, high = rules.partner_population_min, rules.partner_population_max
    if low is not None or high is not None:
        population = candidate.population
        if population is None:
            found.append(
                RuleViolation(
                    "population_unknown",
                    "partner_population",
                    "%(name)s has no population on its profile; the search seeks a size range.",
                    {"name": name},
                    candidate.id,
                )
            )
        elif (low is not None and population < low) or (high is not None and population > high):
            found.append(
                RuleViolation(
                    "population_not_sought",
                    "partner_population",
                    "%(name)s has %(population)s inhabitants; the search seeks %(low)s to "
                    "%(high)s.",
                    {
                        "name": name,
                        "population": population,
                        "low": low if low is not None else 0,
                        "high": high if high is not None else "—",
                    },
                    candidate.id,
                )
            )
    return found


def check_consortium(
    rules: ConsortiumRules, lead: Candidate, partners: Sequence[Candidate]
) -> list[RuleViolation]:
    """Every rule this consortium (the lead and `partners`) breaks; empty when it
    satisfies the call. Used on proposals and on consortia edited by hand."""
    violations: list[RuleViolation] = list(membership_problems(rules, lead, lead=True))
    members = [lead]
    seen = {lead.id}
    for partner in partners:
        if partner.id in seen:
            violations.append(
                RuleViolation(
                    "duplicate_partner",
                    "partners",
                    "%(name)s is in the consortium twice.",
                    {"name": partner.name or partner.id},
                    partner.id,
                )
            )
            continue
        seen.add(partner.id)
        members.append(partner)
        violations.extend(membership_problems(rules, partner))
    count = len(members)
    if count < rules.min_partners:
        violations.append(
            RuleViolation(
                "too_few_partners",
                "min_partners",
                "The consortium has %(count)s partners (lead included); at least %(min)s "
                "are required.",
                {"count": count, "min": rules.min_partners},
            )
        )
    if rules.max_partners is not None and count > rules.max_partners:
        violations.append(
            RuleViolation(
                "too_many_partners",
                "max_partners",
                "The consortium has %(count)s partners (lead included); at most %(max)s "
                "are allowed.",
                {"count": count, "max": rules.max_partners},
            )
        )
    per_country = Counter(m.country for m in members if m.country)
    # One country is no requirement: organisations without a country may then join.
    if rules.min_countries > 1 and len(per_country) < rules.min_countries:
        violations.append(
            RuleViolation(
                "too_few_countries",
                "min_countries",
                "The consortium covers %(count)s countries; at least %(min)s are required.",
                {"count": len(per_country), "min": rules.min_countries},
            )
        )
    for group in rules.min_from_group:
        in_group = sum(1 for m in members if m.country in group.countries)
        if in_group < group.minimum:
            violations.append(
                RuleViolation(
                    "too_few_from_group",
                    "min_from_group",
                    "%(count)s partners are from %(group)s; at least %(min)s are required.",
                    {"count": in_group, "group": group.group_name, "min": group.minimum},
                )
            )
    if rules.max_per_country is not None:
        for country, n in sorted(per_country.items()):
            if n > rules.max_per_country:
                violations.append(
                    RuleViolation(
                        "too_many_from_country",
                        "max_per_country",
                        "%(count)s partners are from %(country)s; at most %(max)s from one "
                        "country are allowed.",
                        {"count": n, "country": country, "max": rules.max_per_country},
                    )
                )
    return violations
