"""Word lists shipped as data (`data/opinion.toml`, `data/aspects.toml`) and a matcher for their phrases.

Lists are matched on the model's tokens (`features.tokenize`: lowercased words, "n't" split off), so
a phrase like "well acted" is the token run ("well", "acted") and "well-acted" matches it too.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Any, Generic, NamedTuple, TypeVar

from ..text.tokens import tokenize

__all__ = ["PhraseMatcher", "Match", "opinion_lexicon", "aspect_taxonomy"]

T = TypeVar("T")


class Match(NamedTuple, Generic[T]):
    """A phrase found at tokens [start, end) of a token list, with what it was registered with
    (a named tuple: made tens of thousands of times a batch, cheaper than a dataclass)."""

    start: int
    end: int
    value: T


class PhraseMatcher(Generic[T]):
    """Finds registered phrases (token runs) in token lists, longest first, without overlaps."""

    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        by_first: dict[str, list[tuple[tuple[str, ...], T]]] = {}
        for phrase, value in phrases:
            tokens = tuple(tokenize(phrase))
            if tokens:
                by_first.setdefault(tokens[0], []).append((tokens, value))
        # Per first token: its phrases longest first, each with its length.
        self._by_first: dict[str, list[tuple[int, tuple[str, ...], T]]] = {
            first: [(len(t), t, value) for t, value in sorted(entries, key=lambda e: -len(e[0]))]
            for first, entries in by_first.items()
        }
        self.first_tokens = frozenset(self._by_first)

    def find(self, tokens: Sequence[str]) -> list[Match[T]]:
        """Every match in `tokens`, left to right; at each place the longest phrase wins."""
        by_first, first = self._by_first, self.first_tokens
        found: list[Match[T]] = []
        free = 0  # tokens before this are inside an earlier match
        n = len(tokens)
        for i in [i for i, token in enumerate(tokens) if token in first]:
            if i < free:
                continue
            for length, phrase, value in by_first[tokens[i]]:
                end = i + length
                if length == 1 or (end <= n and tuple(tokens[i:end]) == phrase):
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
