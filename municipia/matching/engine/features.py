"""Pairwise signals between one organisation and every candidate, as NumPy vectors.

Each signal is a number per candidate where higher means "a better partner on
this count"; missing data gives a neutral value instead of excluding anyone.
`FEATURES` fixes their order for the learned weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy import sparse

from .profiles import OrganisationProfile

EARTH_RADIUS_KM = 6371.0

FEATURES = (
    "shared_challenges",  # A's challenges ~ B's challenges
    "expertise_for_a",  # B's expertise ~ A's challenges
    "expertise_for_b",  # A's expertise ~ B's challenges
    "same_working_group",
    "same_community",
    "shared_sdgs",
    "shared_interests",
    "shared_languages",
    "similar_size",
    "nearness",
    "closeness",  # -log(1 + km): keeps ordering among far-away candidates too
    "across_border_nearby",  # close, but in another country (cross-border cooperation)
    "near_partners",  # close to the organisation's current partners (its cooperation area)
    "same_country",
    "country_affinity",
    "common_partners",
    "partners_of_partners",  # Adamic–Adar over the partnership graph
    "shared_networks",
    "candidate_partners",  # how connected the candidate already is
    "same_kind",
)
INDEX = {name: i for i, name in enumerate(FEATURES)}
# Swapping A and B swaps these two; every other signal is symmetric except
# candidate_partners, which describes B only.
DIRECTIONAL_PAIR = (INDEX["expertise_for_a"], INDEX["expertise_for_b"])


def _binary_matrix(sets: Sequence[frozenset], vocabulary: Mapping) -> sparse.csr_matrix:
    rows, cols = [], []
    for row, values in enumerate(sets):
        for value in values:
            column = vocabulary.get(value)
            if column is not None:
                rows.append(row)
                cols.append(column)
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(sets), max(len(vocabulary), 1)))


def _vocabulary(sets: Sequence[frozenset]) -> dict:
    return {value: i for i, value in enumerate(sorted({v for s in sets for v in s}, key=str))}


class ProfileMatrices:
    """Every organisation's attributes as arrays, built once per engine."""

    def __init__(
        self,
        profiles: Sequence[OrganisationProfile],
        *,
        theme_parents: Mapping[str, str],
        challenge_vectors,
        expertise_vectors,
    ):
        self.n = len(profiles)
        self.ids = [p.id for p in profiles]
        lat = np.array([np.nan if p.latitude is None else p.latitude for p in profiles], float)
        lon = np.array([np.nan if p.longitude is None else p.longitude for p in profiles], float)
        self.lat, self.lon = np.radians(lat), np.radians(lon)
        self.cos_lat = np.cos(self.lat)
        # Unit vectors of the places (NaN when unknown), for straight-line distances.
        unit = np.stack(
            [self.cos_lat * np.cos(self.lon), self.cos_lat * np.sin(self.lon), np.sin(self.lat)]
        )
        countries = sorted({p.country for p in profiles if p.country})
        self.country_index = {c: i for i, c in enumerate(countries)}
        self.country = np.array([self.country_index.get(p.country, -1) for p in profiles])
        # The distance signals place an organisation without coordinates at the
        # centre of its country's known places: "somewhere in Latvia" is still
        # near Latvia and far from Portugal. `lat`/`lon` stay as given, so no
        # reason ever quotes a distance from an estimated place.
        self.unit, self.place_estimated = _with_estimated_places(unit, self.country)
        self.placed = np.isfinite(self.unit[0])
        population = np.array([p.population or np.nan for p in profiles], dtype=float)
        population[population <= 0] = np.nan
        self.log_population = np.log(population)
        kinds = sorted({p.kind for p in profiles if p.kind})
        kind_index = {k: i for i, k in enumerate(kinds)}
        self.kind = np.array([kind_index.get(p.kind, -1) for p in profiles])
        self.kind_index = kind_index
        # Unknown populations are NaN, so that no population filter keeps them.
        self.population = population
        self.looking = np.array([p.looking_for_partners for p in profiles], dtype=bool)

        self.theme_vocabulary = _vocabulary([p.themes for p in profiles])
        self.themes = _binary_matrix([p.themes for p in profiles], self.theme_vocabulary)
        communities = [frozenset(theme_parents.get(t, t) for t in p.themes) for p in profiles]
        self.community_vocabulary = _vocabulary(communities)
        self.communities = _binary_matrix(communities, self.community_vocabulary)
        self.sdg_vocabulary = _vocabulary([p.sdgs for p in profiles])
        self.sdgs = _binary_matrix([p.sdgs for p in profiles], self.sdg_vocabulary)
        self.interest_vocabulary = _vocabulary([p.interests for p in profiles])
        self.interests = _binary_matrix([p.interests for p in profiles], self.interest_vocabulary)
        self.language_vocabulary = _vocabulary([p.languages for p in profiles])
        self.languages = _binary_matrix([p.languages for p in profiles], self.language_vocabulary)
        self.network_vocabulary = _vocabulary([p.networks for p in profiles])
        self.networks = _binary_matrix([p.networks for p in profiles], self.network_vocabulary)
        for name in ("themes", "communities", "sdgs", "interests", "languages", "networks"):
            matrix = getattr(self, name)
            setattr(self, f"{name}_t", matrix.T.tocsr())
            setattr(self, f"{name}_count", np.asarray(matrix.sum(axis=1)).ravel())

        self.challenges = challenge_vectors
        self.expertise = expertise_vectors
        self.challenges_t = _transpose(challenge_vectors)
        self.expertise_t = _transpose(expertise_vectors)

    def country_codes(self, countries) -> list[int]:
        """The integer codes of these country codes (unknown ones are left out)."""
        return [self.country_index[c] for c in countries if c in self.country_index]

    def kind_codes(self, kinds) -> list[int]:
        return [self.kind_index[k] for k in kinds if k in self.kind_index]


