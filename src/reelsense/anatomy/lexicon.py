"""Word lists shipped as data (`data/opinion.toml`, `data/aspects.toml`) and a matcher for their phrases.

Lists are matched on the model's tokens (`features.tokenize`: lowercased words, "n't" split off), so
a phrase like "well acted" is the token run ("well", "acted") and "well-acted" matches it too.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Generic, TypeVar

from ..text.tokens import tokenize

__all__ = ["PhraseMatcher", "Match", "opinion_lexicon", "aspect_taxonomy"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    """A phrase found at tokens [start, end) of a token list, with what it was registered with."""

    start: int
    end: int
    value: T


class PhraseMatcher(Generic[T]):
    """Finds registered phrases (token runs) in token lists, longest first, without overlaps."""

    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], T]]] = {}
        for phrase, value in phrases:
            tokens = tuple(tokenize(phrase))
            if tokens:
                self._by_first.setdefault(tokens[0], []).append((tokens, value))
        for entries in self._by_first.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        self.first_tokens = frozenset(self._by_first)

    def find(self, tokens: Sequence[str]) -> list[Match[T]]:
        """Every match in `tokens`, left to right; at each place the longest phrase wins."""
        first = self.first_tokens
        found: list[Match[T]] = []
        free = 0  # tokens before this are inside an earlier match
        for i in [i for i, token in enumerate(tokens) if token in first]:
            if i < free:
                continue
            for phrase, value in self._by_first[tokens[i]]:
                end = i + len(phrase)
                if end <= len(tokens) and (len(phrase) == 1 or tuple(tokens[i:end]) == phrase):
                    found.append(Match(i, end, value))
                    free = end
                    break
        return found


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads((resources.files("reelsense") / "data" / name).read_text(encoding="utf-8"))


@cache
def opinion_lexicon() -> dict[str, Any]:
    """The opinion word lists (`data/opinion.toml`)."""
    return _load("opinion.toml")


@cache
def aspect_taxonomy() -> dict[str, dict[str, Any]]:
    """The aspects, in report order, each with description, examples, terms, positive, negative, ignore."""
    return _load("aspects.toml")


# A negator turns a judging word up to this many tokens after it ("not bad", "never very convincing").
NEGATION_REACH = 3


@cache
def negators() -> frozenset[str]:
    """The anatomy's one negation vocabulary (`negators` in `data/opinion.toml`), read by the clause
    rules and the aspect cues alike. The verdict model keeps its own list in its file: it learnt
    negated n-grams for exactly those words, and it is frozen with the model's weights."""
    return frozenset(opinion_lexicon()["negators"])
