"""The pull quote and the two-sentence summary, picked among a review's opinion sentences.

A pull quote is what a poster would print: one opinion sentence of 4 to 30 words that leans the
verdict's way and gives no spoilers away, chosen among those by a scorer learnt from the sentences
annotators would quote (`QUOTE_FEATURES`, fitted by `reelsense train-sentences` on the picks of
`bench/data/pull-quotes.tsv` and saved with the sentence model): how strongly it reads the verdict's
way, whether it judges the film as a whole or names its aspects, whether it stands on its own (it
does not open with "But", "It" or "He", which need the sentence before), where it stands, and
whether it talks of awards and box office, which the annotators never quote. The summary is the
sentence that best carries the verdict (preferring ones about the film as a whole, and the
reviewer's closing words) plus the main reservation where there is one worth saying (always
looked for in a mixed review), otherwise the next strongest point on another aspect; in text order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..review import Excerpt, Review, Sentence
from ..text.reading import Layout

__all__ = [
    "pick_pull_quote",
    "pick_summary",
    "QUOTE_MAX_WORDS",
    "QUOTE_FEATURES",
    "quote_candidates",
    "HAND_QUOTE",
]

QUOTE_MAX_WORDS = 30
QUOTE_MIN_WORDS = 4
SUMMARY_MAX_WORDS = 50
# How strongly (2·P − 1 towards the verdict) a sentence must read to be quoted as agreeing.
AGREES = 0.3
# In a positive or negative review, a contrary sentence this strong is the reservation worth saying.
RESERVATION = 0.6
MIXED_RESERVATION = 0.2
# Openings that lean on the sentence before ("But it…", "He…"); "This film…" stands alone.
_DANGLING = frozenset(
    "it its it's this that these those he she they his her their him them but and or so also which "
    "however then still yet because as although though plus too there here".split()
)
_STANDS_ALONE_AFTER = frozenset("movie film picture flick is".split())
_WHOLE_FILM = frozenset("movie film picture flick overall recommend recommended all".split())
_SPOILER = frozenset("spoiler spoilers".split())
_AWARDS = frozenset(
    "oscar oscars award awards nominated nomination nominations academy emmy globe box office".split()
)
_FIRST_PERSON = frozenset("i me my i'm i've i'd".split())
# What the pull-quote scorer weighs of a candidate sentence, in order.
QUOTE_FEATURES = (
    "lean", "whole_film", "aspects", "standalone", "exclaims", "asks", "long",
    "first", "last", "awards", "first_person",
)  # fmt: skip
# The scorer before it was learnt (the weights the picker had by hand), for a sentence model
# trained without pull-quote picks.
HAND_QUOTE = {
    "bias": 0.0,
    "weights": {
        "lean": 1.0,
        "whole_film": 0.15,
        "exclaims": 0.05,
        "standalone": 0.35,
        "asks": -0.3,
        "long": -0.1,
    },
}


def _direction(review: Review) -> int:
    return 1 if (review.probability or 0.5) >= 0.5 else -1


def _standalone(tokens: Sequence[str]) -> bool:
    if not tokens:
        return False
    return tokens[0] not in _DANGLING or (len(tokens) > 1 and tokens[1] in _STANDS_ALONE_AFTER)


def _candidates(review: Review, layout: Layout) -> list[tuple[int, Sentence, list[str]]]:
    return [
        (s, sentence, layout.tokens[s])
        for s, sentence in enumerate(review.sentences)
        if sentence.kind == "opinion" and _SPOILER.isdisjoint(layout.tokens[s])
    ]


def _excerpt(sentence: Sentence) -> Excerpt:
    return Excerpt(sentence.start, sentence.end, sentence.text)


def quote_candidates(review: Review, layout: Layout) -> list[tuple[Sentence, tuple[float, ...]]]:
    """The sentences a pull quote may be (opinion, 4 to 30 words, leaning the verdict's way, no
    spoilers) and what the scorer weighs of each (`QUOTE_FEATURES`)."""
    direction = _direction(review)
    n = len(review.sentences)
    aspects_of: dict[int, int] = {}
    for aspect in review.aspects:
        for item in aspect.evidence:
            aspects_of[item.start] = aspects_of.get(item.start, 0) + 1
    out: list[tuple[Sentence, tuple[float, ...]]] = []
    for s, sentence, tokens in _candidates(review, layout):
        words = len(sentence.text.split())
        lean = (2 * sentence.score - 1) * direction
        if not QUOTE_MIN_WORDS <= words <= QUOTE_MAX_WORDS or lean <= 0:
            continue
        features = (
            lean,
            float(not _WHOLE_FILM.isdisjoint(tokens)),
            float(min(3, aspects_of.get(sentence.start, 0))),
            float(_standalone(tokens)),
            float("!" in tokens),
            float("?" in tokens),
            max(0, words - 20) / 10,
            float(s == 0),
            float(s == n - 1),
            float(not _AWARDS.isdisjoint(tokens)),
            float(not _FIRST_PERSON.isdisjoint(tokens)),
        )
        out.append((sentence, features))
    return out


def pick_pull_quote(review: Review, layout: Layout, scorer: Mapping[str, Any] = HAND_QUOTE) -> Excerpt | None:
    """The sentence a poster would quote, by `scorer` ({"bias", "weights" by `QUOTE_FEATURES`}),
    or None when no sentence qualifies."""
    weights = [scorer["weights"].get(name, 0.0) for name in QUOTE_FEATURES]
    best: tuple[float, Sentence] | None = None
    for sentence, features in quote_candidates(review, layout):
        merit = sum(w * x for w, x in zip(weights, features, strict=True))
        if best is None or merit > best[0]:
            best = (merit, sentence)
    return _excerpt(best[1]) if best else None


def pick_summary(review: Review, layout: Layout) -> tuple[Excerpt, ...]:
    """Up to two sentences in text order: the verdict, then the main reservation or next point."""
    direction = _direction(review)
    n = len(review.sentences)
    aspects_of: dict[int, set[str]] = {}  # sentence start -> the aspects it is evidence for
    for aspect in review.aspects:
        for item in aspect.evidence:
            aspects_of.setdefault(item.start, set()).add(aspect.name)
    ranked: list[tuple[float, int, Sentence, float]] = []
    for s, sentence, tokens in _candidates(review, layout):
        if len(sentence.text.split()) > SUMMARY_MAX_WORDS:
            continue
        lean = (2 * sentence.score - 1) * direction
        merit = lean + 0.3 * (not _WHOLE_FILM.isdisjoint(tokens)) + 0.15 * (s >= n - 3)
        merit -= 0.2 * (not _standalone(tokens))
        ranked.append((merit, s, sentence, lean))
    if not ranked:
        return ()
    ranked.sort(key=lambda item: -item[0])
    _, first_at, first, _ = ranked[0]
    if ranked[0][3] <= 0:
        return (_excerpt(first),)
    threshold = MIXED_RESERVATION if review.verdict == "mixed" else RESERVATION
    contrary = [item for item in ranked if -item[3] >= threshold]
    if contrary:
        second = max(contrary, key=lambda item: -item[3])
    else:
        covered = aspects_of.get(first.start, set())
        rest = [item for item in ranked[1:] if item[3] >= AGREES]
        if not rest:
            return (_excerpt(first),)
        second = max(
            rest, key=lambda item: item[0] + 0.2 * bool(aspects_of.get(item[2].start, set()) - covered)
        )
    pair = sorted([(first_at, first), (second[1], second[2])], key=lambda item: item[0])
    return tuple(_excerpt(sentence) for _, sentence in pair)