def _with_estimated_places(unit: np.ndarray, country: np.ndarray):
    """Unit vectors with each unknown place replaced by the normalised mean of
    the known places of the same country (still NaN without a country or when
    no place of that country is known), and which ones were estimated."""
    unit = unit.copy()
    unknown = ~np.isfinite(unit[0])
    estimated = np.zeros(len(country), dtype=bool)
    for code in np.unique(country[unknown & (country >= 0)]):
        known = (country == code) & ~unknown
        if not known.any():
            continue
        centre = unit[:, known].mean(axis=1)
        centre /= np.linalg.norm(centre)
        rows = unknown & (country == code)
        unit[:, rows] = centre[:, None]
        estimated[rows] = True
    return unit, estimated


def _transpose(matrix):
    return matrix.T.tocsr() if sparse.issparse(matrix) else np.ascontiguousarray(matrix.T)


def _row_dot(row_matrix, transposed, rows: int) -> np.ndarray:
    """Similarity of one row against every row, as a dense vector."""
    if sparse.issparse(row_matrix):
        if row_matrix.nnz == 0:
            return np.zeros(rows, dtype=np.float32)
        return np.asarray((row_matrix @ transposed).todense()).ravel()
    return np.asarray(row_matrix @ transposed).ravel()


def _overlap(m: ProfileMatrices, name: str, a: int) -> np.ndarray:
    """Shared items, normalised by the geometric mean of both set sizes (0..1)."""
    matrix = getattr(m, name)
    shared = _row_dot(matrix[a], getattr(m, f"{name}_t"), m.n)
    counts = getattr(m, f"{name}_count")
    denominator = np.sqrt(counts[a] * counts)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, shared / denominator, 0.0)


def straight_km(m: ProfileMatrices, a: int, to=slice(None)) -> np.ndarray:
    """Straight-line (chord) distance from `a` to every organisation (or to those
    indexed by `to`), estimated places included (see `ProfileMatrices`); NaN
    when unknown. What the distance signals use: within
    Europe it is within 1.3 % of the great-circle distance, and it needs no
    arcsin, the slowest step of scoring many sources at once."""
    delta = m.unit[:, to] - m.unit[:, [a]]
    return EARTH_RADIUS_KM * np.sqrt(np.einsum("ij,ij->j", delta, delta))


def distances_km(m: ProfileMatrices, a: int, to=slice(None)) -> np.ndarray:
    """Great-circle distance from `a` to every organisation (or to those indexed
    by `to`); NaN when unknown."""
    dlat = m.lat[to] - m.lat[a]
    dlon = m.lon[to] - m.lon[a]
    h = np.sin(dlat / 2) ** 2 + m.cos_lat[a] * m.cos_lat[to] * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


