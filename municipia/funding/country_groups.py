"""Membership of the named country groups on a given date (no Django).

A group is a *versioned list*: today's members come from
`matching.countries.COUNTRY_GROUPS` (one source of truth for the partner
filters and for eligibility), and `CHANGES` records who joined or left and when.
Eligibility is then judged on the date that matters to the call (see
`selectors.eligibility_date`): the United Kingdom was an EU member state for a
call that closed in 2019 and is not for one that closes in 2025; Croatia was a
candidate country until 30 June 2013 and a member state from 1 July 2013.

Sources: https://european-union.europa.eu/principles-countries-history/eu-countries_en,
https://enlargement.ec.europa.eu/enlargement-policy_en.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from municipia.matching.countries import COUNTRY_GROUPS


@dataclass(frozen=True)
class MembershipChange:
    group: str
    country: str
    # First day of membership (None: before any call this platform holds) and first
    # day without it (None: still a member).
    joined_on: datetime.date | None
    left_on: datetime.date | None = None


D = datetime.date
CHANGES: tuple[MembershipChange, ...] = (
    MembershipChange("eu", "GB", None, D(2020, 2, 1)),
    MembershipChange("eu", "HR", D(2013, 7, 1)),
    MembershipChange("candidates", "HR", None, D(2013, 7, 1)),
    MembershipChange("candidates", "MD", D(2022, 6, 23)),
    MembershipChange("candidates", "UA", D(2022, 6, 23)),
    MembershipChange("candidates", "GE", D(2023, 12, 14)),
)


@functools.lru_cache(maxsize=1024)
def members(group: str, on: datetime.date | None = None, *, changes=CHANGES) -> frozenset[str]:
    """The countries of `group` on `on` (today's list when `on` is None).

    Cached: every eligibility check asks for the same few groups on the same day,
    and both the group lists and `CHANGES` are constants of the code.

    An unknown group has no members, so a call naming it admits nobody through it
    rather than everybody."""
    current = set(COUNTRY_GROUPS.get(group, ()))
    if on is None:
        return frozenset(current)
    for change in changes:
        if change.group != group:
            continue
        member = (change.joined_on is None or change.joined_on <= on) and (
            change.left_on is None or on < change.left_on
        )
        if member:
            current.add(change.country)
        else:
            current.discard(change.country)
    return frozenset(current)


def countries_of(groups, countries=(), on: datetime.date | None = None) -> frozenset[str] | None:
    """Every country named directly or through a group; None when neither is given
    (no restriction)."""
    groups, countries = list(groups or ()), list(countries or ())
    if not groups and not countries:
        return None
    result = set(countries)
    for group in groups:
        result |= members(group, on)
    return frozenset(result)
