"""What the greedy and the solver share: the state left by pinned meetings,
the first-come-first-served placement, the dealing of tables within a slot,
and the measures of a schedule (idle gaps, shortfall, table use, reasons)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from .problem import Instance, Reason, Shortfall, TableKind, Unscheduled


@dataclass
class Board:
    """Who is already in a meeting when, and how many tables of each kind are
    left per slot: the grid after pinned meetings, before the rest."""

    occupied: dict = field(default_factory=lambda: defaultdict(set))  # party -> slot indices
    capacity: dict = field(default_factory=dict)  # (slot, kind) -> tables left
    kept: dict = field(default_factory=dict)  # request id -> (slot, table id) kept as pinned

    def copy(self) -> Board:
        occupied = defaultdict(set, {party: set(s) for party, s in self.occupied.items()})
        return Board(occupied, dict(self.capacity), dict(self.kept))

    def fits(self, a: Hashable, b: Hashable, slot: int, kind: TableKind) -> bool:
        return (
            slot not in self.occupied[a]
            and slot not in self.occupied[b]
            and self.capacity.get((slot, kind), 0) > 0
        )

    def place(self, a: Hashable, b: Hashable, slot: int, kind: TableKind) -> None:
        self.occupied[a].add(slot)
        self.occupied[b].add(slot)
        self.capacity[(slot, kind)] -= 1


def board_with_pinned(instance: Instance) -> Board:
    """The grid with the pinned meetings in place. Pinned meetings are
    confirmed: two of them on one table or one party at once is an error of
    the caller; a pinned meeting that has since become impossible (a new
    session in an agenda) stays and is reported in ``instance.warnings``."""
    problem = instance.problem
    board = Board()
    board.capacity = {key: len(ids) for key, ids in instance.open_tables.items()}
    if problem.replan:
        return board
    taken_tables: dict[tuple[int, Hashable], Hashable] = {}
    for pin in problem.pinned:
        request = instance.requests.get(pin.request_id)
        if request is None:
            raise ValueError(f"pinned meeting of unknown request {pin.request_id}")
        if pin.slot not in instance.slot_by_index:
            raise ValueError(f"pinned meeting {pin.request_id}: unknown slot {pin.slot}")
        table = instance.tables.get(pin.table)
        if table is None:
            raise ValueError(f"pinned meeting {pin.request_id}: unknown table {pin.table}")
        if pin.request_id in board.kept:
            raise ValueError(f"request {pin.request_id} pinned twice")
        if (pin.slot, pin.table) in taken_tables:
            other = taken_tables[(pin.slot, pin.table)]
            raise ValueError(
                f"pinned meetings {other} and {pin.request_id} share table {pin.table}"
            )
        taken_tables[(pin.slot, pin.table)] = pin.request_id
        for party in request.parties:
            if pin.slot in board.occupied[party]:
                raise ValueError(
                    f"pinned meeting {pin.request_id}: party {party} has another meeting then"
                )
            board.occupied[party].add(pin.slot)
            if pin.slot in instance.busy[party]:
                instance.warnings.append(
                    f"pinned meeting {pin.request_id}: party {party} is now busy in slot {pin.slot}"
                )
        kind = TableKind(table.kind)
        if kind not in instance.allowed_kinds(request):
            instance.warnings.append(
                f"pinned meeting {pin.request_id}: table {pin.table} does not suit its mode"
            )
        key = (pin.slot, kind)
        if pin.table in instance.open_tables.get(key, ()):
            board.capacity[key] -= 1
        else:
            instance.warnings.append(
                f"pinned meeting {pin.request_id}: table {pin.table} is closed in slot {pin.slot}"
            )
        board.kept[pin.request_id] = (pin.slot, pin.table)
    return board


def greedy_placement(instance: Instance, board: Board) -> dict:
    """First come, first served: each request in turn, earliest slot (and
    on-site before virtual) where both parties are free and a table is left.
    What tools without an optimiser do; the baseline and the solver's warm
    start. In a full re-plan, previously pinned requests go first at their old
    slot when it still fits. Returns request id -> (slot, kind)."""
    board = board.copy()
    placed: dict = {}
    order = list(instance.problem.requests)
    if instance.problem.replan and instance.problem.pinned:
        previous = {pin.request_id: pin for pin in instance.problem.pinned}
        order.sort(key=lambda request: request.id not in previous)
        for request in order:
            pin = previous.get(request.id)
            table = instance.tables.get(pin.table) if pin else None
            if table is None:
                continue
            a, b = request.parties
            kind = TableKind(table.kind)
            if (pin.slot, kind) in instance.options(request) and board.fits(a, b, pin.slot, kind):
                board.place(a, b, pin.slot, kind)
                placed[request.id] = (pin.slot, kind)
    return _first_come_first_served(instance, board, placed, order)


def _first_come_first_served(instance: Instance, board: Board, placed: dict, order) -> dict:
    """Each request of ``order`` not yet placed at its earliest fitting place."""
    for request in order:
        if request.id in board.kept or request.id in placed:
            continue
        a, b = request.parties
        for slot, kind in instance.options(request):
            if board.fits(a, b, slot, kind):
                board.place(a, b, slot, kind)
                placed[request.id] = (slot, kind)
                break
    return placed


def deal_tables(instance: Instance, board: Board, placed: dict) -> dict:
    """Give each placed meeting a table of its kind. Exact because tables of
    a kind are interchangeable and the slot model never places more meetings
    of a kind in a slot than tables are open. A party keeps the table of its
    previous meeting when it is free, so people move less between meetings."""
    assignments = dict(board.kept)
    by_slot: dict[int, list] = defaultdict(list)
    for request_id, (slot, kind) in placed.items():
        by_slot[slot].append((request_id, kind))
    last_table: dict[Hashable, Hashable] = {}
    pinned_at: dict[int, set] = defaultdict(set)
    for slot, table_id in board.kept.values():
        pinned_at[slot].add(table_id)
    kept_by_slot: dict[int, list] = defaultdict(list)
    for request_id, (slot, table_id) in board.kept.items():
        kept_by_slot[slot].append((request_id, table_id))
    for slot in instance.slot_indices:
        for request_id, table_id in kept_by_slot[slot]:
            for party in instance.requests[request_id].parties:
                last_table[party] = table_id
        meetings = sorted(by_slot.get(slot, ()), key=lambda item: str(item[0]))
        free = {
            kind: [
                table_id
                for table_id in instance.open_tables.get((slot, kind), ())
                if table_id not in pinned_at[slot]
            ]
            for kind in TableKind
        }
        waiting = []
        for request_id, kind in meetings:
            parties = instance.requests[request_id].parties
            wish = next((last_table[p] for p in parties if last_table.get(p) in free[kind]), None)
            if wish is None:
                waiting.append((request_id, kind))
                continue
            free[kind].remove(wish)
            assignments[request_id] = (slot, wish)
        for request_id, kind in waiting:
            assignments[request_id] = (slot, free[kind].pop(0))
        for request_id, _kind in meetings:
            for party in instance.requests[request_id].parties:
                last_table[party] = assignments[request_id][1]
    return assignments


def party_slots(instance: Instance, assignments: dict) -> dict:
    slots: dict[Hashable, set] = defaultdict(set)
    for request_id, (slot, _table) in assignments.items():
        for party in instance.requests[request_id].parties:
            slots[party].add(slot)
    return slots


def periods(instance: Instance) -> list[list[int]]:
    """Slot indices of each networking period, in time order."""
    grouped: dict = {}
    for index in instance.slot_indices:
        grouped.setdefault(instance.slot_by_index[index].period, []).append(index)
    return list(grouped.values())


def idle_gaps(instance: Instance, assignments: dict) -> int:
    """Free slots (neither in a meeting nor busy) between a party's first and
    last meeting of a period, summed over parties and periods."""
    total = 0
    grouped = periods(instance)
    for party, meeting_slots in party_slots(instance, assignments).items():
        busy = instance.busy[party]
        for period in grouped:
            inside = [i for i, index in enumerate(period) if index in meeting_slots]
            if len(inside) < 2:
                continue
            total += sum(
                1
                for index in period[inside[0] : inside[-1] + 1]
                if index not in meeting_slots and index not in busy
            )
    return total


def weighted(instance: Instance, assignments: dict) -> int:
    return sum(instance.requests[request_id].priority for request_id in assignments)


def shortfall(instance: Instance, assignments: dict) -> dict:
    requested: Counter = Counter()
    scheduled: Counter = Counter()
    for request in instance.problem.requests:
        requested.update(request.parties)
        if request.id in assignments:
            scheduled.update(request.parties)
    return {party: Shortfall(requested[party], scheduled[party]) for party in requested}


def table_use(instance: Instance, assignments: dict) -> dict:
    use = {table.id: 0 for table in instance.problem.tables}
    for _slot, table_id in assignments.values():
        use[table_id] += 1
    return use


def explain(instance: Instance, assignments: dict) -> dict:
    """Why each request without a slot got none. The first three reasons
    hold whatever else is scheduled; COMPETITION names the party whose other
    meetings took most of the possible slots (None: the tables were full)."""
    taken = party_slots(instance, assignments)
    tables_left = {key: len(ids) for key, ids in instance.open_tables.items()}
    for slot, table_id in assignments.values():
        key = (slot, TableKind(instance.tables[table_id].kind))
        if key in tables_left:
            tables_left[key] -= 1
    reasons = {}
    for request in instance.problem.requests:
        if request.id in assignments:
            continue
        a, b = request.parties
        free_a, free_b = set(instance.free_slots(a)), set(instance.free_slots(b))
        if not free_a or not free_b:
            reasons[request.id] = Unscheduled(Reason.NO_FREE_SLOT, a if not free_a else b)
            continue
        if not free_a & free_b:
            reasons[request.id] = Unscheduled(Reason.NO_COMMON_SLOT)
            continue
        options = instance.options(request)
        if not options:
            reasons[request.id] = Unscheduled(Reason.NO_COMPATIBLE_TABLE)
            continue
        blocking: Counter = Counter()
        for slot, _kind in options:
            for party in (a, b):
                if slot in taken.get(party, ()):
                    blocking[party] += 1
        party = blocking.most_common(1)[0][0] if blocking else None
        reasons[request.id] = Unscheduled(Reason.COMPETITION, party)
    return reasons


def guided_placement(instance: Instance, board: Board, ranked: list) -> dict:
    """Place ``(request id, slot, kind)`` options in the given order (the
    LP relaxation's most confident first), skipping what no longer fits,
    then the rest first come, first served. A warm start for the solver."""
    board = board.copy()
    placed: dict = {}
    for request_id, slot, kind in ranked:
        if request_id in placed:
            continue
        a, b = instance.requests[request_id].parties
        if board.fits(a, b, slot, kind):
            board.place(a, b, slot, kind)
            placed[request_id] = (slot, kind)
    return _first_come_first_served(instance, board, placed, instance.problem.requests)


def compact(instance: Instance, board: Board, placed: dict, deadline: float) -> dict:
    """Local search on idle gaps: move single meetings to another slot where
    both parties are free and a table is left, whenever that shortens the
    two parties' idle time, until no move helps (or ``deadline``, a
    ``time.perf_counter()`` value). Keeps every meeting, so the weighted
    number of meetings is unchanged; the solver's second solve starts here."""
    import time

    board = board.copy()
    placed = dict(placed)
    for slot, kind in placed.values():
        board.capacity[(slot, kind)] -= 1
    for request_id, (slot, _kind) in placed.items():
        for party in instance.requests[request_id].parties:
            board.occupied[party].add(slot)
    period_of = {}
    for period in periods(instance):
        for index in period:
            period_of[index] = period

    def gaps(party, period):
        taken = board.occupied[party]
        inside = [i for i, index in enumerate(period) if index in taken]
        if len(inside) < 2:
            return 0
        busy = instance.busy[party]
        return sum(
            1
            for index in period[inside[0] : inside[-1] + 1]
            if index not in taken and index not in busy
        )

    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for request_id in list(placed):
            slot, kind = placed[request_id]
            a, b = instance.requests[request_id].parties
            for new_slot, new_kind in instance.options(instance.requests[request_id]):
                if new_slot == slot or not board.fits(a, b, new_slot, new_kind):
                    continue
                touched = {id(period_of[slot]): period_of[slot]}
                touched[id(period_of[new_slot])] = period_of[new_slot]
                before = sum(gaps(p, period) for p in (a, b) for period in touched.values())
                for party in (a, b):
                    board.occupied[party].discard(slot)
                    board.occupied[party].add(new_slot)
                after = sum(gaps(p, period) for p in (a, b) for period in touched.values())
                if after < before:
                    board.capacity[(slot, kind)] += 1
                    board.capacity[(new_slot, new_kind)] -= 1
                    placed[request_id] = (new_slot, new_kind)
                    improved = True
                    break
                for party in (a, b):
                    board.occupied[party].discard(new_slot)
                    board.occupied[party].add(slot)
    return placed


