"""The optimal schedule with OR-Tools CP-SAT.

Model. Tables of one kind are interchangeable, so the model does not choose
tables: a boolean ``y[r, s, k]`` says that request ``r`` meets in slot ``s``
at a table of kind ``k`` (on site or virtual), created only where both
parties are free, the kind suits both parties and the request, and a table of
that kind is open. Constraints: at most one slot per request, at most one
meeting per party and slot, at most as many meetings of a kind in a slot as
tables of that kind are open (less the pinned meetings). Any slot plan within
these counts can be given tables one by one (``deal_tables``), and every
table plan is such a slot plan, so the decomposition loses nothing: 10,000
requests × 30 slots × 1–2 kinds instead of × 200 tables.

Objective, lexicographic, in two solves:
1. maximise the weighted number of meetings (priority per request);
2. fix ``weighted >= the value found in 1`` as a constraint and minimise idle
   slots between a party's meetings within a period. When solve 1 is not
   proven optimal, solve 2 still keeps its value (never fewer meetings for
   shorter gaps).

Steps, within ``Problem.time_limit`` (wall clock, everything included):
- the greedy first-come-first-served placement (the baseline);
- the linear relaxation (``relaxation.relax``, up to 60 % of the time): the
  proven bound, and values that guide a second placement;
- an insertion search from the better of the two (30 % of what is left):
  the complete hint of solve 1;
- when that is within ``REACH_GAP`` of the bound, a search for a schedule
  that reaches the bound under the conditions the relaxation's duals put on
  any such schedule (``_reach``, 90 % of what is left): found, the run is
  proven optimal; proven impossible, the bound drops by one;
- solve 1 in CP-SAT (three quarters of what is left) on the options that can
  be in a better schedule than the hint; the bound is the lower of the
  relaxation's and CP-SAT's ``BestObjectiveBound`` (which on these models
  stays near "every table full": its LP keeps few of the rows);
- a move search on idle slots, then solve 2 when at least 15 % of the time
  limit is left (not on the largest instances).
A run is OPTIMAL when CP-SAT proves it or the schedule reaches the bound.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ortools.sat.python import cp_model

from . import placement, relaxation
from .problem import Instance, Problem, Solution

PHASE_ONE_SHARE = 0.75
REACH_GAP = 5  # weight units between the warm start and the bound
REACH_SHARE = 0.9  # maximising rarely gains a meeting this close to the bound
LP_SHARE = 0.6  # the bound depends on it: without it only the trivial one is left
INSERT_SHARE = 0.3  # on 2,000 requests it often reaches the bound by itself
GAPS_SOLVE_SHARE = 0.15
MIN_SOLVE = 2.0  # seconds
# Building and loading a CP-SAT model is not interrupted by its time limit:
# about a second per 15,000 options on a busy machine.
OPTIONS_PER_SECOND = 15_000
_STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
    cp_model.UNKNOWN: "UNKNOWN",
}


def schedule(problem: Problem) -> Solution:
    """Place the accepted requests of ``problem`` on slots and tables; see
    the module docstring for the model and objectives."""
    started = time.perf_counter()
    stages: dict = {}  # seconds per step, for the benchmark
    instance = Instance(problem)
    board = placement.board_with_pinned(instance)
    greedy = placement.greedy_placement(instance, board)
    greedy_assignments = placement.deal_tables(instance, board, greedy)
    greedy_weighted = placement.weighted(instance, greedy_assignments)
    kept_weight = _weight(instance, board.kept)

    keys = []  # (request id, slot, kind): the options of the slot model
    for request in problem.requests:
        if request.id in board.kept:
            continue
        a, b = request.parties
        keys.extend(
            (request.id, slot, kind)
            for slot, kind in instance.options(request)
            if board.fits(a, b, slot, kind)
        )
    stages["greedy"] = _lap(started, stages)
    placed, status, gaps_status, lp_bound = dict(greedy), "GREEDY", "NOT_RUN", None
    bound = float(kept_weight + _weight(instance, {key[0]: None for key in keys}))
    if keys:
        relaxed = relaxation.relax(
            [
                (r, instance.requests[r].parties, slot, kind, instance.requests[r].priority)
                for r, slot, kind in keys
            ],
            board.capacity,
            _left(problem, started) * LP_SHARE,
        )
        if relaxed is not None:
            lp_values, if_chosen = relaxed.values, relaxed.bound_if_chosen
            lp_bound = relaxed.bound + kept_weight
            bound = min(bound, lp_bound)
            guided = placement.guided_placement(instance, board, _ranked(problem, keys, lp_values))
            if _weight(instance, guided) > _weight(instance, placed):
                placed = guided
        stages["relaxation"] = _lap(started, stages)
        deadline = time.perf_counter() + _left(problem, started) * INSERT_SHARE
        placed = placement.insert_more(instance, board, placed, deadline)
        stages["warm start"] = _lap(started, stages)
        status = "OPTIMAL" if kept_weight + _weight(instance, placed) >= bound else "FEASIBLE"
        gap = bound - kept_weight - _weight(instance, placed)
        if (
            status == "FEASIBLE"
            and relaxed is not None
            and gap <= REACH_GAP
            and _left(problem, started) >= _min_solve(problem, keys)
        ):
            target = int(bound) - kept_weight
            until = time.perf_counter() + _left(problem, started) * REACH_SHARE
            found, result = _reach(problem, instance, board, keys, relaxed, target, placed, until)
            if found is not None:
                placed = found
            elif result == cp_model.INFEASIBLE:
                bound -= 1  # no schedule weighs ``target``: proven
            status = "OPTIMAL" if kept_weight + _weight(instance, placed) >= bound else "FEASIBLE"
            stages["reach the bound"] = _lap(started, stages)
    else:
        status, bound = "OPTIMAL", float(kept_weight)  # nothing left to decide

    # Loading a model into CP-SAT takes about a second at this scale: with
    # less time left than that (a loaded machine), the warm start stands.
    if status == "FEASIBLE" and _left(problem, started) >= _min_solve(problem, keys):
        # Solve 1 only needs options that can be in a schedule better than
        # the warm start (see relaxation.relax), and the warm start's own.
        start = _weight(instance, placed)
        narrow = (
            [
                key
                for key, best_with in zip(keys, if_chosen, strict=True)
                if best_with > start or placed.get(key[0]) == (key[1], key[2])
            ]
            if relaxed is not None
            else keys
        )
        model, choices, objective = _slot_model(instance, board, narrow)
        model.maximize(objective + kept_weight)
        _hint(model, choices, placed)
        share = PHASE_ONE_SHARE if problem.minimise_gaps else 1.0
        solver = _solver(problem, _left(problem, started) * share)
        result = solver.solve(model)
        stages["solve"] = _lap(started, stages)
        if result in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = _chosen(solver, choices)
            if _weight(instance, found) >= start:
                placed = found
            value = kept_weight + _weight(instance, placed)
            # schedules using a left-out option weigh at most the warm start
            solver_bound = value if result == cp_model.OPTIMAL else solver.best_objective_bound
            bound = min(bound, max(solver_bound, kept_weight + start))
            status = "OPTIMAL" if value >= bound else "FEASIBLE"

    if problem.minimise_gaps and keys and _left(problem, started) > 0.05:
        deadline = time.perf_counter() + _left(problem, started) / 2
        placed = placement.compact(instance, board, placed, deadline)
        stages["gaps, moves"] = _lap(started, stages)
        gaps_status = "LOCAL_SEARCH"  # shortened by moves, not proven least
        # building the second model takes seconds on large instances:
        # only worth it with a fair share of the time left
        if _left(problem, started) >= GAPS_SOLVE_SHARE * problem.time_limit:
            # exact: every schedule as good as this one keeps to these options
            value = _weight(instance, placed)
            wide = (
                [
                    key
                    for key, best_with in zip(keys, if_chosen, strict=True)
                    if best_with >= value or placed.get(key[0]) == (key[1], key[2])
                ]
                if relaxed is not None
                else keys
            )
            improved, result = _shorten_gaps(problem, instance, board, wide, placed, started)
            stages["gaps, solve"] = _lap(started, stages)
            if improved is not None:
                placed, gaps_status = improved, result

    assignments = placement.deal_tables(instance, board, placed)
    unscheduled = placement.explain(instance, assignments)
    stages["tables, explanations"] = _lap(started, stages)
    return Solution(
        assignments=assignments,
        scheduled=len(assignments),
        weighted=placement.weighted(instance, assignments),
        bound=bound,
        status=status,
        seconds=time.perf_counter() - started,
        greedy_scheduled=len(greedy_assignments),
        greedy_weighted=greedy_weighted,
        unscheduled=unscheduled,
        per_participant_shortfall=placement.shortfall(instance, assignments),
        table_use=placement.table_use(instance, assignments),
        idle_gaps=placement.idle_gaps(instance, assignments),
        lp_bound=lp_bound,
        stages=stages,
        gaps_status=gaps_status,
        warnings=instance.warnings,
    )


def _ranked(problem: Problem, keys: list, values: list) -> list:
    """Options the relaxation uses, most confident first, then first come."""
    order = {request.id: n for n, request in enumerate(problem.requests)}
    used = [(value, key) for key, value in zip(keys, values, strict=True) if value > 1e-6]
    used.sort(key=lambda item: (-item[0], order[item[1][0]], item[1][1]))
    return [key for _value, key in used]


def _slot_model(instance: Instance, board, keys: list):
    model = cp_model.CpModel()
    choices: dict = {}
    per_request: dict = defaultdict(list)
    per_party_slot: dict = defaultdict(list)
    per_slot_kind: dict = defaultdict(list)
    weights = []
    for key in keys:
        request_id, slot, kind = key
        request = instance.requests[request_id]
        var = choices[key] = model.new_bool_var("")
        per_request[request_id].append(var)
        for party in request.parties:
            per_party_slot[(party, slot)].append(var)
        per_slot_kind[(slot, kind)].append(var)
        weights.append(request.priority)
    for group in (per_request, per_party_slot):
        for variables in group.values():
            if len(variables) > 1:
                model.add_at_most_one(variables)
    for key, variables in per_slot_kind.items():
        if len(variables) > board.capacity[key]:
            model.add(cp_model.LinearExpr.sum(variables) <= board.capacity[key])
    objective = cp_model.LinearExpr.weighted_sum(list(choices.values()), weights)
    return model, choices, objective


def _reach(problem, instance, board, keys, relaxed, target, placed, until):
    """Look for a schedule weighing ``target`` (the bound) within the
    conditions the relaxation's duals put on every such schedule (see
    ``Relaxation.conditions``): with a bound one meeting above the warm start
    they turn most rows into equalities and leave out the options of negative
    reduced cost, a satisfaction problem that CP-SAT's feasibility jump
    solves from the hint in seconds where maximising stalled. INFEASIBLE is
    a proof that no schedule reaches ``target``. ``until`` is a
    ``time.perf_counter()`` deadline. Returns ``(schedule or None, CP-SAT
    status)``."""
    tight, usable, forced = relaxed.conditions(target)
    model = cp_model.CpModel()
    choices: dict = {}
    rows: dict = defaultdict(list)
    weights = []
    for key, row_keys, use, force in zip(keys, relaxed.row_keys, usable, forced, strict=True):
        if not use:
            continue
        var = choices[key] = model.new_bool_var("")
        if force:
            model.add(var == 1)
        weights.append(instance.requests[key[0]].priority)
        for row in row_keys:
            rows[row].append(var)
    for row in set(rows) | tight:
        variables = rows.get(row, [])
        upper = board.capacity[(row[1], row[2])] if row[0] == "tables" else 1
        if row in tight and upper == 1:
            model.add_exactly_one(variables)
        elif row in tight:
            model.add(cp_model.LinearExpr.sum(variables) == upper)
        elif len(variables) > upper == 1:
            model.add_at_most_one(variables)
        elif len(variables) > upper:
            model.add(cp_model.LinearExpr.sum(variables) <= upper)
    model.add(cp_model.LinearExpr.weighted_sum(list(choices.values()), weights) >= target)
    _hint(model, choices, placed)
    # building the model counts: on a loaded machine it takes a second
    solver = _solver(problem, until - time.perf_counter())
    # Inclusion detection between the thousands of at-most-one rows took
    # most of the seconds before the search started.
    solver.parameters.presolve_inclusion_work_limit = 0
    solver.parameters.find_big_linear_overlap = False
    result = solver.solve(model)
    if result in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _chosen(solver, choices), result
    return None, result


def _hint(model: cp_model.CpModel, choices: dict, placed: dict) -> None:
    for (request_id, slot, kind), var in choices.items():
        model.add_hint(var, placed.get(request_id) == (slot, kind))


def _chosen(solver: cp_model.CpSolver, choices: dict) -> dict:
    return {
        request_id: (slot, kind)
        for (request_id, slot, kind), var in choices.items()
        if solver.boolean_value(var)
    }


def _weight(instance: Instance, placed: dict) -> int:
    return sum(instance.requests[request_id].priority for request_id in placed)


def _lap(started: float, stages: dict) -> float:
    return time.perf_counter() - started - sum(stages.values())


def _min_solve(problem: Problem, keys: list) -> float:
    """Seconds below which a CP-SAT solve is not started: loading the model
    alone would overrun the time limit."""
    return max(min(MIN_SOLVE, problem.time_limit / 4), len(keys) / OPTIONS_PER_SECOND)


def _left(problem: Problem, started: float) -> float:
    """Seconds left for solving, keeping back what tables, explanations and
    measures take at the end (about a second for 10,000 requests, more when
    other work shares the cores)."""
    reserve = min(3.0, 0.08 * problem.time_limit)
    return max(0.0, problem.time_limit - reserve - (time.perf_counter() - started))


def _solver(problem: Problem, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.01)
    solver.parameters.num_workers = problem.workers
    solver.parameters.random_seed = problem.seed
    # Probing and symmetry detection spent seconds before the warm start was
    # even loaded (300 participants, 2,000 requests); the search gains more.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    return solver


def _shorten_gaps(problem, instance, board, keys, placed, started):
    """Solve 2: keep the weighted number of meetings, minimise idle slots.
    ``before``/``after`` say whether a party has a meeting earlier/later in
    the period; a free slot with both and no meeting of its own is idle. The
    minimisation keeps them at their least values, the true ORs."""
    model, choices, objective = _slot_model(instance, board, keys)
    model.add(objective >= _weight(instance, placed))
    at: dict = defaultdict(list)  # (party, slot) -> variables of its meetings then
    for (request_id, slot, _kind), var in choices.items():
        for party in instance.requests[request_id].parties:
            at[(party, slot)].append(var)
    pinned_at = {(party, slot) for party, slots in board.occupied.items() for slot in slots}
    chosen = placement.party_slots(instance, {r: (s, None) for r, (s, _k) in placed.items()})
    for party, slots in board.occupied.items():
        chosen[party] |= slots
    idle, hints = [], []
    parties = {party for party, _slot in at}
    for party in parties:
        busy = instance.busy[party]
        mine = chosen.get(party, set())
        for period in placement.periods(instance):
            meets = []
            for index in period:
                if (party, index) in pinned_at:
                    meets.append((1, True))
                elif at.get((party, index)):
                    meets.append((cp_model.LinearExpr.sum(at[(party, index)]), index in mine))
                else:
                    meets.append((0, False))
            if sum(1 for term, _ in meets if not isinstance(term, int) or term) < 2:
                continue
            count = len(period)
            before, after = [None] * count, [None] * count
            seen = False
            for i in range(1, count):
                var = model.new_bool_var("")
                model.add(var >= meets[i - 1][0])
                if before[i - 1] is not None:
                    model.add(var >= before[i - 1])
                seen = seen or meets[i - 1][1]
                before[i] = var
                hints.append((var, seen))
            seen = False
            for i in range(count - 2, -1, -1):
                var = model.new_bool_var("")
                model.add(var >= meets[i + 1][0])
                if after[i + 1] is not None:
                    model.add(var >= after[i + 1])
                seen = seen or meets[i + 1][1]
                after[i] = var
                hints.append((var, seen))
            for i in range(1, count - 1):
                if period[i] in busy:
                    continue
                gap = model.new_bool_var("")
                model.add(gap >= before[i] + after[i] - 1 - meets[i][0])
                idle.append(gap)
                is_idle = (
                    any(period[j] in mine for j in range(i))
                    and any(period[j] in mine for j in range(i + 1, count))
                    and period[i] not in mine
                )
                hints.append((gap, is_idle))
    if not idle:
        return placed, "OPTIMAL"  # no party can have an idle slot
    model.minimize(cp_model.LinearExpr.sum(idle))
    _hint(model, choices, placed)
    for var, value in hints:
        model.add_hint(var, value)
    solver = _solver(problem, _left(problem, started))
    solver.parameters.cp_model_presolve = False
    result = solver.solve(model)
    if result not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, _STATUS[result]
    return _chosen(solver, choices), _STATUS[result]
