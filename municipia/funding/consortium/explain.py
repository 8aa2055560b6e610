"""Why no consortium of a candidate pool satisfies the rules (pure Python).

First each rule's necessary condition is checked on its own ("only 3 eligible
countries among the candidates, 4 required"; "no candidate from the EU member
states"): these name the rule and the shortage. When every rule can be met on
its own but not together, the solver finds a minimal set of rules that conflict
(`solver._minimal_conflict`), described here in words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .rules import Candidate, ConsortiumRules, GroupMinimum, RuleViolation

# A rule the solver can drop when looking for the smallest conflicting set.
RuleKey = tuple[str, int]


def size_bounds(rules: ConsortiumRules, size: int | None, pool_size: int) -> tuple[int, int]:
    """Fewest and most partners (lead included) a proposal may have."""
    if size is not None:
        return size, size
    high = rules.max_partners if rules.max_partners is not None else pool_size + 1
    return max(rules.min_partners, 1), high


def rule_keys(rules: ConsortiumRules, size: int | None) -> list[RuleKey]:
    """The rules the solver encodes as constraints (eligibility is applied to the
    pool beforehand), in the order the conflict search drops them."""
    keys: list[RuleKey] = [("min_partners", 0)]
    if rules.max_partners is not None:
        keys.append(("max_partners", 0))
    if size is not None:
        keys.append(("size", 0))
    if rules.min_countries > 1:
        keys.append(("min_countries", 0))
    keys += [("min_from_group", i) for i, g in enumerate(rules.min_from_group) if g.minimum > 0]
    if rules.max_per_country is not None:
        keys.append(("max_per_country", 0))
    return keys


def describe_rule(rules: ConsortiumRules, key: RuleKey, size: int | None) -> tuple[str, dict]:
    """An English phrase for one rule, and its parameters."""
    name, index = key
    if name == "min_partners":
        return "at least %(min)s partners", {"min": rules.min_partners}
    if name == "max_partners":
        return "at most %(max)s partners", {"max": rules.max_partners}
    if name == "size":
        return "exactly %(size)s partners (the size asked for)", {"size": size}
    if name == "min_countries":
        return "at least %(min)s countries", {"min": rules.min_countries}
    if name == "min_from_group":
        group = rules.min_from_group[index]
        return "at least %(min)s from %(group)s", {"min": group.minimum, "group": group.group_name}
    return "at most %(max)s per country", {"max": rules.max_per_country}


def conflict_violation(
    rules: ConsortiumRules, keys: Sequence[RuleKey], size: int | None
) -> RuleViolation:
    phrases = [describe_rule(rules, key, size) for key in keys]
    return RuleViolation(
        "conflicting_rules",
        keys[0][0],
        "These rules cannot all be met with the candidates available: %(rules)s.",
        {
            "rules": "; ".join(message % params for message, params in phrases),
            "conflict": tuple(
                (key[0], params) for key, (_, params) in zip(keys, phrases, strict=True)
            ),
        },
    )


def _group_reach(
    group: GroupMinimum, lead: Candidate, pool: Sequence[Candidate], cap: int | None
) -> int:
    """How many consortium members could come from the group (lead included)."""
    per_country = Counter(c.country for c in pool if c.country in group.countries)
    if lead.country in group.countries:
        per_country[lead.country] += 1
    if cap is None:
        return sum(per_country.values())
    return sum(min(n, cap) for n in per_country.values())


def necessary_conditions(
    rules: ConsortiumRules, lead: Candidate, pool: Sequence[Candidate], size: int | None
) -> list[RuleViolation]:
    """Rules that no consortium of `pool` can meet, each judged on its own.

    `pool` holds only eligible candidates (not the lead). An empty answer does
    not prove a consortium exists: rules may still conflict together."""
    found: list[RuleViolation] = []
    low, high = size_bounds(rules, size, len(pool))
    size_rule = "size" if size is not None else "min_partners"
    if len(pool) + 1 < low:
        found.append(
            RuleViolation(
                "not_enough_candidates",
                size_rule,
                "Only %(count)s eligible candidates besides the lead: %(needed)s more "
                "partners are required.",
                {"count": len(pool), "needed": low - 1},
            )
        )
    countries = {c.country for c in pool if c.country} | ({lead.country} if lead.country else set())
    if rules.min_countries > 1 and len(countries) < rules.min_countries:
        found.append(
            RuleViolation(
                "not_enough_countries",
                "min_countries",
                "Only %(count)s eligible countries among the candidates (the lead's "
                "included), %(min)s required.",
                {"count": len(countries), "min": rules.min_countries},
            )
        )
    elif high < rules.min_countries:
        found.append(
            RuleViolation(
                "countries_above_size",
                size_rule,
                "%(min)s countries are required but the consortium has at most %(max)s partners.",
                {"min": rules.min_countries, "max": high},
            )
        )
    cap = rules.max_per_country
    if cap is not None:
        per_country = Counter(c.country for c in pool)
        per_country[lead.country] += 1
        # Organisations without a country are not capped (no country to count).
        most = sum(n if country is None else min(n, cap) for country, n in per_country.items())
        if most < low:
            found.append(
                RuleViolation(
                    "per_country_cap_blocks",
                    "max_per_country",
                    "With at most %(per)s partners per country, the candidates allow at "
                    "most %(most)s partners (lead included), %(min)s required.",
                    {"per": cap, "most": most, "min": low},
                )
            )
    for group in rules.min_from_group:
        if group.minimum <= 0:
            continue
        reach = _group_reach(group, lead, pool, cap)
        lead_in = lead.country in group.countries
        if reach == 0:
            found.append(
                RuleViolation(
                    "no_candidate_from_group",
                    "min_from_group",
                    "No candidate from %(group)s (nor the lead): %(min)s required.",
                    {"group": group.group_name, "min": group.minimum},
                )
            )
        elif reach < group.minimum:
            found.append(
                RuleViolation(
                    "not_enough_from_group",
                    "min_from_group",
                    "Only %(count)s possible partners from %(group)s (lead included), "
                    "%(min)s required.",
                    {"count": reach, "group": group.group_name, "min": group.minimum},
                )
            )
        elif not lead_in and group.minimum > high - 1:
            found.append(
                RuleViolation(
                    "group_leaves_no_room",
                    "min_from_group",
                    "The lead is not from %(group)s, so %(min)s partners from it do not fit "
                    "within %(max)s partners.",
                    {"group": group.group_name, "min": group.minimum, "max": high},
                )
            )
    return found
