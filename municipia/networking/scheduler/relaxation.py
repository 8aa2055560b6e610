"""The linear relaxation of the slot model, solved with OR-Tools' LP
solvers: a proven upper bound on the weighted number of meetings, and
fractional values that guide a better warm start than first come, first
served.

Why: on these models CP-SAT's own LP worker keeps only part of the
at-most-one rows in its LP and stops on iteration limits, so its
``BestObjectiveBound`` stays near the trivial bound (all tables full) while
the full relaxation is within a few meetings of the optimum. Any feasible
schedule is a feasible LP point, so the LP optimum bounds every schedule;
with integer priorities its floor does too."""

from __future__ import annotations

import math
import time

from ortools.linear_solver import pywraplp

# The solvers' tolerances are relative; a margin keeps floor() from
# cutting a bound of 1047 reported as 1046.9999999 down to 1046.
_MARGIN = 1e-6
SIMPLEX_UP_TO = 50_000


def relax(
    options: list, capacity: dict, time_limit: float
) -> tuple[float, list[float], list[float]] | None:
    """``options`` are ``(request id, parties, slot, kind, priority)`` rows of
    the slot model and ``capacity`` the tables left per ``(slot, kind)``.

    Solved with GLOP's simplex up to ``SIMPLEX_UP_TO`` options (a vertex:
    mostly 0/1 values, a good guide), above with PDLP (first-order, 4 s where
    the simplex takes 15 s for 10,000 requests; values spread out) and GLOP
    if PDLP does not converge within ``time_limit`` seconds.

    Returns ``(bound, values, bound_if_chosen)``, or ``None`` when no solver
    reached optimality. The bound is computed from the duals ``y >= 0``
    (weak duality: ``c·x <= y·b + sum(max(d_j, 0))`` with reduced costs
    ``d = c - yA`` holds for every schedule ``x``), so it stays valid whatever
    the solver's tolerances: approximate duals only make it looser.
    ``bound_if_chosen[j]`` bounds every schedule that uses option ``j`` (the
    bound plus ``d_j`` when ``d_j < 0``), which lets the solver drop options
    that cannot be in a better schedule."""
    backends = ("PDLP", "GLOP") if len(options) > SIMPLEX_UP_TO else ("GLOP",)
    deadline = time.perf_counter() + time_limit
    for backend in backends:
        result = _solve(options, capacity, backend, deadline - time.perf_counter())
        if result is not None:
            return result
    return None


def _solve(options: list, capacity: dict, backend: str, time_limit: float):
    solver = pywraplp.Solver.CreateSolver(backend)
    solver.SetTimeLimit(max(1, int(time_limit * 1000)))
    infinity = solver.infinity()
    variables = [solver.NumVar(0.0, 1.0, "") for _ in options]
    rows: dict = {}
    keys_of_option = []

    def row(key, upper):
        constraint = rows.get(key)
        if constraint is None:
            constraint = rows[key] = (solver.Constraint(-infinity, upper), upper)
        return constraint[0]

    objective = solver.Objective()
    for var, (request_id, (a, b), slot, kind, priority) in zip(variables, options, strict=True):
        keys = (
            ("request", request_id),
            ("party", a, slot),
            ("party", b, slot),
            ("tables", slot, kind),
        )
        row(keys[0], 1).SetCoefficient(var, 1)
        row(keys[1], 1).SetCoefficient(var, 1)
        row(keys[2], 1).SetCoefficient(var, 1)
        row(keys[3], capacity[(slot, kind)]).SetCoefficient(var, 1)
        keys_of_option.append(keys)
        objective.SetCoefficient(var, priority)
    objective.SetMaximization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    duals = {key: max(0.0, constraint.dual_value()) for key, (constraint, _upper) in rows.items()}
    reduced = [
        option[4] - sum(duals[key] for key in keys)
        for option, keys in zip(options, keys_of_option, strict=True)
    ]
    dual_bound = sum(duals[key] * upper for key, (_c, upper) in rows.items()) + sum(
        d for d in reduced if d > 0
    )
    margin = _MARGIN * max(1.0, abs(dual_bound))
    bound = math.floor(dual_bound + margin)
    if_chosen = [float(math.floor(dual_bound + min(d, 0.0) + margin)) for d in reduced]
    return float(bound), [var.solution_value() for var in variables], if_chosen
