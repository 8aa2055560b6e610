"""Consortium rules and the consortium builder (pure Python, no Django).

`rules` states a call's consortium rules, refuses contradictory ones and checks
any consortium; `solver.propose` finds the best consortium in a candidate pool
(OR-Tools CP-SAT), with alternatives, and says which rule cannot be met when
none exists. The Django side (`municipia.funding.consortium_pool`) builds the
pool from the matching engine. See docs/consortium.md.
"""

from .rules import (
    Candidate,
    ConsortiumRules,
    GroupMinimum,
    RuleProblem,
    RuleViolation,
    check_consortium,
    validate_rules,
)
from .solver import Consortium, Proposal, propose

__all__ = [
    "Candidate",
    "Consortium",
    "ConsortiumRules",
    "GroupMinimum",
    "Proposal",
    "RuleProblem",
    "RuleViolation",
    "check_consortium",
    "propose",
    "validate_rules",
]
