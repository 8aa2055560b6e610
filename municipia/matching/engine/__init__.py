"""The pure matching engine (no Django imports): profiles in, explained suggestions out."""

from .core import MatchingEngine
from .model import ScoringModel, fit_scoring_model
from .profiles import (
    DistancePreference,
    OrganisationProfile,
    Reason,
    SearchPreferences,
    Suggestion,
)

__all__ = [
    "DistancePreference",
    "MatchingEngine",
    "OrganisationProfile",
    "Reason",
    "ScoringModel",
    "SearchPreferences",
    "Suggestion",
    "fit_scoring_model",
]
