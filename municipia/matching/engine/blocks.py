"""The top-k partners of many organisations at once (the full recompute).

`MatchingEngine.suggest` scores one source against every organisation with a
few matrix-*vector* products and ~40 passes over 100,000-long vectors: fine for
a request, but 100,000 of them take close to an hour. Here a *block* of sources
is scored against every organisation together, so that the text, set and
distance signals become matrix-*matrix* products (BLAS, which releases the GIL
and uses both cores), the model's weighted sum is accumulated signal by signal
into one (block × n) matrix instead of a (block × n × signals) tensor, and the
best k per row are taken with `np.argpartition`.

The result is the same ranking as `ranked_candidates`, the per-source
reference (no filters, no exposure counts, no diversity re-ranking: those
depend on the request), up to float32 rounding of scores.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits

from .features import EARTH_RADIUS_KM, FEATURES, INDEX
from .profiles import SearchPreferences

# Set signals whose vocabulary is at most this large are multiplied as dense
# matrices (BLAS); larger ones (network memberships) stay sparse.
DENSE_VOCABULARY = 512


@dataclass(frozen=True)
class TopCandidates:
    """For each source (a row), its best candidates as engine indices, best
    first, and their scores; rows with fewer candidates are padded with -1 / -inf."""

    sources: np.ndarray  # (s,)
    candidates: np.ndarray  # (s, k) int32
    scores: np.ndarray  # (s, k) float32


def ranked_candidates(engine, source: int, k: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """The reference for one source: every candidate `suggest` may show without
    filters, by reciprocal score times the no-partner-yet boost, best k first
    (ties by index)."""
    mask = engine.candidate_mask(source, SearchPreferences())
    candidates = np.flatnonzero(mask)
    score = engine.scores(engine.profiles[source].id)[candidates]
    score = score * engine._fairness(candidates, None)
    order = np.lexsort((candidates, -score))[:k]
    return candidates[order], score[order].astype(np.float32)


@dataclass(frozen=True)
class _BlockText:
    """The text vectors of a block's sources; None when none of them has a
    challenge (or an expertise) text, and the products with them are skipped."""

    challenges: object
    expertise: object

    @staticmethod
    def product(rows, right_t, cols) -> np.ndarray:
        product = rows @ right_t[:, cols]
        return product.toarray() if sparse.issparse(product) else product

    @classmethod
    def part(cls, shape, rows, right_t, inside, part) -> np.ndarray:
        """The product over the columns `inside`, zeros elsewhere in the chunk."""
        if part == slice(0, shape[1]):
            return cls.product(rows, right_t, inside)
        out = np.zeros(shape, dtype=np.float32)
        out[:, part] = cls.product(rows, right_t, inside)
        return out


def _span(flags, cols: slice):
    """The columns of the chunk `cols` from the first to the last one whose flag
    is set, as (slice of all columns, slice within the chunk); None if none is."""
    found = np.flatnonzero(flags[cols])
    if not len(found):
        return None
    first, last = int(found[0]), int(found[-1]) + 1
    return slice(cols.start + first, cols.start + last), slice(first, last)


class BlockScorer:
    """Prepared once per engine: the model's weights folded into the matrices,
    so that the text and set signals of a block, weighted and summed, are one
    matrix product; unit vectors of the places for the distances.

    Rows (sources) are engine indices. Columns (candidates) are only the
    organisations that may be suggested at all (looking for partners), in
    `self.columns` order: those without any text first, then by which texts
    they have, so that a chunk of columns without texts skips the text products."""

    def __init__(self, engine, *, chunk: int = 4096):
        self.engine = engine
        m, graph, model = engine.matrices, engine.graph, engine.model
        self.n = m.n
        # Which organisations have any challenge / expertise text: the text
        # products are skipped for blocks of sources and chunks of candidates
        # without one (an imported directory has many profiles without texts).
        self.has_challenges = np.asarray(abs(m.challenges).sum(axis=1)).ravel() > 0
        self.has_expertise = np.asarray(abs(m.expertise).sum(axis=1)).ravel() > 0
        looking = np.flatnonzero(m.looking)
        key = 2 * self.has_challenges[looking] + self.has_expertise[looking]
        cols = self.columns = looking[np.argsort(key, kind="stable")]
        self.n_cols = len(cols)
        self.position = np.full(self.n, -1, dtype=np.int64)  # engine index → column
        self.position[cols] = np.arange(self.n_cols)
        self.col_challenges = self.has_challenges[cols]
        self.col_expertise = self.has_expertise[cols]
        weights = np.asarray(model.weights, float) / np.asarray(model.scales, float)
        w = self.w = {name: float(weights[INDEX[name]]) for name in FEATURES}
        constant = float(model.intercept - np.dot(weights, np.asarray(model.means, float)))

        # The symmetric part of forward(a, b) is X[a] · Y[b]: the four set
        # overlaps (shared / √(|A|·|B|), so rows are divided by √|A|) and the
        # constant. The three text signals are three more products, done only
        # for blocks where some source has a text.
        left, right = [], []
        self.dense_text = not sparse.issparse(m.challenges)
        if self.dense_text:
            c = np.asarray(m.challenges, dtype=np.float32)
            self.challenges = c
            self.expertise = np.asarray(m.expertise, dtype=np.float32)
            self.challenges_t = np.ascontiguousarray(c[cols].T)
            self.expertise_t = np.ascontiguousarray(self.expertise[cols].T)
            self.shared_t = np.ascontiguousarray((w["shared_challenges"] * c[cols]).T)
            self.chunk = chunk
        else:
            # Few organisations (TF-IDF without LSA): sparse products, one chunk.
            self.challenges, self.expertise = m.challenges.tocsr(), m.expertise.tocsr()
            self.challenges_t = self.challenges[cols].T.tocsr()
            self.expertise_t = self.expertise[cols].T.tocsr()
            self.shared_t = (w["shared_challenges"] * self.challenges_t).tocsr()
            self.chunk = max(self.n_cols, 1)
        for feature, name in (
            ("same_working_group", "themes"),
            ("same_community", "communities"),
            ("shared_sdgs", "sdgs"),
            ("shared_interests", "interests"),
        ):
            normalised = self._normalised(getattr(m, name), getattr(m, f"{name}_count"))
            left.append(normalised)
            right.append(w[feature] * normalised[cols])
        left.append(np.ones((self.n, 1), dtype=np.float32))
        right.append(np.full((self.n_cols, 1), constant, dtype=np.float32))
        self.x = np.hstack(left).astype(np.float32)
        self.y_t = np.ascontiguousarray(np.hstack(right).astype(np.float32).T)

        self.languages, self.languages_t = self._dense_or_sparse(m.languages, cols)
        self.no_languages = m.languages_count == 0
        self.no_languages_cols = self.no_languages[cols]
        self.networks = sparse.csr_matrix(m.networks, dtype=np.float32)
        self.networks_t = self.networks[cols].T.tocsr()

        # |u_a − u_b|² = 2 − 2·u_a·u_b: the straight-line distances of a block
        # are one (block × 3) @ (3 × n) product.
        unit = np.nan_to_num(m.unit)
        self.unit_t = np.ascontiguousarray(unit.T)
        self.unit_cols = np.ascontiguousarray(unit[:, cols])
        self.unlocated = ~np.isfinite(m.unit[0])  # estimated places count as placed
        self.unlocated_cols = self.unlocated[cols]

        # exp(−c·|log p_a − log p_b|) = min(p_a/p_b, p_b/p_a)^c: two products, no exp.
        scaled = np.exp(m.log_population * (np.log(2) / np.log(10)))
        self.no_population = ~np.isfinite(scaled)
        self.size_up = np.nan_to_num(scaled).astype(np.float32)
        self.size_down = np.nan_to_num(1.0 / scaled).astype(np.float32)
        self.no_population_cols = self.no_population[cols]
        self.size_up_cols, self.size_down_cols = self.size_up[cols], self.size_down[cols]
        self.country, self.country_cols = m.country, m.country[cols]
        self.kind, self.kind_cols = m.kind, m.kind[cols]
        self.log_degree = np.log1p(graph.degree).astype(np.float32)
        self.log_degree_cols = self.log_degree[cols]
        self.affinity = (graph.country_affinity * w["country_affinity"]).astype(np.float32)
        # Code −1 (unknown country) indexes the last row and column: no affinity.
        self.affinity[-1, :] = 0.0
        self.affinity[:, -1] = 0.0
        # 2 (of the harmonic mean) × the no-partner-yet boost.
        self.column_factor = np.where(graph.degree[cols] == 0, 2.2, 2.0).astype(np.float32)

    @staticmethod
    def _normalised(matrix, counts) -> np.ndarray:
        scale = np.zeros(len(counts), dtype=np.float32)
        scale[counts > 0] = 1.0 / np.sqrt(counts[counts > 0])
        return (sparse.diags(scale) @ sparse.csr_matrix(matrix, dtype=np.float32)).toarray()

    @staticmethod
    def _dense_or_sparse(matrix, cols):
        """The matrix for rows, and its columns `cols` transposed."""
        matrix = sparse.csr_matrix(matrix, dtype=np.float32)
        if matrix.shape[1] <= DENSE_VOCABULARY:
            dense = matrix.toarray()
            return dense, np.ascontiguousarray(dense[cols].T)
        return matrix, matrix[cols].T.tocsc()

    def _km(self, rows, cols) -> np.ndarray:
        """Straight-line distances from each row's place to the places of `cols`
        (meaningless where either is unknown: the callers overwrite those)."""
        chord = self.unit_t[rows] @ self.unit_cols[:, cols]  # float64: nearby places
        chord *= -2.0
        chord += 2.0
        # Two organisations at the same place (estimated places of one country
        # coincide) would be ~1e-4 km apart from rounding; the per-source path says 0.
        chord[chord < 1e-12] = 0.0
        km = chord.astype(np.float32)
        np.maximum(km, 0.0, out=km)
        np.sqrt(km, out=km)
        km *= np.float32(EARTH_RADIUS_KM)
        return km

    def _sparse_terms(self, rows):
        """Partners in common, Adamic–Adar and shared networks of the block, as
        (row, column, weighted value) sorted by column."""
        graph, w = self.engine.graph, self.w
        parts = []
        for weight, matrix, by_engine_index in (
            (w["common_partners"], graph.common[rows], True),
            (w["partners_of_partners"], graph.adamic_adar[rows], True),
            (w["shared_networks"], self.networks[rows] @ self.networks_t, False),
        ):
            if weight and matrix.nnz:
                coo = sparse.coo_matrix(matrix)
                row, col, data = coo.row, coo.col, coo.data
                if by_engine_index:
                    col = self.position[col]
                    candidate = col >= 0
                    row, col, data = row[candidate], col[candidate], data[candidate]
                parts.append((row, col, weight * np.log1p(data)))
        if not parts:
            return np.array([], int), np.array([], int), np.array([], np.float32)
        r, c, v = (np.concatenate(x) for x in zip(*parts, strict=True))
        order = np.argsort(c, kind="stable")
        return r[order], c[order], v[order].astype(np.float32)

    def _partners_of_block(self, rows):
        """Located partners (at most 50 each) of the rows that have some, grouped."""
        graph = self.engine.graph
        owners, partners = [], []
        for r, a in enumerate(rows):
            found = graph.neighbours(a)
            found = found[~self.unlocated[found]][:50]
            if len(found):
                owners.append(r)
                partners.append(found)
        return owners, partners

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """The reciprocal score × no-partner boost of every candidate for each
        source row; -inf where a candidate may not be suggested."""
        rows = np.asarray(rows)
        out = np.empty((len(rows), self.n_cols), dtype=np.float32)
        text = _BlockText(
            challenges=self.challenges[rows] if self.has_challenges[rows].any() else None,
            expertise=self.expertise[rows] if self.has_expertise[rows].any() else None,
        )
        x_rows = self.x[rows]
        sparse_r, sparse_c, sparse_v = self._sparse_terms(rows)
        owners, partners = self._partners_of_block(rows)
        for start in range(0, self.n_cols, self.chunk):
            cols = slice(start, min(start + self.chunk, self.n_cols))
            lo, hi = np.searchsorted(sparse_c, [cols.start, cols.stop])
            terms = (sparse_r[lo:hi], sparse_c[lo:hi] - start, sparse_v[lo:hi])
            out[:, cols] = self._chunk(rows, cols, x_rows, text, owners, partners, terms)
        itself = self.position[rows]
        out[np.flatnonzero(itself >= 0), itself[itself >= 0]] = -np.inf
        adjacency = self.engine.graph.adjacency[rows].tocoo()
        partner = self.position[adjacency.col]
        out[adjacency.row[partner >= 0], partner[partner >= 0]] = -np.inf
        return out

    def _chunk(self, rows, cols, x_rows, text, owners, partners, terms) -> np.ndarray:
        """Scores of the block's rows against the candidates `cols` (a slice small
        enough that each (rows × cols) array stays in the processor's cache)."""
        w = self.w
        f32 = np.float32
        forward = x_rows @ self.y_t[:, cols]
        for_a = for_b = None
        with_challenges = _span(self.col_challenges, cols)
        with_expertise = _span(self.col_expertise, cols)
        if text.challenges is not None and with_challenges:
            inside, part = with_challenges
            forward[:, part] += text.product(text.challenges, self.shared_t, inside)
        if text.challenges is not None and with_expertise:
            for_a = text.part(forward.shape, text.challenges, self.expertise_t, *with_expertise)
        if text.expertise is not None and with_challenges:
            for_b = text.part(forward.shape, text.expertise, self.challenges_t, *with_challenges)
        # Reversed, the two directional signals swap: backward − forward.
        if for_a is not None and for_b is not None:
            difference = for_b - for_a
        elif for_b is not None:
            difference = for_b.copy()
        elif for_a is not None:
            difference = -for_a
        else:
            difference = np.zeros_like(forward)
        difference *= f32(w["expertise_for_a"] - w["expertise_for_b"])
        if for_a is not None:
            for_a *= f32(w["expertise_for_a"])
            forward += for_a
        if for_b is not None:
            for_b *= f32(w["expertise_for_b"])
            forward += for_b
        del for_a, for_b

        # Languages: 1 when one is shared, 0 when none, 0.5 when either is unknown.
        if w["shared_languages"]:
            shared = self.languages[rows] @ self.languages_t[:, cols]
            if sparse.issparse(shared):
                shared = shared.toarray()
            np.minimum(shared, 1.0, out=shared)  # shared languages counted: any is 1
            shared *= f32(w["shared_languages"])
            forward += shared
            half = f32(0.5 * w["shared_languages"])
            unknown_rows = self.no_languages[rows]
            forward[unknown_rows] += half
            forward[np.ix_(~unknown_rows, self.no_languages_cols[cols])] += half

        # Size: 1 for equal populations, 0.5 for a factor of ten or unknown.
        if w["similar_size"]:
            size = np.multiply(self.size_up[rows][:, None], self.size_down_cols[cols][None, :])
            np.minimum(
                size, self.size_down[rows][:, None] * self.size_up_cols[cols][None, :], out=size
            )
            size[:, self.no_population_cols[cols]] = 0.5
            size[self.no_population[rows]] = 0.5
            size *= f32(w["similar_size"])
            forward += size

        # Distance: nearness, closeness, across the border nearby, same country.
        km = self._km(rows, cols)
        unknown_place_rows, unknown_place_cols = self.unlocated[rows], self.unlocated_cols[cols]
        if w["closeness"]:
            closeness = np.log1p(km)
            closeness[:, unknown_place_cols] = np.log1p(1000.0)
            closeness[unknown_place_rows] = np.log1p(1000.0)
            closeness *= f32(-w["closeness"])
            forward += closeness
        nearness = km
        nearness *= f32(-1 / 500.0)
        np.exp(nearness, out=nearness)
        nearness[:, unknown_place_cols] = 0.25
        nearness[unknown_place_rows] = 0.25
        country_rows, country_cols = self.country[rows], self.country_cols[cols]
        same_country = (country_rows[:, None] == country_cols[None, :]).astype(f32)
        same_country[:, country_cols < 0] = 0.5
        same_country[country_rows < 0] = 0.5
        if w["same_country"]:
            forward += f32(w["same_country"]) * same_country
        # nearness · (w_nearness + w_across · (1 − same_country))
        factor = same_country
        factor *= f32(-w["across_border_nearby"])
        factor += f32(w["nearness"] + w["across_border_nearby"])
        factor *= nearness
        forward += factor
        del factor, nearness, km

        if w["near_partners"] and owners:
            near = self._km(np.concatenate(partners), cols)
            near *= f32(-1 / 300.0)
            np.exp(near, out=near)
            near[:, unknown_place_cols] = 0.0
            starts = np.cumsum([0] + [len(p) for p in partners[:-1]])
            closest = np.maximum.reduceat(near, starts, axis=0)
            forward[owners] += f32(w["near_partners"]) * closest

        if w["country_affinity"]:
            forward += self.affinity[country_rows][:, country_cols]

        if w["same_kind"]:
            kind_rows, kind_cols = self.kind[rows], self.kind_cols[cols]
            same_kind = (kind_rows[:, None] == kind_cols[None, :]).astype(f32)
            same_kind[:, kind_cols < 0] = 0.5
            same_kind[kind_rows < 0] = 0.5
            same_kind *= f32(w["same_kind"])
            forward += same_kind

        if w["candidate_partners"]:
            weight = f32(w["candidate_partners"])
            degree_cols = self.log_degree_cols[cols]
            forward += weight * degree_cols[None, :]
            difference += weight * (self.log_degree[rows][:, None] - degree_cols[None, :])

        r, c, v = terms
        if len(r):
            np.add.at(forward, (r, c), v)  # a pair may have several of these terms

        # Harmonic mean of the sigmoids: 2·σ(x)·σ(y)/(σ(x)+σ(y)) = 2/(2 + e^−x + e^−y).
        difference += forward
        for raw in (forward, difference):
            np.negative(raw, out=raw)
            np.clip(raw, -30, 30, out=raw)
            np.exp(raw, out=raw)
        forward += difference
        forward += f32(2.0)
        np.divide(self.column_factor[cols][None, :], forward, out=forward)
        return forward

    def top(self, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The best `k` candidates of each row as engine indices, best first
        (ties by index)."""
        return best_of_rows(self.scores(rows), k, labels=self.columns)


# Candidates are cut to the best k of each row through the maxima of groups of
# this many columns: the k-th best group maximum is a score that at least k
# candidates reach, so only those at or above it are sorted. `np.argpartition`
# over 100,000 columns cost as much as the scoring itself.
GROUP = 64


def best_of_rows(
    score: np.ndarray, k: int, labels: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """For each row, the columns of its `k` highest finite scores, best first,
    and those scores; padded with -1 / -inf. With `labels` (one non-negative
    integer per column), the labels of those columns instead, ties by label;
    otherwise ties by column."""
    s, n = score.shape
    candidates = np.full((s, k), -1, dtype=np.int32)
    scores = np.full((s, k), -np.inf, dtype=np.float32)
    if not s or not n or not k:
        return candidates, scores
    lowest = np.finfo(score.dtype).min  # excludes -inf: those may never be suggested
    if n >= 2 * GROUP * k:
        maxima = np.maximum.reduceat(score, np.arange(0, n, GROUP), axis=1)
        threshold = np.maximum(np.partition(maxima, -k, axis=1)[:, -k], lowest)
    else:
        threshold = np.full(s, lowest, dtype=score.dtype)
    r, c = np.nonzero(score >= threshold[:, None])
    values = score[r, c]
    if labels is not None:
        c = labels[c]
    order = np.lexsort((c, -values, r))
    r, c, values = r[order], c[order], values[order]
    starts = np.searchsorted(r, np.arange(s))
    rank = np.arange(len(r)) - starts[r]
    kept = rank < k
    candidates[r[kept], rank[kept]] = c[kept]
    scores[r[kept], rank[kept]] = values[kept]
    return candidates, scores


def top_candidates_for_all(
    engine,
    *,
    k: int = 50,
    sources: np.ndarray | None = None,
    block: int = 64,
    workers: int = 2,
) -> TopCandidates:
    """The best `k` candidates of every source (all organisations by default),
    blocks of `block` sources scored together on `workers` threads."""
    scorer = BlockScorer(engine)
    sources = np.arange(engine.matrices.n) if sources is None else np.asarray(sources)
    candidates = np.full((len(sources), k), -1, dtype=np.int32)
    scores = np.full((len(sources), k), -np.inf, dtype=np.float32)
    # Sources with and without texts in separate blocks, so that the text
    # products of the blocks without them are skipped whole.
    kind = 2 * scorer.has_challenges[sources] + scorer.has_expertise[sources]
    order = np.argsort(kind, kind="stable")

    def run(positions):
        c, s = scorer.top(sources[positions], k)
        candidates[positions] = c
        scores[positions] = s

    work = [order[i : i + block] for i in range(0, len(order), block)]
    # One BLAS thread per worker: the products here are small (a block × a
    # chunk), and BLAS's own threads on a busy machine made them 5× slower.
    with threadpool_limits(limits=1, user_api="blas"):
        if workers > 1 and len(work) > 1:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(run, work))
        else:
            for item in work:
                run(item)
    return TopCandidates(sources=sources, candidates=candidates, scores=scores)
