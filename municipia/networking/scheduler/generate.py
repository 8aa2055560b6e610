"""Reproducible, generated (not real) scheduling instances for tests and the
benchmark, shaped like a networking centre at a congress of the network:

- networking periods of six 20-minute slots, two per day (10:00 and 14:30,
  Brussels time), while the congress runs hour-long sessions in parallel;
  each participant attends some of them (between 10 % and 50 % of the
  session hours, drawn per person) and is busy then; one in ten also blocks
  one slot of their own (given as a time interval, as agendas do);
- 8 % of the organisations come as a delegation of two or three people who
  meet as one party; half the parties are on site only, 10 % online only,
  40 % either (on site, but happy to take a call);
- a tenth of the tables are virtual rooms; a few on-site tables seat four;
- requests are skewed like real ones: who is asked follows a Zipf law over
  the parties (a few mayors and network officers get hundreds of requests),
  who asks is milder; no pair twice; 10 % insist on meeting on site, 5 %
  online; with ``weighted`` the priorities are 1 (70 %), 2 (25 %) or 3.

The same arguments and seed always give the same instance.
"""

from __future__ import annotations

import bisect
import itertools
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .problem import Mode, Participant, Problem, Request, Requirement, Slot, Table, TableKind

SLOTS_PER_PERIOD = 6
SLOT_MINUTES = 20
SESSION_SLOTS = 3  # a session hour covers three meeting slots
PERIOD_STARTS = ((10, 0), (14, 30))
FIRST_DAY = datetime(2026, 5, 12, tzinfo=ZoneInfo("Europe/Brussels"))
UTC = ZoneInfo("UTC")


def generate(
    *,
    participants: int,
    requests: int,
    slots: int,
    tables: int,
    seed: int,
    weighted: bool = False,
    time_limit: float = 10.0,
    workers: int = 2,
) -> Problem:
    """A generated instance (see the module docstring)."""
    if participants < 2 or slots < 1 or tables < 1 or requests < 0:
        raise ValueError("need at least two participants, one slot and one table")
    rng = random.Random(seed)  # noqa: S311 (generated data, not secrets)
    grid = _slots(slots)
    people, parties = _participants(rng, participants, grid)
    pairs = len(parties) * (len(parties) - 1) // 2
    if requests > pairs:
        raise ValueError(f"{len(parties)} parties allow at most {pairs} requests")
    return Problem(
        slots=grid,
        tables=_tables(rng, tables),
        participants=people,
        requests=_requests(rng, parties, requests, weighted),
        time_limit=time_limit,
        workers=workers,
        seed=seed,
    )


def _slots(count: int) -> list[Slot]:
    grid = []
    for index in range(count):
        period, position = divmod(index, SLOTS_PER_PERIOD)
        day, half = divmod(period, len(PERIOD_STARTS))
        hour, minute = PERIOD_STARTS[half]
        local = FIRST_DAY + timedelta(days=day)
        start = local.replace(hour=hour, minute=minute) + timedelta(minutes=position * SLOT_MINUTES)
        grid.append(
            Slot(
                index=index,
                start=start.astimezone(UTC),
                end=(start + timedelta(minutes=SLOT_MINUTES)).astimezone(UTC),
                period=period,
            )
        )
    return grid


def _participants(rng: random.Random, count: int, grid: list[Slot]):
    session_hours = [
        [slot.index for slot in grid[i : i + SESSION_SLOTS]]
        for i in range(0, len(grid), SESSION_SLOTS)
    ]
    people, parties = [], []
    while len(people) < count:
        party = f"p{len(parties)}"
        size = rng.choice((2, 2, 3)) if rng.random() < 0.08 else 1
        size = min(size, count - len(people))
        draw = rng.random()
        mode = Mode.ON_SITE if draw < 0.5 else Mode.ONLINE if draw < 0.6 else Mode.BOTH
        for _ in range(size):
            attendance = rng.uniform(0.1, 0.5)
            busy: list = [i for hour in session_hours if rng.random() < attendance for i in hour]
            if rng.random() < 0.1:
                blocked = rng.choice(grid)
                busy.append((blocked.start, blocked.end))
            people.append(Participant(f"u{len(people)}", party, mode, tuple(busy)))
        parties.append(party)
    return people, parties


def _tables(rng: random.Random, count: int) -> list[Table]:
    virtual = max(1, round(count * 0.1)) if count > 1 else 0
    result = []
    for number in range(count - virtual):
        capacity = 4 if rng.random() < 0.05 else 2
        result.append(Table(f"T{number + 1}", capacity, TableKind.ON_SITE))
    for number in range(virtual):
        result.append(Table(f"V{number + 1}", 2, TableKind.VIRTUAL))
    return result


def _requests(rng: random.Random, parties: list, count: int, weighted: bool) -> list[Request]:
    asked = parties[:]
    rng.shuffle(asked)
    askers = parties[:]
    rng.shuffle(askers)
    asked_weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(asked))))
    asker_weights = list(itertools.accumulate(1 / (rank + 1) ** 0.5 for rank in range(len(askers))))
    seen: set = set()
    result = []
    while len(result) < count:
        target = asked[bisect.bisect(asked_weights, rng.random() * asked_weights[-1])]
        source = askers[bisect.bisect(asker_weights, rng.random() * asker_weights[-1])]
        pair = frozenset((source, target))
        if source == target or pair in seen:
            if len(seen) > 0.5 * len(parties) * (len(parties) - 1) / 2:
                # dense instances: draw uniformly among the pairs left
                source, target = rng.sample(parties, 2)
                pair = frozenset((source, target))
                if pair in seen:
                    continue
            else:
                continue
        seen.add(pair)
        draw = rng.random()
        mode = (
            Requirement.ON_SITE
            if draw < 0.10
            else Requirement.ONLINE
            if draw < 0.15
            else Requirement.ANY
        )
        priority = 1
        if weighted:
            draw = rng.random()
            priority = 1 if draw < 0.7 else 2 if draw < 0.95 else 3
        result.append(Request(f"r{len(result)}", (source, target), priority, mode))
    return result
