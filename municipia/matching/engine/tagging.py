"""Auto-tagging: which working groups a challenge or an offer of expertise is
about, from multilingual term lists (`theme_terms.THEME_TERMS`), so that two
organisations writing in different languages still meet through their themes.

A term is one or more words; a word ending in `*` matches every word that
starts with it. Text and terms are compared case- and accent-folded, word by
word, in every language at once (a text may mix languages). A working group
scores one point per distinct term found, half a point more for each further
word of a longer (more specific) term; groups reaching MIN_SCORE are
suggested, best first. No Django: the engine and the directory's forms both
call it."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from municipia.directory.text import fold

MIN_SCORE = 1.0
# A single word of fewer letters would match too much as a prefix.
MIN_PREFIX = 3
_WORD = re.compile(r"\w+")
_TERM_WORD = re.compile(r"\w+\*?")


@dataclass(frozen=True)
class ThemeSuggestion:
    """A working group the text is about, how strongly, and the words that say so."""

    code: str
    score: float
    terms: tuple[str, ...]


@dataclass(frozen=True)
class _Term:
    code: str
    words: tuple[tuple[str, bool], ...]  # (folded word, is a prefix)
    weight: float
    label: str


class ThemeTagger:
    """Term lists compiled once: an index from a term's first word to the terms."""

    def __init__(self, terms: Mapping[str, Mapping[str, Iterable[str]]]):
        self._exact: dict[str, list[_Term]] = defaultdict(list)
        self._prefix: dict[str, list[_Term]] = defaultdict(list)
        for code, by_language in terms.items():
            seen = set()
            for written in (t for language in by_language.values() for t in language):
                words = tuple(_compile_word(w) for w in _TERM_WORD.findall(fold(written)))
                if not words or words in seen:
                    continue
                seen.add(words)
                term = _Term(code, words, 1.0 + 0.5 * (len(words) - 1), written)
                first, is_prefix = words[0]
                if is_prefix:
                    self._prefix[first[:MIN_PREFIX]].append(term)
                else:
                    self._exact[first].append(term)

    def suggest(self, text: str, *, limit: int = 3) -> list[ThemeSuggestion]:
        """The working groups `text` is about, best first (at most `limit`)."""
        tokens = _WORD.findall(fold(text))
        found: dict[str, dict[tuple, _Term]] = defaultdict(dict)
        quoted: dict[str, list[str]] = defaultdict(list)
        # Words already read as part of a group's term: "recycling" is one
        # mention even when "recycl*" and "Recycling*" are both on the list.
        covered: dict[str, set[int]] = defaultdict(set)
        for i, token in enumerate(tokens):
            candidates = (*self._exact.get(token, ()), *self._prefix.get(token[:MIN_PREFIX], ()))
            for term in sorted(candidates, key=lambda t: -len(t.words)):
                if i in covered[term.code] or term.words in found[term.code]:
                    continue
                if not _matches(term.words, tokens, i):
                    continue
                phrase = " ".join(tokens[i : i + len(term.words)])
                covered[term.code].update(range(i, i + len(term.words)))
                if phrase in quoted[term.code]:  # the same words again, through another term
                    continue
                found[term.code][term.words] = term
                quoted[term.code].append(phrase)
        scored = [
            ThemeSuggestion(
                code=code,
                score=sum(t.weight for t in terms.values()),
                terms=tuple(quoted[code]),
            )
            for code, terms in found.items()
        ]
        scored = [s for s in scored if s.score >= MIN_SCORE]
        scored.sort(key=lambda s: (-s.score, s.code))
        return scored[:limit]


def _compile_word(word: str) -> tuple[str, bool]:
    if word.endswith("*") and len(word) > MIN_PREFIX:
        return word[:-1], True
    return word.rstrip("*"), False


def _matches(words: tuple[tuple[str, bool], ...], tokens: list[str], start: int) -> bool:
    if start + len(words) > len(tokens):
        return False
    for (word, is_prefix), token in zip(words, tokens[start:], strict=False):
        if not (token.startswith(word) if is_prefix else token == word):
            return False
    return True


@lru_cache(maxsize=1)
def default_tagger() -> ThemeTagger:
    """The tagger of municipia's own term lists."""
    from .theme_terms import THEME_TERMS

    return ThemeTagger(THEME_TERMS)


def suggest_themes(text: str, *, limit: int = 3) -> list[ThemeSuggestion]:
    """The working groups a challenge or an offer of expertise is about."""
    return default_tagger().suggest(text, limit=limit)


def with_auto_themes(profiles, *, per_statement: int = 2) -> list:
    """Profiles as the directory builds them for the engine: one without any
    theme gets, from each of its challenge and expertise texts, the
    `per_statement` best working groups auto-tagging finds (for the
    evaluation command's `--auto-tag`)."""
    tagged = []
    for profile in profiles:
        if profile.themes:
            tagged.append(profile)
            continue
        codes = {
            s.code
            for text in (*profile.challenges, *profile.expertise)
            for s in suggest_themes(text, limit=per_statement)
        }
        tagged.append(replace(profile, themes=frozenset(codes)))
    return tagged
