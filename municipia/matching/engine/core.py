"""The matching engine: ranked, explained, reciprocal partner suggestions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from .features import (
    DIRECTIONAL_PAIR,
    FEATURES,
    INDEX,
    PartnershipGraph,
    ProfileMatrices,
    distances_km,
    signals_for,
)
from .model import ScoringModel
from .profiles import (
    DistancePreference,
    OrganisationProfile,
    Reason,
    SearchPreferences,
    Suggestion,
)
from .text import LexicalBackend

# Sizes within this factor of each other are called similar in a reason.
SIMILAR_SIZE_FACTOR = 2.0

# Above this many texts, TF-IDF vectors are reduced to dense latent dimensions
# (LSA) so that one query is a dense matrix-vector product over every profile.
LATENT_THRESHOLD = 5000
LATENT_DIMENSIONS = 192
# Texts whose vectors are kept for explanations (a few hundred bytes to a few
# KB each); the cache is emptied when it is full.
EMBEDDING_CACHE_SIZE = 50_000

# Signals that explain a suggestion, by the reason code they produce.
REASON_OF_SIGNAL = {
    "shared_challenges": "shared_challenge",
    "expertise_for_a": "offers_expertise",
    "expertise_for_b": "needs_your_expertise",
    "same_working_group": "same_working_group",
    "same_community": "same_community",
    "shared_sdgs": "shared_sdgs",
    "shared_interests": "shared_interests",
    "shared_languages": "shared_languages",
    "similar_size": "similar_size",
    "nearness": "nearby",
    "across_border_nearby": "nearby_across_border",
    "near_partners": "near_your_partners",
    "country_affinity": "country_affinity",
    "common_partners": "common_partners",
    "partners_of_partners": "common_partners",
    "shared_networks": "shared_networks",
    "same_kind": "same_kind",
}


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def challenge_title(text: str) -> str:
    """The first sentence or line of a challenge, short enough for a sentence."""
    first = re.split(r"(?<=[.!?])\s|\n", text.strip(), maxsplit=1)[0].rstrip(".")
    return first if len(first) <= 80 else first[:77].rstrip() + "…"


class MatchingEngine:
    """Scores every organisation as a partner for one organisation.

    Build it once from all profiles and recorded partnerships (a background job),
    then ask `suggest()` per request; one query is a handful of vector operations
    over all organisations."""

    def __init__(
        self,
        profiles: Sequence[OrganisationProfile],
        partnerships: Iterable[tuple[str, str]] = (),
        *,
        backend=None,
        model: ScoringModel | None = None,
        theme_parents: Mapping[str, str] | None = None,
        country_groups: Mapping[str, frozenset[str]] | None = None,
        _matrices: ProfileMatrices | None = None,
        _embedder=None,
    ):
        self.profiles = list(profiles)
        self.index = {p.id: i for i, p in enumerate(self.profiles)}
        self.model = model or ScoringModel.default()
        self.country_groups = dict(country_groups or {})
        if _matrices is None:
            self._embedder = _Embedder(backend or LexicalBackend(), self.profiles)
            _matrices = ProfileMatrices(
                self.profiles,
                theme_parents=theme_parents or {},
                challenge_vectors=self._embedder.challenges,
                expertise_vectors=self._embedder.expertise,
            )
        else:
            self._embedder = _embedder
        self.matrices = _matrices
        pairs = [
            (self.index[a], self.index[b])
            for a, b in partnerships
            if a in self.index and b in self.index and a != b
        ]
        self.graph = PartnershipGraph(len(self.profiles), pairs, self.matrices.country)

    @property
    def text_backend(self):
        """The backend that embedded the texts (None for an engine without texts)."""
        return self._embedder.backend if self._embedder is not None else None

    def with_partnerships(self, partnerships: Iterable[tuple[str, str]]) -> MatchingEngine:
        """The same profiles with another partnership graph (reuses the text vectors)."""
        return MatchingEngine(
            self.profiles,
            partnerships,
            model=self.model,
            country_groups=self.country_groups,
            _matrices=self.matrices,
            _embedder=self._embedder,
        )

    def with_model(self, model: ScoringModel) -> MatchingEngine:
        clone = object.__new__(MatchingEngine)
        clone.__dict__.update(self.__dict__)
        clone.model = model
        return clone

    # -- scores ---------------------------------------------------------------

    def signals(self, organisation_id: str) -> np.ndarray:
        return signals_for(self.matrices, self.graph, self.index[organisation_id])

    def _reciprocal(self, a: int, signals: np.ndarray) -> np.ndarray:
        """How well B suits A and how well A suits B, combined by their harmonic
        mean: a pairing only scores high when it is good for both."""
        forward_raw = self.model.score(signals)
        # The model is linear, so the reverse direction's score is the forward one
        # plus what changes (the two directional signals swap; the candidate's
        # partner count becomes a's): no second (n × signals) matrix.
        weights = np.asarray(self.model.weights) / np.asarray(self.model.scales)
        i, j = DIRECTIONAL_PAIR
        c = INDEX["candidate_partners"]
        backward_raw = (
            forward_raw
            + (weights[i] - weights[j]) * (signals[:, j] - signals[:, i])
            + weights[c] * (np.log1p(self.graph.degree[a]) - signals[:, c])
        )
        forward, backward = _sigmoid(forward_raw), _sigmoid(backward_raw)
        return 2 * forward * backward / np.maximum(forward + backward, 1e-12)

    def scores(self, organisation_id: str) -> np.ndarray:
        """Reciprocal relevance of every organisation for one (no filters, no
        fairness): what the evaluation ranks."""
        a = self.index[organisation_id]
        return self._reciprocal(a, signals_for(self.matrices, self.graph, a))

    def partners_of(self, organisation_id: str) -> set[str]:
        return {self.profiles[i].id for i in self.graph.neighbours(self.index[organisation_id])}

    # -- suggestions ----------------------------------------------------------

    def candidate_mask(self, a: int, preferences: SearchPreferences) -> np.ndarray:
        """Who may be suggested at all: not itself, not a current partner, looking
        for partners, and inside the searcher's filters."""
        m = self.matrices
        mask = m.looking.copy()
        mask[a] = False
        mask[self.graph.neighbours(a)] = False
        # Filters compare small integer codes (built once with the matrices), not
        # strings: a per-query array of 100,000 strings cost more than the scoring.
        if preferences.countries_wanted:
            mask &= np.isin(m.country, m.country_codes(preferences.countries_wanted))
        if preferences.countries_excluded:
            mask &= ~np.isin(m.country, m.country_codes(preferences.countries_excluded))
        if preferences.country_groups_wanted:
            allowed = set().union(
                *(
                    self.country_groups.get(g, frozenset())
                    for g in preferences.country_groups_wanted
                )
            )
            mask &= np.isin(m.country, m.country_codes(allowed))
        if preferences.kinds:
            mask &= np.isin(m.kind, m.kind_codes(preferences.kinds))
        if preferences.population_min is not None:
            mask &= m.population >= preferences.population_min
        if preferences.population_max is not None:
            mask &= m.population <= preferences.population_max
        return mask

    def suggest(
        self,
        organisation_id: str,
        *,
        limit: int = 20,
        preferences: SearchPreferences | None = None,
        exposure: Mapping[str, int] | None = None,
        diversity: float = 0.85,
    ) -> list[Suggestion]:
        """The best `limit` partners for an organisation, each with its reasons.

        - `preferences`: hard filters and soft wishes (distance, interests).
        - `exposure`: how often each candidate was recently shown to anyone; often
          shown organisations are damped so the same popular ones do not fill
          every list, and organisations without any partner get a small boost.
        - `diversity`: each further candidate from a country already in the list
          has its score multiplied by this factor once more (1.0 = off).
        """
        preferences = preferences or SearchPreferences()
        a = self.index[organisation_id]
        mask = self.candidate_mask(a, preferences)
        candidates = np.flatnonzero(mask)
        if not len(candidates):
            return []
        signals = signals_for(self.matrices, self.graph, a)
        score = self._reciprocal(a, signals)[candidates]
        score = score * self._preference_fit(a, candidates, preferences, signals)
        score = score * self._fairness(candidates, exposure)

        pool_size = min(len(candidates), max(limit * 5, limit + 20))
        pool = np.argpartition(-score, pool_size - 1)[:pool_size]
        chosen = self._diversified(candidates[pool], score[pool], limit, diversity)
        if self._embedder is not None:
            self._embedder.prepare(
                text
                for i in (a, *(b for b, _ in chosen))
                for text in (*self.profiles[i].challenges, *self.profiles[i].expertise)
            )
        return [
            Suggestion(
                organisation_id=self.profiles[b].id,
                score=float(s),
                reasons=tuple(self.reasons(a, b, signals[b])),
            )
            for b, s in chosen
        ]

    def _preference_fit(self, a, candidates, preferences, signals) -> np.ndarray:
        fit = np.ones(len(candidates))
        nearness = signals[candidates, INDEX["nearness"]]
        if preferences.distance == DistancePreference.NEARBY:
            fit *= 0.4 + 0.6 * nearness
        elif preferences.distance == DistancePreference.CROSS_BORDER:
            other_country = self.matrices.country[candidates] != self.matrices.country[a]
            fit *= np.where(other_country, 0.7 + 0.6 * nearness, 0.5)
        if preferences.interests:
            wanted = [
                self.matrices.interest_vocabulary[i]
                for i in preferences.interests
                if i in self.matrices.interest_vocabulary
            ]
            if wanted:
                has = np.asarray(self.matrices.interests[candidates][:, wanted].sum(axis=1)).ravel()
                fit *= np.where(has > 0, 1.0, 0.6)
        if preferences.languages:
            wanted = [
                self.matrices.language_vocabulary[lang]
                for lang in preferences.languages
                if lang in self.matrices.language_vocabulary
            ]
            if wanted:
                has = np.asarray(self.matrices.languages[candidates][:, wanted].sum(axis=1)).ravel()
                fit *= np.where(has > 0, 1.0, 0.7)
        return fit

    def _fairness(self, candidates, exposure) -> np.ndarray:
        factor = np.where(self.graph.degree[candidates] == 0, 1.1, 1.0)
        if exposure:
            # Only the shown organisations are looked up, not every candidate.
            shown = np.zeros(len(self.profiles))
            for organisation_id, times in exposure.items():
                i = self.index.get(organisation_id)
                if i is not None:
                    shown[i] = times
            factor = factor / (1.0 + 0.15 * np.log1p(shown[candidates]))
        return factor

    def _diversified(self, pool, scores, limit, diversity):
        order = np.argsort(-scores, kind="stable")
        remaining = list(
            zip(
                pool[order].tolist(),
                scores[order].tolist(),
                self.matrices.country[pool[order]].tolist(),
                strict=True,
            )
        )
        chosen: list[tuple[int, float]] = []
        per_country: dict[int, int] = {}
        while remaining and len(chosen) < limit:
            best_i, best_value = 0, -1.0
            for i, (_, s, country) in enumerate(remaining):
                value = s * diversity ** per_country.get(country, 0)
                if value > best_value:
                    best_i, best_value = i, value
                if s <= best_value:  # sorted: nothing further can beat it
                    break
            b, s, country = remaining.pop(best_i)
            chosen.append((b, s))
            per_country[country] = per_country.get(country, 0) + 1
        return chosen

    # -- explanations ---------------------------------------------------------

    def reasons(self, a: int, b: int, signals_ab: np.ndarray, top: int = 4) -> list[Reason]:
        """The signals that raised B's score most, as structured reasons."""
        contributions = self.model.contributions(signals_ab[None, :])[0]
        by_code: dict[str, float] = {}
        for name in FEATURES:
            code = REASON_OF_SIGNAL.get(name)
            value = float(contributions[INDEX[name]])
            if code and value > 0 and signals_ab[INDEX[name]] > 0:
                by_code[code] = by_code.get(code, 0.0) + value
        if self.graph.degree[b] == 0:
            by_code.setdefault("no_partner_yet", 0.0)
        ranked = sorted(by_code.items(), key=lambda item: -item[1])
        reasons = []
        for code, weight in ranked:
            facts = self._facts(code, a, b)
            if facts is not None:
                reasons.append(Reason(code=code, weight=round(weight, 4), facts=facts))
            if len(reasons) == top:
                break
        return reasons

    def _facts(self, code: str, a: int, b: int) -> dict | None:
        pa, pb = self.profiles[a], self.profiles[b]
        if code == "shared_challenge":
            return self._best_text_pair(
                pa.challenges, pb.challenges, "challenge", "their_challenge"
            )
        if code == "offers_expertise":
            return self._best_text_pair(pa.challenges, pb.expertise, "challenge", "expertise")
        if code == "needs_your_expertise":
            return self._best_text_pair(pb.challenges, pa.expertise, "challenge", "expertise")
        if code == "same_working_group":
            common = sorted(pa.themes & pb.themes)
            return {"themes": common} if common else None
        if code == "same_community":
            rows = self.matrices.communities
            shared = np.intersect1d(
                rows.indices[rows.indptr[a] : rows.indptr[a + 1]],
                rows.indices[rows.indptr[b] : rows.indptr[b + 1]],
            )
            names = {i: c for c, i in self.matrices.community_vocabulary.items()}
            return {"communities": sorted(names[i] for i in shared)} if len(shared) else None
        if code == "shared_sdgs":
            return {"sdgs": sorted(pa.sdgs & pb.sdgs)} if pa.sdgs & pb.sdgs else None
        if code == "shared_interests":
            common = sorted(pa.interests & pb.interests)
            return {"interests": common} if common else None
        if code == "shared_languages":
            common = sorted(pa.languages & pb.languages)
            return {"languages": common} if common else None
        if code == "similar_size":
            # The signal still adds a little at a factor of 3; "similar" is said of
            # sizes within a factor of SIMILAR_SIZE_FACTOR only.
            if pa.population and pb.population:
                small, large = sorted((pa.population, pb.population))
                if large <= SIMILAR_SIZE_FACTOR * small:
                    return {"population": pa.population, "candidate_population": pb.population}
            return None
        if code == "nearby":
            km = distances_km(self.matrices, a, [b])[0]
            return {"km": round(float(km))} if np.isfinite(km) else None
        if code == "nearby_across_border":
            km = distances_km(self.matrices, a, [b])[0]
            if not np.isfinite(km) or pa.country == pb.country:
                return None
            return {"km": round(float(km)), "candidate_country": pb.country}
        if code == "near_your_partners":
            partners = self.graph.neighbours(a)
            if not len(partners):
                return None
            km = distances_km(self.matrices, b, partners)
            if not np.isfinite(km).any():
                return None
            closest = int(partners[int(np.nanargmin(km))])
            return {"partner": self.profiles[closest].id, "km": round(float(np.nanmin(km)))}
        if code == "country_affinity":
            if pa.country and pb.country:
                return {"country": pa.country, "candidate_country": pb.country}
            return None
        if code == "common_partners":
            common = sorted(set(self.graph.neighbours(a)) & set(self.graph.neighbours(b)))
            if not common:
                return None
            return {"count": len(common), "partners": [self.profiles[i].id for i in common[:3]]}
        if code == "shared_networks":
            common = sorted(pa.networks & pb.networks)
            return {"networks": common} if common else None
        if code == "same_kind":
            return {"kind": pb.kind} if pb.kind else None
        if code == "no_partner_yet":
            return {}
        return None

    def _best_text_pair(self, left: Sequence[str], right: Sequence[str], left_key, right_key):
        """The pair of texts (one from each side) that are most alike."""
        if not left or not right or self._embedder is None:
            return None
        similarity = self._embedder.similarity(list(left), list(right))
        i, j = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
        if similarity[i, j] <= 0:
            return None
        return {left_key: challenge_title(left[i]), right_key: challenge_title(right[j])}


