"""Weights of the signals: hand-set defaults, or fitted on recorded partnerships
(and swipe outcomes), by a pairwise ranker or pointwise logistic regression,
versioned with their evaluation."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

import numpy as np
from sklearn.linear_model import LogisticRegression

from .features import FEATURES

# Hand-set weights, used until enough partnerships are recorded to fit them.
# Content first (shared challenges, complementary expertise, themes), then fit,
# then network ties. On signals scaled roughly 0..1 (log1p for counts).
DEFAULT_WEIGHTS = {
    "shared_challenges": 2.0,
    "expertise_for_a": 2.5,
    "expertise_for_b": 1.5,
    "same_working_group": 1.5,
    "same_community": 0.5,
    "shared_sdgs": 0.5,
    "shared_interests": 1.0,
    "shared_languages": 0.5,
    "similar_size": 0.7,
    "nearness": 0.3,
    "closeness": 0.0,
    "across_border_nearby": 0.1,
    "near_partners": 0.3,
    "same_country": 0.0,
    "country_affinity": 0.3,
    "common_partners": 0.6,
    "partners_of_partners": 0.8,
    "shared_networks": 0.6,
    "candidate_partners": 0.0,
    "same_kind": 0.2,
}


@dataclass(frozen=True)
class ScoringModel:
    """A linear model over the signals: score = intercept + Σ weight·(signal − mean)/scale."""

    weights: tuple[float, ...]
    means: tuple[float, ...] = tuple(0.0 for _ in FEATURES)
    scales: tuple[float, ...] = tuple(1.0 for _ in FEATURES)
    intercept: float = 0.0
    source: str = "hand-set"
    evaluation: dict = field(default_factory=dict)

    @classmethod
    def default(cls) -> ScoringModel:
        return cls(weights=tuple(DEFAULT_WEIGHTS[name] for name in FEATURES))

    @property
    def version(self) -> str:
        """A content hash: two models with the same parameters have the same version."""
        payload = json.dumps(
            [self.weights, self.means, self.scales, self.intercept], sort_keys=True
        ).encode()
        return hashlib.sha256(payload).hexdigest()[:12]

    def contributions(self, signals: np.ndarray) -> np.ndarray:
        """Per-signal contribution to the score, shape like `signals`."""
        return (
            (signals - np.asarray(self.means)) / np.asarray(self.scales) * np.asarray(self.weights)
        )

    def score(self, signals: np.ndarray) -> np.ndarray:
        centred = (signals - np.asarray(self.means, dtype=np.float32)) / np.asarray(
            self.scales, dtype=np.float32
        )
        return centred @ np.asarray(self.weights, dtype=np.float32) + self.intercept

    def to_dict(self) -> dict:
        data = asdict(self)
        data["features"] = list(FEATURES)
        data["version"] = self.version
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ScoringModel:
        features = data.get("features", list(FEATURES))
        lookup = dict(zip(features, data["weights"], strict=True))
        means = dict(zip(features, data["means"], strict=True))
        scales = dict(zip(features, data["scales"], strict=True))
        return cls(
            weights=tuple(lookup.get(f, 0.0) for f in FEATURES),
            means=tuple(means.get(f, 0.0) for f in FEATURES),
            scales=tuple(scales.get(f, 1.0) for f in FEATURES),
            intercept=data.get("intercept", 0.0),
            source=data.get("source", "fitted"),
            evaluation=data.get("evaluation", {}),
        )


def fit_scoring_model(
    positives: np.ndarray,
    negatives: np.ndarray,
    *,
    regularisation: float = 1.0,
    source: str = "fitted",
) -> ScoringModel:
    """Logistic regression of "became partners" on the signals.

    `positives` and `negatives` are signal rows (n, len(FEATURES)). Constant
    signals (e.g. no text in the data) get weight 0 instead of noise."""
    x = np.vstack([positives, negatives]).astype(np.float64)
    y = np.concatenate([np.ones(len(positives)), np.zeros(len(negatives))])
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    constant = scales < 1e-9
    scales[constant] = 1.0
    standardised = (x - means) / scales
    standardised[:, constant] = 0.0
    classifier = LogisticRegression(
        C=regularisation, class_weight="balanced", max_iter=2000, solver="lbfgs"
    )
    classifier.fit(standardised, y)
    weights = classifier.coef_.ravel().copy()
    weights[constant] = 0.0
    return ScoringModel(
        weights=tuple(float(w) for w in weights),
        means=tuple(float(m) for m in means),
        scales=tuple(float(s) for s in scales),
        intercept=float(classifier.intercept_[0]),
        source=source,
    )


def fit_pairwise_ranker(
    better: np.ndarray,
    worse: np.ndarray,
    positives: np.ndarray,
    negatives: np.ndarray,
    *,
    regularisation: float = 1.0,
    source: str = "fitted-pairwise",
) -> ScoringModel:
    """A ranker fitted on pairs of candidates of the same source: row i of
    `better` (a partner, or a liked organisation) should score above row i of
    `worse` (a random non-partner, or a passed one).

    What the engine is judged on is the order of one source's candidates, so the
    weights are a logistic regression on the differences better − worse (no
    intercept: an order has none), which ignores what all candidates of one
    source share. Scale and intercept are then set by a one-variable logistic
    regression of "became partners" on that score over `positives` and
    `negatives` (Platt scaling), because reciprocity combines two probabilities."""
    differences = np.asarray(better, dtype=np.float64) - np.asarray(worse, dtype=np.float64)
    scales = differences.std(axis=0)
    constant = scales < 1e-9
    scales[constant] = 1.0
    x = differences / scales
    x[:, constant] = 0.0
    # Both orders of each pair, so the two classes are balanced and symmetric.
    ranker = LogisticRegression(C=regularisation, fit_intercept=False, max_iter=2000)
    ranker.fit(np.vstack([x, -x]), np.repeat([1.0, 0.0], len(x)))
    weights = ranker.coef_.ravel().copy()
    weights[constant] = 0.0

    rows = np.vstack([positives, negatives]).astype(np.float64)
    means = rows.mean(axis=0)
    raw = ((rows - means) / scales) @ weights
    labels = np.concatenate([np.ones(len(positives)), np.zeros(len(negatives))])
    calibration = LogisticRegression(class_weight="balanced", max_iter=1000)
    calibration.fit(raw[:, None], labels)
    slope = max(float(calibration.coef_[0, 0]), 1e-6)  # never reverse the learned order
    return ScoringModel(
        weights=tuple(float(w * slope) for w in weights),
        means=tuple(float(m) for m in means),
        scales=tuple(float(s) for s in scales),
        intercept=float(calibration.intercept_[0]),
        source=source,
    )
