"""The consortium builder: the best consortium of a candidate pool that meets
every rule of a call (OR-Tools CP-SAT; pure Python, no Django).

The model, for a fixed lead and a pool of eligible candidates (binary x_i: the
candidate joins; binary y_c: country c is represented):

- lead + Σx between the fewest and most partners allowed (or exactly `size`);
- y_c ≤ Σ x_i of c (the lead's country is represented anyway); Σ y_c ≥ min countries;
- per group: Σ x_i of the group + [lead in group] ≥ minimum;
- per country: Σ x_i of c + [lead in c] ≤ max per country, when the call caps it.

Objective: without a `size`, first the **fewest partners** the rules allow
(each partner takes a share of a small grant and of the coordination), then the
largest Σ score_i·x_i + bonus·Σ y_c. The diversity bonus (0.1 per country
represented, in score units) prefers a partner from a new country over one from
a country already present unless the latter scores 0.1 higher. Scores are scaled
to integers (1/10,000). One worker and a fixed seed: the same input gives the
same consortium.

Alternatives are the next-best consortia, each differing from every one before
by at least one partner. They are found by partitioning what is left (Murty's
k-best scheme) rather than by adding no-good cuts Σ_{i∈S} x_i − Σ_{i∉S} x_i ≤
|S| − 1 to the model: around a consortium S = {s1…sk} found in a part of the
search space, the rest of that part is the disjoint union of "s1…s(j−1) in, sj
out" (j = 1…k) and "all of S in, one more partner"; each is the same model with
a few variables fixed, which CP-SAT solves as fast as the first proposal (a cut
made it prove the second-best in seconds on 100 candidates). The best answer
of all parts still open is the next alternative.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .explain import (
    RuleKey,
    conflict_violation,
    necessary_conditions,
    rule_keys,
    size_bounds,
)
from .rules import (
    Candidate,
    ConsortiumRules,
    RuleProblem,
    RuleViolation,
    membership_problems,
    validate_rules,
)

SCALE = 10_000
DIVERSITY_BONUS = 0.1
TIME_LIMIT = 1.5


@dataclass(frozen=True)
class Consortium:
    lead: Candidate
    partners: tuple[Candidate, ...]  # without the lead, best score first
    total_score: float  # Σ of the partners' match scores
    objective: float  # total_score + diversity bonus

    @property
    def size(self) -> int:
        """Partners, lead included."""
        return 1 + len(self.partners)

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(sorted({m.country for m in (self.lead, *self.partners) if m.country}))

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(p.id for p in self.partners)


@dataclass(frozen=True)
class Proposal:
    """The solver's answer. `status` is CP-SAT's (OPTIMAL, FEASIBLE, INFEASIBLE,
    UNKNOWN) or INVALID_RULES when the rules contradict each other."""

    best: Consortium | None
    alternatives: tuple[Consortium, ...]
    optimal: bool
    status: str
    infeasible: tuple[RuleViolation, ...] = ()
    problems: tuple[RuleProblem, ...] = ()
    pool_size: int = 0
    left_out: int = 0  # candidates not eligible (or the lead, or repeated)
    seconds: float = 0.0

    @property
    def partners(self) -> tuple[Candidate, ...]:
        return self.best.partners if self.best else ()

    @property
    def total_score(self) -> float:
        return self.best.total_score if self.best else 0.0


def eligible_pool(
    rules: ConsortiumRules, lead: Candidate, candidates: Iterable[Candidate]
) -> tuple[list[Candidate], int]:
    """Eligible candidates other than the lead, each once, best score first (ties by
    id, so the model and its answer do not depend on the input order)."""
    best: dict[int, Candidate] = {}
    total = 0
    for candidate in candidates:
        total += 1
        if candidate.id == lead.id or membership_problems(rules, candidate):
            continue
        known = best.get(candidate.id)
        if known is None or candidate.score > known.score:
            best[candidate.id] = candidate
    pool = sorted(best.values(), key=lambda c: (-c.score, c.id))
    return pool, total - len(pool)


class _Model:
    """The CP-SAT model of one pool, with the rules in `active` as constraints."""

    def __init__(
        self,
        rules: ConsortiumRules,
        lead: Candidate,
        pool: Sequence[Candidate],
        size: int | None,
        bonus: float,
        active: Iterable[RuleKey],
    ):
        self.pool = pool
        self.lead = lead
        model = self.model = cp_model.CpModel()
        active = set(active)
        x = self.x = [model.new_bool_var(f"x{i}") for i in range(len(pool))]
        count = sum(x)
        _, high = size_bounds(rules, size, len(pool))
        if ("min_partners", 0) in active:
            model.add(count + 1 >= rules.min_partners)
        if ("max_partners", 0) in active and rules.max_partners is not None:
            model.add(count + 1 <= rules.max_partners)
        if ("size", 0) in active and size is not None:
            model.add(count + 1 == size)
        if size is None and rules.max_partners is None:
            model.add(count + 1 <= high)  # only bounds the search
        by_country: dict[str, list[int]] = {}
        for i, candidate in enumerate(pool):
            if candidate.country:
                by_country.setdefault(candidate.country, []).append(i)
        represented = []
        for country in sorted(by_country):
            if country == lead.country:
                continue
            y = model.new_bool_var(f"y_{country}")
            model.add(y <= sum(x[i] for i in by_country[country]))
            represented.append(y)
        lead_country = 1 if lead.country else 0
        if ("min_countries", 0) in active:
            model.add(sum(represented) + lead_country >= rules.min_countries)
        for index, group in enumerate(rules.min_from_group):
            if ("min_from_group", index) not in active:
                continue
            members = [x[i] for i, c in enumerate(pool) if c.country in group.countries]
            lead_in = 1 if lead.country in group.countries else 0
            model.add(sum(members) + lead_in >= group.minimum)
        if ("max_per_country", 0) in active and rules.max_per_country is not None:
            for country, indices in by_country.items():
                lead_in = 1 if country == lead.country else 0
                model.add(sum(x[i] for i in indices) + lead_in <= rules.max_per_country)
        self.weights = [round(c.score * SCALE) for c in pool]
        bonus_units = round(bonus * SCALE)
        value = sum(w * v for w, v in zip(self.weights, x, strict=True))
        value += bonus_units * sum(represented)
        if size is None:
            # Fewest partners first: one partner fewer outweighs any gain in score.
            big = sum(abs(w) for w in self.weights) + bonus_units * len(represented) + 1
            model.maximize(value - big * count)
        else:
            model.maximize(value)
        self.bonus_units = bonus_units

    def solve(self, time_limit: float, part: _Part | None = None) -> tuple[int, cp_model.CpSolver]:
        """Solve the whole model, or only the `part` of its search space."""
        model = self.model
        if part is not None:
            model = self.model.clone()
            x = [model.get_bool_var_from_proto_index(v.index) for v in self.x]
            for i in part.fixed_in:
                model.add(x[i] == 1)
            for i in part.fixed_out:
                model.add(x[i] == 0)
            if part.more_than is not None:
                model.add(sum(x) >= part.more_than + 1)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(time_limit, 0.01)
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        return solver.solve(model), solver

    def chosen(self, solver: cp_model.CpSolver) -> list[int]:
        return [i for i, v in enumerate(self.x) if solver.boolean_value(v)]


@dataclass(frozen=True)
class _Part:
    """A part of the search space: these candidates in, these out, and (for
    supersets of an earlier answer) more than `more_than` partners."""

    fixed_in: frozenset[int] = frozenset()
    fixed_out: frozenset[int] = frozenset()
    more_than: int | None = None

    def around(self, chosen: Sequence[int]) -> list[_Part]:
        """The rest of this part once `chosen` is taken out, as disjoint parts."""
        free = [i for i in chosen if i not in self.fixed_in]
        parts = [
            _Part(
                self.fixed_in | frozenset(free[:j]),
                self.fixed_out | {free[j]},
                self.more_than,
            )
            for j in range(len(free))
        ]
        parts.append(_Part(self.fixed_in | frozenset(free), self.fixed_out, len(chosen)))
        return parts


def _alternatives(model: _Model, best: Sequence[int], count: int, deadline: float):
    """Up to `count` next-best answers (candidate indices), best first."""
    found: list[list[int]] = []
    open_parts: list[tuple[float, int, list[int], _Part]] = []
    order = 0  # ties go to the part opened first: a deterministic order

    def explore(part: _Part, chosen: Sequence[int]) -> bool:
        nonlocal order
        for child in part.around(chosen):
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return False
            status, solver = model.solve(remaining, child)
            if status == cp_model.OPTIMAL:
                open_parts.append((solver.objective_value, -order, model.chosen(solver), child))
                order += 1
            elif status != cp_model.INFEASIBLE:
                return False  # out of time: what is open may not hold the next best
        return True

    if count <= 0 or not explore(_Part(), best):
        return found
    while open_parts and len(found) < count:
        open_parts.sort(key=lambda item: (item[0], item[1]))
        _, _, chosen, part = open_parts.pop()
        found.append(chosen)
        if len(found) < count and not explore(part, chosen):
            break
    return found


def consortium_of(lead: Candidate, partners: Sequence[Candidate], bonus: float) -> Consortium:
    partners = tuple(sorted(partners, key=lambda c: (-c.score, c.id)))
    total = sum(p.score for p in partners)
    countries = {m.country for m in (lead, *partners) if m.country}
    lead_country = 1 if lead.country else 0
    return Consortium(
        lead=lead,
        partners=partners,
        total_score=total,
        objective=total + bonus * (len(countries) - lead_country),
    )


def _minimal_conflict(rules, lead, pool, size, bonus, time_limit: float) -> list[RuleKey] | None:
    """A smallest-by-inclusion set of rules that cannot hold together (deletion
    filter: drop each rule in turn and keep it out when the rest still fail)."""
    keys = rule_keys(rules, size)
    deadline = time.perf_counter() + time_limit
    needed = list(keys)
    for key in keys:
        trial = [k for k in needed if k != key]
        status, _ = _Model(rules, lead, pool, size, bonus, trial).solve(
            deadline - time.perf_counter()
        )
        if status == cp_model.INFEASIBLE:
            needed = trial
        elif status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None  # out of time: no claim rather than a wrong one
    return needed or None


def propose(
    rules: ConsortiumRules,
    lead: Candidate,
    candidates: Iterable[Candidate],
    *,
    alternatives: int = 2,
    size: int | None = None,
    diversity_bonus: float = DIVERSITY_BONUS,
    time_limit: float = TIME_LIMIT,
) -> Proposal:
    """The best consortium led by `lead` from `candidates`, with up to
    `alternatives` next-best ones, or why none meets the rules.

    `size`: the number of partners wanted (lead included), within the call's
    range; without it, the fewest the rules allow."""
    started = time.perf_counter()

    def answer(**kwargs) -> Proposal:
        return Proposal(seconds=time.perf_counter() - started, **kwargs)

    problems = tuple(validate_rules(rules))
    if problems:
        return answer(
            best=None,
            alternatives=(),
            optimal=False,
            status="INVALID_RULES",
            problems=problems,
            infeasible=tuple(
                RuleViolation(p.code, p.rules[0], p.message, p.params) for p in problems
            ),
        )
    pool, left_out = eligible_pool(rules, lead, candidates)
    failed = list(membership_problems(rules, lead, lead=True))
    if size is not None and (
        size < rules.min_partners or (rules.max_partners is not None and size > rules.max_partners)
    ):
        failed.append(
            RuleViolation(
                "size_outside_rules",
                "size",
                "A consortium of %(size)s partners is outside the call's range "
                "(%(min)s to %(max)s, lead included).",
                {
                    "size": size,
                    "min": rules.min_partners,
                    "max": rules.max_partners if rules.max_partners is not None else "—",
                },
            )
        )
    if not failed:
        failed = necessary_conditions(rules, lead, pool, size)
    if failed:
        return answer(
            best=None,
            alternatives=(),
            optimal=False,
            status="INFEASIBLE",
            infeasible=tuple(failed),
            pool_size=len(pool),
            left_out=left_out,
        )

    deadline = started + time_limit
    model = _Model(rules, lead, pool, size, diversity_bonus, rule_keys(rules, size))
    status, solver = model.solve(deadline - time.perf_counter())
    if status == cp_model.INFEASIBLE:
        conflict = _minimal_conflict(
            rules, lead, pool, size, diversity_bonus, max(deadline - time.perf_counter(), 0.5)
        )
        why = (
            (conflict_violation(rules, conflict, size),)
            if conflict
            else (
                RuleViolation(
                    "no_consortium",
                    "partners",
                    "No consortium of the candidates meets all the rules together.",
                ),
            )
        )
        return answer(
            best=None,
            alternatives=(),
            optimal=False,
            status="INFEASIBLE",
            infeasible=why,
            pool_size=len(pool),
            left_out=left_out,
        )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return answer(
            best=None,
            alternatives=(),
            optimal=False,
            status=solver.status_name(status),
            infeasible=(
                RuleViolation(
                    "out_of_time",
                    "partners",
                    "No consortium was found within %(seconds)s seconds.",
                    {"seconds": round(time_limit, 1)},
                ),
            ),
            pool_size=len(pool),
            left_out=left_out,
        )
    best = consortium_of(lead, [pool[i] for i in model.chosen(solver)], diversity_bonus)
    found = [
        consortium_of(lead, [pool[i] for i in chosen], diversity_bonus)
        for chosen in _alternatives(model, model.chosen(solver), alternatives, deadline)
    ]
    return answer(
        best=best,
        alternatives=tuple(found),
        optimal=status == cp_model.OPTIMAL,
        status=solver.status_name(status),
        pool_size=len(pool),
        left_out=left_out,
    )
