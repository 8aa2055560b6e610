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
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

# The solvers' tolerances are relative; a margin keeps floor() from
# cutting a bound of 1047 reported as 1046.9999999 down to 1046.
_MARGIN = 1e-6
SIMPLEX_UP_TO = 50_000


@dataclass
class Relaxation:
    """What the relaxation proves: ``bound`` (floor of ``dual_bound``) bounds
    every schedule; ``bound_if_chosen[j]`` every schedule that uses option
    ``j``; ``values`` are the LP's own (a guide, no proof)."""

    bound: float
    values: list[float]
    bound_if_chosen: list[float]
    dual_bound: float  # y·b + sum of positive reduced costs, rounded up by the margin
    duals: dict  # row key -> dual value y >= 0
    row_keys: list  # per option: its row keys
    reduced: list[float]  # per option: reduced cost d = priority - y·(its column)

    def conditions(self, target: int) -> tuple[set, list[bool], list[bool]]:
        """What every schedule weighing at least ``target`` must satisfy.

        For a schedule x with row slacks s >= 0, weak duality is an identity:
        ``c·x = dual_bound - y·s - sum(d_j⁺ (1 - x_j)) - sum(|d_j⁻| x_j)``, so
        ``c·x >= target`` leaves a budget ``beta = dual_bound - target`` for
        those (integer-valued) terms: a row with ``y > beta`` has no slack, an
        option with ``d < -beta`` is never used, one with ``d > beta`` always.
        Returns ``(tight row keys, usable, forced)`` per option; a tolerance
        keeps float noise on the side of fewer conditions (always valid)."""
        beta = self.dual_bound - target + 1e-7
        tight = {key for key, value in self.duals.items() if value > beta}
        usable = [d >= -beta for d in self.reduced]
        forced = [d > beta for d in self.reduced]
        return tight, usable, forced


def relax(options: list, capacity: dict, time_limit: float) -> Relaxation | None:
    """``options`` are ``(request id, parties, slot, kind, priority)`` rows of
    the slot model and ``capacity`` the tables left per ``(slot, kind)``.

    Solved with GLOP's simplex up to ``SIMPLEX_UP_TO`` options (a vertex:
    mostly 0/1 values, a good guide), above with PDLP (first-order, 4 s where
    the simplex takes 15 s for 10,000 requests; values spread out) and GLOP
    if PDLP does not converge within ``time_limit`` seconds.

    Returns a ``Relaxation``, or ``None`` when no solver
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
        result = _solve(options, capacity, backend, deadline)
        if result is not None:
            return result
    return None


def _solve(options: list, capacity: dict, backend: str, deadline: float):
    solver = pywraplp.Solver.CreateSolver(backend)
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
    # building the model takes a second at 10,000 requests: it counts too
    solver.SetTimeLimit(max(1, int((deadline - time.perf_counter()) * 1000)))
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
    return Relaxation(
        bound=float(bound),
        values=[var.solution_value() for var in variables],
        bound_if_chosen=if_chosen,
        dual_bound=dual_bound + margin,
        duals=duals,
        row_keys=keys_of_option,
        reduced=reduced,
    )