def insert_more(instance: Instance, board: Board, placed: dict, deadline: float) -> dict:
    """Local search on the number of meetings: place each request without a
    slot where it fits, or where the meetings blocking it (of either party, or
    on the last table of the kind) can move to other slots. Nothing is ever
    removed, so each step gains the request's priority. Requests of higher
    priority, then earlier ones, come first."""
    import time

    board = board.copy()
    pinned = defaultdict(set, {party: set(slots) for party, slots in board.occupied.items()})
    placed = dict(placed)
    occupant: dict = {}  # (party, slot) -> request id
    at: dict = defaultdict(list)  # (slot, kind) -> request ids
    for request_id, (slot, kind) in placed.items():
        board.capacity[(slot, kind)] -= 1
        at[(slot, kind)].append(request_id)
        for party in instance.requests[request_id].parties:
            board.occupied[party].add(slot)
            occupant[(party, slot)] = request_id

    def put(request_id, slot, kind):
        placed[request_id] = (slot, kind)
        board.capacity[(slot, kind)] -= 1
        at[(slot, kind)].append(request_id)
        for party in instance.requests[request_id].parties:
            board.occupied[party].add(slot)
            occupant[(party, slot)] = request_id

    def take(request_id):
        slot, kind = placed.pop(request_id)
        board.capacity[(slot, kind)] += 1
        at[(slot, kind)].remove(request_id)
        for party in instance.requests[request_id].parties:
            board.occupied[party].discard(slot)
            del occupant[(party, slot)]
        return slot, kind

    def relocate(request_id, avoid):
        """Move a meeting to any other place it fits; False if none."""
        slot, kind = take(request_id)
        a, b = instance.requests[request_id].parties
        for option in instance.options(instance.requests[request_id]):
            if option != (slot, kind) and option[0] not in avoid and board.fits(a, b, *option):
                put(request_id, *option)
                return True
        put(request_id, slot, kind)
        return False

    order = {request.id: n for n, request in enumerate(instance.problem.requests)}
    waiting = sorted(
        (r for r in instance.problem.requests if r.id not in placed and r.id not in board.kept),
        key=lambda r: (-r.priority, order[r.id]),
    )
    gained = True
    while gained and time.perf_counter() < deadline:
        gained = False
        still = []
        for request in waiting:
            if time.perf_counter() >= deadline:
                still.append(request)
                continue
            a, b = request.parties
            done = False
            for slot, kind in instance.options(request):
                if slot in pinned[a] or slot in pinned[b]:
                    continue
                blockers = {occupant.get((a, slot)), occupant.get((b, slot))} - {None}
                if blockers:
                    frees_table = any(placed[other] == (slot, kind) for other in blockers)
                    if board.capacity.get((slot, kind), 0) > 0 or frees_table:
                        # every blocking meeting must move; one moved in vain
                        # has only changed slot
                        for other in sorted(blockers, key=str):
                            if not relocate(other, avoid=(slot,)):
                                break
                elif board.capacity.get((slot, kind), 0) == 0:
                    # the last table of the kind: move one of its meetings elsewhere
                    any(relocate(other, avoid=(slot,)) for other in list(at[(slot, kind)])[:8])
                if board.fits(a, b, slot, kind):
                    put(request.id, slot, kind)
                    done = True
                    break
            if done:
                gained = True
            else:
                still.append(request)
        waiting = still
    return placed