class _Embedder:
    """Text vectors of every profile, and of single texts for explanations."""

    def __init__(self, backend, profiles: Sequence[OrganisationProfile]):
        self.backend = backend
        self._cache: dict[str, object] = {}
        challenges = [" ".join(p.challenges) for p in profiles]
        expertise = [" ".join(p.expertise) for p in profiles]
        backend.fit(challenges + expertise)
        both = backend.embed(challenges + expertise)
        self.reducer = None
        if sparse.issparse(both) and both.shape[0] > LATENT_THRESHOLD and both.shape[1] > 1:
            self.reducer = TruncatedSVD(n_components=LATENT_DIMENSIONS, random_state=0)
            both = normalize(self.reducer.fit_transform(both)).astype(np.float32)
        self.challenges = both[: len(profiles)]
        self.expertise = both[len(profiles) :]
        if getattr(backend, "embed_texts_ahead", False):
            # A model is too slow to call in a request: the single texts that
            # explanations compare are embedded now, with the engine (a
            # background task), so `suggest` only reads them.
            self.prepare(text for p in profiles for text in (*p.challenges, *p.expertise))

    def embed(self, texts: Sequence[str]):
        vectors = self.backend.embed(texts)
        if self.reducer is not None:
            vectors = normalize(self.reducer.transform(vectors))
        return vectors

    def prepare(self, texts: Iterable[str]) -> None:
        """Embed every text not seen yet in one batch: one backend call per
        suggestion list instead of two per explained reason, whose fixed cost
        (input validation, a model call) dominated a top-50."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if not missing:
            return
        if len(self._cache) + len(missing) > EMBEDDING_CACHE_SIZE:
            self._cache.clear()
        vectors = self.embed(missing)
        if sparse.issparse(vectors):
            vectors = vectors.tocsr()
        for i, text in enumerate(missing):
            self._cache[text] = vectors[i]

    def _stack(self, texts: Sequence[str]):
        self.prepare(texts)
        rows = [self._cache.get(t) for t in texts]
        if any(row is None for row in rows):  # emptied meanwhile by another thread
            return self.embed(list(texts))
        return sparse.vstack(rows) if sparse.issparse(rows[0]) else np.vstack(rows)

    def similarity(self, left: Sequence[str], right: Sequence[str]) -> np.ndarray:
        product = self._stack(left) @ self._stack(right).T
        return product.toarray() if sparse.issparse(product) else np.asarray(product)
