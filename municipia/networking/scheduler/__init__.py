"""The meeting scheduler of the networking centre: pure Python and OR-Tools
CP-SAT, no Django. ``schedule(problem)`` places accepted meeting requests on
slots and tables; the networking app builds the ``Problem`` from its models
and stores the ``Solution``. ``generate`` builds reproducible test and
benchmark instances."""

from .placement import greedy_placement
from .problem import (
    Instance,
    Mode,
    Participant,
    PinnedMeeting,
    Problem,
    Reason,
    Request,
    Requirement,
    Shortfall,
    Slot,
    Solution,
    Table,
    TableKind,
    Unscheduled,
)
from .solver import schedule

__all__ = [
    "Instance",
    "Mode",
    "Participant",
    "PinnedMeeting",
    "Problem",
    "Reason",
    "Request",
    "Requirement",
    "Shortfall",
    "Slot",
    "Solution",
    "Table",
    "TableKind",
    "Unscheduled",
    "greedy_placement",
    "schedule",
]
