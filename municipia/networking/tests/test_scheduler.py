"""The meeting scheduler alone: constraints, objectives, explanations."""

import itertools
import random
from collections import defaultdict

import pytest

from municipia.networking.scheduler import (
    Instance,
    Mode,
    Participant,
    PinnedMeeting,
    Problem,
    Reason,
    Request,
    Requirement,
    Slot,
    Table,
    TableKind,
    schedule,
)
from municipia.networking.scheduler.generate import generate
from municipia.networking.scheduler.placement import idle_gaps


def slots(count, per_period=None):
    per_period = per_period or count
    return [Slot(i, i * 20, i * 20 + 20, i // per_period) for i in range(count)]


def person(party, mode=Mode.ON_SITE, busy=()):
    return Participant(f"u-{party}", party, mode, tuple(busy))


def assert_valid(problem: Problem, solution):
    """Every hard rule of a schedule, checked from the problem itself."""
    instance = Instance(problem)
    tables = {table.id: table for table in problem.tables}
    requests = {request.id: request for request in problem.requests}
    seen_party, seen_table = set(), set()
    for request_id, (slot, table_id) in solution.assignments.items():
        request, table = requests[request_id], tables[table_id]
        assert (slot, table_id) not in seen_table, "table double-booked"
        seen_table.add((slot, table_id))
        assert slot not in table.closed
        assert table.capacity >= 2
        assert table.kind in instance.allowed_kinds(request), "mode not respected"
        for party in request.parties:
            assert (party, slot) not in seen_party, "party double-booked"
            seen_party.add((party, slot))
            pinned = any(p.request_id == request_id for p in problem.pinned)
            if not pinned:
                assert slot not in instance.busy[party], "meeting during a busy slot"
    assert solution.scheduled == len(solution.assignments)
    assert solution.weighted <= solution.bound
    assert set(solution.unscheduled) == set(requests) - set(solution.assignments)


def test_generated_instance_is_valid_and_beats_greedy():
    problem = generate(participants=80, requests=400, slots=12, tables=10, seed=3, time_limit=5)
    solution = schedule(problem)
    assert_valid(problem, solution)
    assert solution.scheduled >= solution.greedy_scheduled
    assert solution.weighted >= 0.95 * solution.bound
    assert solution.idle_gaps == idle_gaps(Instance(problem), solution.assignments)


def test_busy_slots_intervals_and_delegations_are_respected():
    grid = slots(3)
    problem = Problem(
        slots=grid,
        tables=[Table("T1")],
        participants=[
            person("a", busy=[0]),
            Participant("u-b1", "b", Mode.ON_SITE, ((grid[1].start + 5, grid[1].end + 5),)),
            Participant("u-b2", "b", Mode.ON_SITE, ()),
        ],
        requests=[Request("r1", ("a", "b"))],
    )
    solution = schedule(problem)
    # a is busy in 0; b's first member has a session overlapping slots 1 and 2
    assert solution.assignments == {}
    assert solution.unscheduled["r1"].reason == Reason.NO_COMMON_SLOT
    problem.participants[1] = Participant("u-b1", "b", Mode.ON_SITE, ((30, 40),))
    solution = schedule(problem)
    assert solution.assignments == {"r1": (2, "T1")}


def test_one_meeting_per_table_and_party_at_a_time():
    problem = Problem(
        slots=slots(2),
        tables=[Table("T1"), Table("T2", capacity=1)],
        participants=[person(p) for p in "abcd"],
        requests=[Request("r1", ("a", "b")), Request("r2", ("c", "d")), Request("r3", ("a", "c"))],
    )
    solution = schedule(problem)
    assert_valid(problem, solution)
    assert solution.scheduled == 2  # one usable table, two slots
    assert solution.table_use == {"T1": 2, "T2": 0}
    assert any("T2" in warning for warning in solution.warnings)
    reason = next(iter(solution.unscheduled.values()))
    assert reason.reason == Reason.COMPETITION


def test_modes_choose_the_kind_of_table():
    problem = Problem(
        slots=slots(1),
        tables=[Table("T1"), Table("V1", kind=TableKind.VIRTUAL)],
        participants=[
            person("onsite"),
            person("online", Mode.ONLINE),
            person("both", Mode.BOTH),
            person("other"),
        ],
        requests=[
            Request("r1", ("online", "both")),
            Request("r2", ("onsite", "online")),
            Request("r3", ("both", "other"), mode=Requirement.ONLINE),
        ],
    )
    solution = schedule(problem)
    assert_valid(problem, solution)
    assert solution.assignments == {"r1": (0, "V1")}
    assert solution.unscheduled["r2"].reason == Reason.NO_COMPATIBLE_TABLE
    assert solution.unscheduled["r3"].reason == Reason.NO_COMPATIBLE_TABLE


def test_explanations():
    problem = Problem(
        slots=slots(2),
        tables=[Table("T1"), Table("T2")],
        participants=[
            person("busy", busy=[0, 1]),
            person("star"),
            person("x"),
            person("y"),
            person("z"),
            person("early", busy=[1]),
            person("late", busy=[0]),
        ],
        requests=[
            Request("r1", ("x", "busy")),
            Request("r2", ("early", "late")),
            Request("r3", ("x", "star")),
            Request("r4", ("y", "star")),
            Request("r5", ("z", "star")),
        ],
    )
    solution = schedule(problem)
    assert_valid(problem, solution)
    reasons = solution.unscheduled
    assert (reasons["r1"].reason, reasons["r1"].party_id) == (Reason.NO_FREE_SLOT, "busy")
    assert reasons["r2"].reason == Reason.NO_COMMON_SLOT
    lost = [r for r in ("r3", "r4", "r5") if r in reasons]
    assert len(lost) == 1  # the star has two slots for three requests
    assert (reasons[lost[0]].reason, reasons[lost[0]].party_id) == (Reason.COMPETITION, "star")
    assert solution.per_participant_shortfall["star"].missing == 1
    assert solution.status == "OPTIMAL"


def test_pinned_meetings_stay_unless_replanned():
    problem = Problem(
        slots=slots(2),
        tables=[Table("T1"), Table("T2")],
        participants=[person(p) for p in "abc"],
        requests=[Request("r1", ("a", "b")), Request("r2", ("a", "c")), Request("r3", ("b", "c"))],
        # r1 confirmed in slot 1 on T2 although slot 0 was free
        pinned=[PinnedMeeting("r1", 1, "T2")],
    )
    solution = schedule(problem)
    assert_valid(problem, solution)
    assert solution.assignments["r1"] == (1, "T2")
    # a triangle in two slots: two meetings at most, whatever is pinned
    assert solution.scheduled == 2

    problem.pinned = [PinnedMeeting("r1", 1, "T2"), PinnedMeeting("r3", 0, "T1")]
    # the pinned meetings leave r2 (a and c) no slot; a full re-plan may move them
    solution = schedule(problem)
    assert set(solution.assignments) == {"r1", "r3"}
    problem.requests[1] = Request("r2", ("a", "c"), priority=5)
    solution = schedule(problem)
    assert set(solution.assignments) == {"r1", "r3"}
    problem.replan = True
    solution = schedule(problem)
    assert_valid(problem, solution)
    assert "r2" in solution.assignments


def test_conflicting_pins_are_refused():
    problem = Problem(
        slots=slots(1),
        tables=[Table("T1"), Table("T2")],
        participants=[person(p) for p in "abc"],
        requests=[Request("r1", ("a", "b")), Request("r2", ("a", "c"))],
        pinned=[PinnedMeeting("r1", 0, "T1"), PinnedMeeting("r2", 0, "T2")],
    )
    with pytest.raises(ValueError, match="another meeting"):
        schedule(problem)
    problem.pinned = [PinnedMeeting("r1", 0, "T1"), PinnedMeeting("r2", 0, "T1")]
    with pytest.raises(ValueError, match="share table"):
        schedule(problem)


def test_bad_problems_are_refused():
    problem = Problem(
        slots=slots(1),
        tables=[Table("T1")],
        participants=[person(p) for p in "ab"],
        requests=[Request("r1", ("a", "b")), Request("r1", ("a", "b"))],
    )
    with pytest.raises(ValueError, match="request ids"):
        schedule(problem)
    problem.requests = [Request("r1", ("a", "a"))]
    with pytest.raises(ValueError, match="same party"):
        schedule(problem)
    problem.requests = [Request("r1", ("a", "nobody"))]
    with pytest.raises(ValueError, match="unknown party"):
        schedule(problem)
    problem.requests = [Request("r1", ("a", "b"))]
    problem.pinned = [PinnedMeeting("r1", 7, "T1")]
    with pytest.raises(ValueError, match="unknown slot"):
        schedule(problem)


def test_pinned_meeting_now_during_a_session_stays_with_a_warning():
    problem = Problem(
        slots=slots(2),
        tables=[Table("T1")],
        participants=[person("a", busy=[0]), person("b")],
        requests=[Request("r1", ("a", "b"))],
        pinned=[PinnedMeeting("r1", 0, "T1")],
    )
    solution = schedule(problem)
    assert solution.assignments == {"r1": (0, "T1")}
    assert any("now busy" in warning for warning in solution.warnings)


def test_greedy_is_first_come_first_served():
    problem = Problem(
        slots=slots(1),
        tables=[Table("T1")],
        participants=[person(p) for p in "abcd"],
        requests=[Request("r1", ("a", "b")), Request("r2", ("c", "d"), priority=3)],
    )
    solution = schedule(problem)
    assert (solution.greedy_scheduled, solution.greedy_weighted) == (1, 1)
    assert solution.assignments == {"r2": (0, "T1")}  # the priority wins over the order
    assert solution.unscheduled["r1"].reason == Reason.COMPETITION
    assert solution.unscheduled["r1"].party_id is None  # the table was taken


def test_idle_gaps_are_closed_without_losing_meetings():
    # first come, first served puts a's meetings in slots 0 and 2 (b is busy in 1)
    problem = Problem(
        slots=slots(4),
        tables=[Table("T1")],
        participants=[person("a"), person("b", busy=[1]), person("c")],
        requests=[Request("r1", ("a", "b")), Request("r2", ("a", "c"))],
    )
    solution = schedule(problem)
    assert solution.greedy_scheduled == 2
    assert solution.scheduled == 2
    assert solution.idle_gaps == 0
    assert solution.gaps_status == "OPTIMAL"


def brute_force(problem: Problem):
    """The lexicographic optimum (weight, then fewest idle slots) over every
    assignment of each request to a (slot, table) or to nothing."""
    instance = Instance(problem)
    choices = [None] + [(s.index, t.id) for s in problem.slots for t in problem.tables]
    best = None
    for combo in itertools.product(choices, repeat=len(problem.requests)):
        taken_party, taken_table, weight, assignments = set(), set(), 0, {}
        ok = True
        for request, choice in zip(problem.requests, combo, strict=True):
            if choice is None:
                continue
            slot, table_id = choice
            table = instance.tables[table_id]
            if (
                (slot, table_id) in taken_table
                or table.kind not in instance.allowed_kinds(request)
                or table.capacity < 2
            ):
                ok = False
                break
            taken_table.add((slot, table_id))
            for party in request.parties:
                if (party, slot) in taken_party or slot in instance.busy[party]:
                    ok = False
                taken_party.add((party, slot))
            if not ok:
                break
            weight += request.priority
            assignments[request.id] = choice
        if ok:
            key = (weight, -idle_gaps(instance, assignments))
            best = key if best is None or key > best else best
    return best


@pytest.mark.parametrize("seed", range(8))
def test_optimal_on_small_instances_like_brute_force(seed):
    rng = random.Random(seed)
    parties = ["a", "b", "c", "d", "e"]
    modes = [Mode.ON_SITE, Mode.ON_SITE, Mode.BOTH, Mode.ONLINE]
    problem = Problem(
        slots=slots(4, per_period=4),
        tables=[Table("T1"), Table("V1", kind=TableKind.VIRTUAL)],
        participants=[
            person(p, rng.choice(modes), busy=rng.sample(range(4), rng.randint(0, 2)))
            for p in parties
        ],
        requests=[
            Request(f"r{n}", tuple(pair), priority=rng.randint(1, 3))
            for n, pair in enumerate(rng.sample(list(itertools.combinations(parties, 2)), 5))
        ],
        time_limit=5,
        seed=seed,
    )
    solution = schedule(problem)
    assert_valid(problem, solution)
    assert solution.status == "OPTIMAL"
    assert solution.gaps_status in ("OPTIMAL", "NOT_RUN")
    assert (solution.weighted, -solution.idle_gaps) == brute_force(problem)
    assert solution.bound == solution.weighted


def test_generator_is_reproducible_by_seed():
    first = generate(participants=200, requests=800, slots=12, tables=20, seed=5)
    again = generate(participants=200, requests=800, slots=12, tables=20, seed=5)
    other = generate(participants=200, requests=800, slots=12, tables=20, seed=6)
    assert first == again
    assert first.requests != other.requests
    assert len(first.participants) == 200
    assert len(first.requests) == 800
    assert len({frozenset(r.parties) for r in first.requests}) == 800
    # skew: the most requested party gets far more than the average
    received = defaultdict(int)
    for request in first.requests:
        received[request.parties[1]] += 1
    parties = len({p.party_id for p in first.participants})
    assert max(received.values()) > 5 * len(first.requests) / parties
    assert any(p.busy for p in first.participants)
    assert {t.kind for t in first.tables} == {TableKind.ON_SITE, TableKind.VIRTUAL}


def test_local_searches_keep_schedules_valid():
    import time

    from municipia.networking.scheduler.placement import (
        board_with_pinned,
        compact,
        deal_tables,
        greedy_placement,
        insert_more,
    )

    problem = generate(participants=120, requests=600, slots=12, tables=40, seed=8)
    instance = Instance(problem)
    board = board_with_pinned(instance)
    greedy = greedy_placement(instance, board)
    more = insert_more(instance, board, greedy, time.perf_counter() + 10)
    assert set(greedy) <= set(more)  # insertion never drops a meeting
    assert len(more) > len(greedy)
    tighter = compact(instance, board, more, time.perf_counter() + 10)
    assert set(tighter) == set(more)
    for placed in (more, tighter):
        assignments = deal_tables(instance, board, placed)
        assert_valid(
            problem,
            type(
                "S",
                (),
                {
                    "assignments": assignments,
                    "scheduled": len(assignments),
                    "weighted": 0,
                    "bound": 0,
                    "unscheduled": {
                        r.id: None for r in problem.requests if r.id not in assignments
                    },
                },
            )(),
        )
    assert idle_gaps(instance, deal_tables(instance, board, tighter)) < idle_gaps(
        instance, deal_tables(instance, board, more)
    )


def test_bound_comes_from_the_relaxation_on_generated_instances():
    problem = generate(participants=100, requests=500, slots=12, tables=30, seed=2, time_limit=4)
    solution = schedule(problem)
    assert solution.lp_bound is not None
    assert solution.weighted <= solution.bound <= solution.lp_bound
    # far below the trivial bound of every table full in every slot
    assert solution.bound < len(problem.tables) * len(problem.slots)
    assert set(solution.stages) >= {"greedy", "relaxation", "warm start"}


def test_bound_above_the_optimum_is_lowered_by_a_proof():
    # Two triangles of requests and one slot: the relaxation meets every pair
    # half (bound 3), but each triangle holds one meeting at a time (2).
    parties = ["a", "b", "c", "d", "e", "f"]
    triangles = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f")]
    problem = Problem(
        slots=slots(1),
        tables=[Table(f"T{n}") for n in range(3)],
        participants=[person(p) for p in parties],
        requests=[Request(f"r{n}", pair) for n, pair in enumerate(triangles)],
        time_limit=5,
    )
    solution = schedule(problem)
    assert_valid(problem, solution)
    assert solution.lp_bound == 3
    assert (solution.scheduled, solution.bound, solution.status) == (2, 2, "OPTIMAL")
    assert "reach the bound" in solution.stages


@pytest.mark.parametrize("seed", range(6))
def test_conditions_of_the_duals_hold_for_the_best_schedules(seed):
    """Every schedule weighing ``target`` satisfies ``Relaxation.conditions``:
    checked on all optimal schedules of small random instances."""
    from municipia.networking.scheduler import relaxation
    from municipia.networking.scheduler.placement import board_with_pinned

    rng = random.Random(seed)
    parties = ["a", "b", "c", "d", "e"]
    problem = Problem(
        slots=slots(3),
        tables=[Table("T1"), Table("T2"), Table("V1", kind=TableKind.VIRTUAL)],
        participants=[person(p, rng.choice(list(Mode))) for p in parties],
        requests=[
            Request(f"r{n}", tuple(pair), priority=rng.randint(1, 2))
            for n, pair in enumerate(rng.sample(list(itertools.combinations(parties, 2)), 6))
        ],
    )
    instance = Instance(problem)
    board = board_with_pinned(instance)
    keys = [
        (request.id, slot, kind)
        for request in problem.requests
        for slot, kind in instance.options(request)
    ]
    relaxed = relaxation.relax(
        [
            (r, instance.requests[r].parties, s, k, instance.requests[r].priority)
            for r, s, k in keys
        ],
        board.capacity,
        5,
    )
    per_request = [
        [None, *(key for key in keys if key[0] == request.id)] for request in problem.requests
    ]
    weight = {}
    for picks in itertools.product(*per_request):
        chosen = frozenset(key for key in picks if key is not None)
        used = defaultdict(int)
        for request_id, slot, kind in chosen:
            for party in instance.requests[request_id].parties:
                used[("party", party, slot)] += 1
            used[("tables", slot, kind)] += 1
        if all(
            count <= (board.capacity[(k[1], k[2])] if k[0] == "tables" else 1)
            for k, count in used.items()
        ):
            weight[chosen] = sum(instance.requests[key[0]].priority for key in chosen)
    best = max(weight.values())
    assert best <= relaxed.bound
    for chosen, value in weight.items():
        if value < best:
            continue
        tight, usable, forced = relaxed.conditions(value)
        rows = defaultdict(int)
        for j, key in enumerate(keys):
            if key in chosen:
                assert usable[j]
                for row in relaxed.row_keys[j]:
                    rows[row] += 1
            else:
                assert not forced[j]
        for row in tight:
            upper = board.capacity[(row[1], row[2])] if row[0] == "tables" else 1
            assert rows[row] == upper