class PartnershipGraph:
    """Recorded partnerships as a sparse adjacency matrix, plus what is learned from
    it: Adamic–Adar weights and a country-pair affinity."""

    def __init__(self, n: int, pairs: Sequence[tuple[int, int]], country: np.ndarray):
        self.n = n
        if pairs:
            a, b = np.array(pairs).T
            rows, cols = np.concatenate([a, b]), np.concatenate([b, a])
        else:
            rows = cols = np.array([], dtype=int)
        adjacency = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, n)
        )
        adjacency.data[:] = 1.0  # duplicates collapse to one partnership
        self.adjacency = adjacency
        self.degree = np.asarray(adjacency.sum(axis=1)).ravel()
        weights = np.zeros(n, dtype=np.float32)
        connected = self.degree > 1
        weights[connected] = 1.0 / np.log(self.degree[connected])
        self.adamic_adar = (adjacency @ sparse.diags(weights) @ adjacency).tocsr()
        self.common = (adjacency @ adjacency).tocsr()
        self.country_affinity = self._country_affinity(pairs, country)

    @staticmethod
    def _country_affinity(pairs, country: np.ndarray) -> np.ndarray:
        """log((observed + 1) / (expected + 1)) partnerships per country pair, where
        expected assumes partners are chosen regardless of country."""
        size = int(country.max()) + 2 if len(country) else 1
        observed = np.zeros((size, size))
        for a, b in pairs:
            ca, cb = country[a], country[b]
            observed[ca, cb] += 1
            if ca != cb:
                observed[cb, ca] += 1
        ends = observed.sum(axis=1)
        total = ends.sum()
        expected = np.outer(ends, ends) / total if total else np.zeros_like(observed)
        return np.log((observed + 1.0) / (expected + 1.0))

    def neighbours(self, a: int) -> np.ndarray:
        return self.adjacency[a].indices


def signals_for(m: ProfileMatrices, graph: PartnershipGraph, a: int) -> np.ndarray:
    """All signals from organisation `a` to every organisation: shape (n, len(FEATURES))."""
    n = m.n
    # Column-major: each signal is written as one contiguous column.
    out = np.zeros((n, len(FEATURES)), dtype=np.float32, order="F")
    out[:, INDEX["shared_challenges"]] = _row_dot(m.challenges[a], m.challenges_t, n)
    out[:, INDEX["expertise_for_a"]] = _row_dot(m.challenges[a], m.expertise_t, n)
    out[:, INDEX["expertise_for_b"]] = _row_dot(m.expertise[a], m.challenges_t, n)
    out[:, INDEX["same_working_group"]] = _overlap(m, "themes", a)
    out[:, INDEX["same_community"]] = _overlap(m, "communities", a)
    out[:, INDEX["shared_sdgs"]] = _overlap(m, "sdgs", a)
    out[:, INDEX["shared_interests"]] = _overlap(m, "interests", a)

    languages = _row_dot(m.languages[a], m.languages_t, n)
    known = (m.languages_count > 0) & (m.languages_count[a] > 0)
    out[:, INDEX["shared_languages"]] = np.where(known, (languages > 0).astype(float), 0.5)

    size_gap = np.abs(m.log_population - m.log_population[a])
    # 1 for equal size, 0.5 for a factor of 10, neutral 0.5 when unknown.
    out[:, INDEX["similar_size"]] = np.nan_to_num(
        np.exp(-size_gap * np.log(2) / np.log(10)), nan=0.5
    )

    km = straight_km(m, a)
    out[:, INDEX["nearness"]] = np.nan_to_num(np.exp(-km / 500.0), nan=0.25)
    out[:, INDEX["closeness"]] = np.nan_to_num(-np.log1p(km), nan=-np.log1p(1000.0))

    same_country = (m.country == m.country[a]).astype(float)
    same_country[(m.country < 0) | (m.country[a] < 0)] = 0.5
    out[:, INDEX["same_country"]] = same_country
    out[:, INDEX["across_border_nearby"]] = out[:, INDEX["nearness"]] * (1.0 - same_country)
    out[:, INDEX["near_partners"]] = _near_partners(m, graph, a)
    if m.country[a] >= 0:
        affinity = graph.country_affinity[m.country[a], np.where(m.country >= 0, m.country, -1)]
        out[:, INDEX["country_affinity"]] = np.where(m.country >= 0, affinity, 0.0)

    out[:, INDEX["common_partners"]] = np.log1p(graph.common[a].toarray().ravel())
    out[:, INDEX["partners_of_partners"]] = np.log1p(graph.adamic_adar[a].toarray().ravel())
    out[:, INDEX["shared_networks"]] = np.log1p(_row_dot(m.networks[a], m.networks_t, n))
    out[:, INDEX["candidate_partners"]] = np.log1p(graph.degree)
    same_kind = (m.kind == m.kind[a]).astype(float)
    same_kind[(m.kind < 0) | (m.kind[a] < 0)] = 0.5
    out[:, INDEX["same_kind"]] = same_kind
    return out


def _near_partners(m: ProfileMatrices, graph: PartnershipGraph, a: int) -> np.ndarray:
    """How close each organisation is to the nearest current partner of `a`."""
    partners = graph.neighbours(a)
    partners = partners[m.placed[partners]]
    if not len(partners):
        return np.zeros(m.n, dtype=np.float32)
    nearest = np.full(m.n, np.inf)
    for p in partners[:50]:
        nearest = np.fmin(nearest, straight_km(m, int(p)))
    return np.nan_to_num(np.exp(-nearest / 300.0), nan=0.0)
