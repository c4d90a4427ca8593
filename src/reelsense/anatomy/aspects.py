"""Film aspects: the taxonomy (`data/aspects.toml`), finding them in sentences, and summing them up.

A sentence mentions an aspect by a term that names it ("the score", "the cast") or by a word that
judges it on its own ("hilarious" is humour praised, "predictable" is originality faulted). Whether
a sentence judges an aspect is the sentence model's call (these mentions are among its inputs);
what it says of it comes from the piece of the sentence the mention sits in, not the whole
sentence, so "the acting is superb but the script is a mess" praises the acting and faults the
story. Judging words carry their own polarity, turned by a negator just before them ("never
boring").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from ..review import Aspect, AspectPolarity, Evidence
from .lexicon import NEGATION_REACH, Match, PhraseMatcher, aspect_taxonomy, negators

__all__ = [
    "ASPECTS",
    "AspectTerm",
    "find_aspect_terms",
    "aspect_pieces",
    "summarise_aspect",
]

# Every aspect, in report order, with what it covers.
ASPECTS: dict[str, str] = {name: spec["description"] for name, spec in aspect_taxonomy().items()}
# An aspect is mixed when its weaker side has at least this share of its stronger side's weight.
MIXED_SHARE = 0.3
MIXED_MASS = 0.25
EVIDENCE_ITEMS = 3
_JOINING = frozenset("and but while whereas yet though although plus".split())


@dataclass(frozen=True, slots=True)
class AspectTerm:
    """An aspect named or judged at tokens [start, end) of a sentence; `cue` is a judging word's polarity."""

    aspect: str
    start: int
    end: int
    cue: int  # +1 / −1 for a judging word (after negation), 0 for a plain term


@cache
def _matcher() -> PhraseMatcher[tuple[str, int | None]]:
    phrases: list[tuple[str, tuple[str, int | None]]] = []
    for name, spec in aspect_taxonomy().items():
        phrases += [(w, (name, None)) for w in spec.get("ignore", [])]
        phrases += [(w, (name, 1)) for w in spec.get("positive", [])]
        phrases += [(w, (name, -1)) for w in spec.get("negative", [])]
        phrases += [(w, (name, 0)) for w in spec["terms"]]
    return PhraseMatcher(phrases)


def find_aspect_terms(tokens: Sequence[str]) -> list[AspectTerm]:
    """The aspects a sentence's tokens name or judge, in order."""
    matcher = _matcher()
    if matcher.first_tokens.isdisjoint(tokens):
        return []
    mentions = []
    found: list[Match[tuple[str, int | None]]] = matcher.find(tokens)
    for m in found:
        aspect, cue = m.value
        if cue is None:
            continue  # an ignored phrase: the term means something else here
        if cue and not negators().isdisjoint(tokens[max(0, m.start - NEGATION_REACH) : m.start]):
            cue = -cue  # "never boring", "not predictable"
        mentions.append(AspectTerm(aspect, m.start, m.end, cue))
    return mentions


def aspect_pieces(
    tokens: Sequence[str], mentions: Sequence[AspectTerm], cuts: Sequence[int], breaks: Sequence[bool]
) -> list[tuple[int, int]]:
    """Token ranges a sentence is read in for its aspects: cut at `cuts` (its contrast clauses), and
    between two mentions of different aspects at the last comma, semicolon or joining word before
    the second ("the cinematography is stunning, | the cast is wonderful", "superb acting | and a
    dreadful script"), so each aspect is judged by what is said about it."""
    at = set(cuts)
    ordered = sorted(mentions, key=lambda m: m.start)
    for first, second in pairwise(ordered):
        if first.aspect == second.aspect or any(first.end <= c <= second.start for c in at):
            continue
        places = [i for i in range(first.end, second.start + 1) if breaks[i] or tokens[i] in _JOINING]
        if places:
            at.add(max(places))
    bounds = sorted(at | {0}) + [len(tokens)]
    return [(a, b) for a, b in pairwise(bounds) if b > a]


def summarise_aspect(name: str, evidence: Sequence[Evidence]) -> Aspect:
    """An aspect's polarity, score and strongest evidence from its judging sentences (one each)."""
    praise = sum(max(e.score, 0.0) for e in evidence)
    criticism = sum(max(-e.score, 0.0) for e in evidence)
    score = (praise - criticism) / len(evidence)
    polarity: AspectPolarity
    if min(praise, criticism) >= max(MIXED_MASS, MIXED_SHARE * max(praise, criticism)):
        polarity = "mixed"
    else:
        polarity = "positive" if score >= 0 else "negative"
    lean = 1 if score >= 0 else -1
    ranked = sorted(evidence, key=lambda e: (polarity != "mixed" and e.score * lean < 0, -abs(e.score)))
    return Aspect(name, polarity, round(score, 3), len(evidence), tuple(ranked[:EVIDENCE_ITEMS]))
