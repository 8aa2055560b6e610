"""What the scheduler is given and what it returns: plain dataclasses, no Django.

Vocabulary:
- a *party* is who meets: one participant, or a delegation (several
  participants of one organisation sharing a ``party_id``) meeting as one. All
  members of a delegation attend its meetings, so a party is busy in a slot when
  any member is busy, and can meet on site (or online) only when every member
  can.
- a *slot* is one meeting time of the grid; slots of one networking *period*
  (e.g. "Tuesday afternoon") are consecutive, and idle gaps are counted within
  a period.
- a *table* is a meeting point on site or a virtual room online; it hosts one
  meeting at a time. Its capacity is the number of parties it seats (2 for a
  bilateral meeting); a table seating fewer than two parties cannot be used.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Mode(StrEnum):
    """How a participant takes part in the networking centre."""

    ON_SITE = "on_site"
    ONLINE = "online"
    BOTH = "both"


class TableKind(StrEnum):
    ON_SITE = "on_site"
    VIRTUAL = "virtual"


class Requirement(StrEnum):
    """Where a request asks to meet; ANY lets the scheduler choose."""

    ANY = "any"
    ON_SITE = "on_site"
    ONLINE = "online"


class Reason(StrEnum):
    """Why an accepted request got no slot (checked in this order)."""

    NO_FREE_SLOT = "no_free_slot"  # one party is busy (or full of pinned meetings) in every slot
    NO_COMMON_SLOT = "no_common_slot"  # both have free slots, never the same ones
    NO_COMPATIBLE_TABLE = "no_compatible_table"  # modes exclude every table open then
    COMPETITION = "competition"  # possible, but the slots went to other meetings


MEETING_SIZE = 2  # parties in a bilateral meeting

_MODE_KINDS = {
    Mode.ON_SITE: frozenset({TableKind.ON_SITE}),
    Mode.ONLINE: frozenset({TableKind.VIRTUAL}),
    Mode.BOTH: frozenset({TableKind.ON_SITE, TableKind.VIRTUAL}),
}
_REQUIREMENT_KINDS = {
    Requirement.ANY: frozenset({TableKind.ON_SITE, TableKind.VIRTUAL}),
    Requirement.ON_SITE: frozenset({TableKind.ON_SITE}),
    Requirement.ONLINE: frozenset({TableKind.VIRTUAL}),
}


@dataclass(frozen=True)
class Slot:
    """One meeting time; ``start``/``end`` are aware datetimes (or any ordered
    values, as in tests); ``period`` names the networking period it belongs to."""

    index: int
    start: Any
    end: Any
    period: Hashable = 0


@dataclass(frozen=True)
class Table:
    id: Hashable
    capacity: int = MEETING_SIZE
    kind: TableKind = TableKind.ON_SITE
    closed: frozenset[int] = frozenset()  # slot indices when the table is not available


@dataclass(frozen=True)
class Participant:
    """``busy`` holds slot indices and/or ``(start, end)`` intervals (sessions
    of the participant's agenda, blocked times)."""

    id: Hashable
    party_id: Hashable
    mode: Mode = Mode.ON_SITE
    busy: tuple = ()


@dataclass(frozen=True)
class Request:
    """An accepted meeting request between two parties. ``priority`` weighs
    it in the objective; requests earlier in ``Problem.requests`` came first
    (the greedy baseline places them in that order)."""

    id: Hashable
    parties: tuple[Hashable, Hashable]
    priority: int = 1
    mode: Requirement = Requirement.ANY


@dataclass(frozen=True)
class PinnedMeeting:
    """A meeting already confirmed: kept at this slot and table by an
    incremental run."""

    request_id: Hashable
    slot: int
    table: Hashable


@dataclass
class Problem:
    slots: list[Slot]
    tables: list[Table]
    participants: list[Participant]
    requests: list[Request]
    pinned: list[PinnedMeeting] = field(default_factory=list)
    time_limit: float = 10.0
    workers: int = 2
    seed: int = 0
    replan: bool = False  # True: pinned meetings are only a hint, everything may move
    minimise_gaps: bool = True


@dataclass(frozen=True)
class Unscheduled:
    reason: Reason
    party_id: Hashable | None = None  # the party concerned, for NO_FREE_SLOT


@dataclass(frozen=True)
class Shortfall:
    requested: int
    scheduled: int

    @property
    def missing(self) -> int:
        return self.requested - self.scheduled


@dataclass
class Solution:
    assignments: dict  # request id -> (slot index, table id)
    scheduled: int  # number of meetings
    weighted: int  # sum of the priorities of the meetings (the objective)
    bound: float  # proven upper bound on ``weighted``: the lower of CP-SAT's
    # BestObjectiveBound and the floor of the linear relaxation
    status: str  # OPTIMAL, FEASIBLE (time limit reached), GREEDY (solver found nothing better)
    seconds: float
    greedy_scheduled: int
    greedy_weighted: int
    unscheduled: dict  # request id -> Unscheduled
    per_participant_shortfall: dict  # party id -> Shortfall (parties with requests only)
    table_use: dict  # table id -> number of meetings
    idle_gaps: int  # idle slots between meetings, summed over parties and periods
    lp_bound: float | None = None  # bound of the linear relaxation, part of ``bound``
    # the second solve: OPTIMAL (fewest idle slots for this number of meetings),
    # FEASIBLE (improved, time limit), LOCAL_SEARCH (only single moves had time)
    gaps_status: str = "NOT_RUN"
    warnings: list[str] = field(default_factory=list)
    stages: dict = field(default_factory=dict)  # seconds spent per step

    @property
    def optimal(self) -> bool:
        return self.status == "OPTIMAL"

    @property
    def ratio_to_bound(self) -> float:
        return self.weighted / self.bound if self.bound else 1.0


class Instance:
    """The problem digested once: free slots and table kinds of each party,
    open tables per slot and kind. Shared by the greedy, the solver and the
    explanations so that they agree on what is feasible."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.warnings: list[str] = []
        self.slot_indices = sorted(slot.index for slot in problem.slots)
        if len(set(self.slot_indices)) != len(self.slot_indices):
            raise ValueError("slot indices must be unique")
        self.slot_by_index = {slot.index: slot for slot in problem.slots}
        self.requests = {request.id: request for request in problem.requests}
        if len(self.requests) != len(problem.requests):
            raise ValueError("request ids must be unique")

        members: dict[Hashable, list[Participant]] = {}
        for participant in problem.participants:
            members.setdefault(participant.party_id, []).append(participant)
        self.members = members
        self.busy: dict[Hashable, frozenset[int]] = {
            party: frozenset().union(*(self._busy_slots(p) for p in people))
            for party, people in members.items()
        }
        self.kinds: dict[Hashable, frozenset[TableKind]] = {
            party: frozenset.intersection(*(_MODE_KINDS[Mode(p.mode)] for p in people))
            for party, people in members.items()
        }

        self.tables = {table.id: table for table in problem.tables}
        usable = []
        for table in problem.tables:
            if table.capacity < MEETING_SIZE:
                self.warnings.append(f"table {table.id} seats {table.capacity}: not used")
            else:
                usable.append(table)
        self.usable_tables = usable
        # Tables of one kind are interchangeable, so the slot model only needs
        # how many are open per slot and kind; tables are dealt out afterwards.
        self.open_tables: dict[tuple[int, TableKind], list[Hashable]] = {}
        for index in self.slot_indices:
            for table in usable:
                if index not in table.closed:
                    self.open_tables.setdefault((index, TableKind(table.kind)), []).append(table.id)

        for request in problem.requests:
            a, b = request.parties
            if a == b:
                raise ValueError(f"request {request.id} has the same party twice")
            for party in (a, b):
                if party not in members:
                    raise ValueError(f"request {request.id}: unknown party {party}")

    def _busy_slots(self, participant: Participant) -> frozenset[int]:
        busy = set()
        for item in participant.busy:
            if isinstance(item, int):
                busy.add(item)
                continue
            start, end = item
            busy.update(
                slot.index for slot in self.problem.slots if start < slot.end and end > slot.start
            )
        return frozenset(busy)

    def allowed_kinds(self, request: Request) -> frozenset[TableKind]:
        a, b = request.parties
        return _REQUIREMENT_KINDS[Requirement(request.mode)] & self.kinds[a] & self.kinds[b]

    def free_slots(self, party: Hashable) -> list[int]:
        busy = self.busy[party]
        return [index for index in self.slot_indices if index not in busy]

    def options(self, request: Request) -> list[tuple[int, TableKind]]:
        """Every (slot, table kind) where the request could take place if
        nothing else were scheduled."""
        a, b = request.parties
        kinds = self.allowed_kinds(request)
        busy = self.busy[a] | self.busy[b]
        return [
            (index, kind)
            for index in self.slot_indices
            if index not in busy
            for kind in sorted(kinds)
            if (index, kind) in self.open_tables
        ]
