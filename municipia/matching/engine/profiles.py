"""The plain data the engine works on: organisations, what a searcher wants, and
what the engine answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class OrganisationProfile:
    """What the engine knows of one organisation. Missing values are allowed
    everywhere except `id`: the engine scores them neutrally instead of skipping."""

    id: str
    name: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None
    kind: str = ""
    languages: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    sdgs: frozenset[int] = frozenset()
    interests: frozenset[str] = frozenset()
    challenges: tuple[str, ...] = ()
    expertise: tuple[str, ...] = ()
    networks: frozenset[str] = frozenset()
    looking_for_partners: bool = True

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class DistancePreference(StrEnum):
    NEARBY = "nearby"
    CROSS_BORDER = "cross_border"
    ANYWHERE = "anywhere"


@dataclass(frozen=True, slots=True)
class SearchPreferences:
    """Filters and wishes of the organisation that searches."""

    distance: DistancePreference = DistancePreference.ANYWHERE
    countries_wanted: frozenset[str] = frozenset()
    countries_excluded: frozenset[str] = frozenset()
    country_groups_wanted: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    population_min: int | None = None
    population_max: int | None = None
    interests: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason for a suggestion: a signal's code, its contribution to the score,
    and the facts a sentence needs ("Both work on {theme}")."""

    code: str
    weight: float
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Suggestion:
    organisation_id: str
    score: float
    reasons: tuple[Reason, ...]
