"""How a sentence reads: its clauses, its sentiment, and whether it judges the film or only narrates.

The verdict model reads each sentence as a bag of n-grams learnt from whole reviews. Three
constructions defeat that in a single sentence, so they are handled here by rule (lists in
`data/opinion.toml`), on top of the model's clause scores:
- contrast: "beautiful but hollow" is judged mostly by the clause after "but" (and the clause an
  "although" opens counts least), so each clause is scored on its own and weighted;
- negation: a negated judging word turns the clause its way ("not bad at all" is praise,
  "never convincing" is not), however the n-grams lean on IMDB;
- faint praise: "at least the costumes were nice" damns the film, so it cannot read as positive.
Narration (plot retelling, plain fact) is told from opinion by the signs of a reviewer speaking
(first and second person, judging words, words about the film as a film, a strong model score)
against the signs of a story being told (third person, what characters do, names).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from .lexicon import PhraseMatcher, aspect_taxonomy, opinion_lexicon

__all__ = [
    "Clause",
    "contrast_words",
    "split_clauses",
    "clause_adjustment",
    "faint_praise",
    "opinion_features",
    "opinion_score",
    "OPINION_WEIGHTS",
]

# Weights of a clause in its sentence's reading, by role.
MAIN, CONCESSION, PLAIN = 1.5, 0.5, 1.0
# How far a negated judging word pulls its clause (log-odds): at least this far its way.
NEGATED = 0.8
NEGATED_EMPHATIC = 1.6
NEGATED_SUPERLATIVE = -0.4  # "not the best", "not great": a little below neutral
FAINT_PRAISE = -0.5  # a sentence of faint praise reads at most this positive (log-odds)
NEGATION_REACH = 3  # a negator turns a judging word up to this many tokens after it
LEXICON_NUDGE = 0.4  # log-odds each plain judging word adds its way, at most twice over per clause
# Negators that do not negate what follows: "not only … but", "no doubt", "nothing but".
_NOT_NEGATING = frozenset("only doubt but wonder".split())
_CAPITAL_PRONOUNS = frozenset(("I", "I'm", "I've", "I'd", "I'll"))


@dataclass(frozen=True, slots=True)
class Clause:
    """Tokens [start, end) of a sentence, and how much they count in its reading."""

    start: int
    end: int
    weight: float


@dataclass(frozen=True, slots=True)
class _Lists:
    """The lists of `data/opinion.toml`, ready to match."""

    contrast: PhraseMatcher[str]
    polar: PhraseMatcher[int]
    polar_words: frozenset[str]
    negators: frozenset[str]
    emphatic: PhraseMatcher[bool]
    superlatives: frozenset[str]
    faint: PhraseMatcher[bool]
    reviewer: frozenset[str]
    film: frozenset[str]
    judging: frozenset[str]
    story_people: frozenset[str]
    story_actions: frozenset[str]


@cache
def _lists() -> _Lists:
    lex = opinion_lexicon()
    markers: list[tuple[str, str]] = [(w, "after") for w in lex["contrast_after"]]
    markers += [(w, "before") for w in lex["contrast_before"]]
    markers += [(w, "none") for w in lex["not_contrast"]]
    polar = [(w, 1) for w in lex["positive"]] + [(w, -1) for w in lex["negative"]]
    for aspect in aspect_taxonomy().values():  # words that judge an aspect judge the film too
        polar += [(w, 1) for w in aspect["positive"]] + [(w, -1) for w in aspect["negative"]]
    return _Lists(
        contrast=PhraseMatcher(markers),
        polar=PhraseMatcher(polar),
        polar_words=frozenset(w for w, _ in polar if " " not in w),
        negators=frozenset(lex["negators"]),
        emphatic=PhraseMatcher((w, True) for w in lex["emphatic"]),
        superlatives=frozenset(lex["superlatives"]),
        faint=PhraseMatcher((w, True) for w in lex["faint_praise"]),
        reviewer=frozenset(lex["reviewer"]),
        film=frozenset(lex["film"]),
        judging=frozenset(lex["judging"]),
        story_people=frozenset(lex["story_people"]),
        story_actions=frozenset(lex["story_actions"]),
    )


def contrast_words() -> frozenset[str]:
    """The first words of every contrast marker: a sentence without any has one clause."""
    return _lists().contrast.first_tokens


def split_clauses(tokens: Sequence[str], comma_before: Sequence[bool]) -> list[Clause]:
    """The clauses of a sentence by its contrast words, each weighted by its role.

    `comma_before[i]` says whether a comma (or other clause mark) comes right before token i
    (tokens carry no punctuation).
    """
    contrast = _lists().contrast
    if contrast.first_tokens.isdisjoint(tokens):
        return [Clause(0, len(tokens), PLAIN)]
    bounds: list[tuple[int, str]] = []  # (token where a clause starts, the kind of marker)
    for m in contrast.find(tokens):
        if m.value == "after" and m.start > 0:
            if tokens[m.start] != "yet" or comma_before[m.start] or tokens[m.start - 1] == "and":
                bounds.append((m.start, "after"))
        elif m.value == "before":
            end_of_concession = next((i for i in range(m.end, len(tokens)) if comma_before[i]), None)
            if m.start == 0 and end_of_concession is not None:
                bounds.append((end_of_concession, "after_concession"))
            elif m.start > 0 and comma_before[m.start]:
                bounds.append((m.start, "concession"))
    if not bounds:
        return [Clause(0, len(tokens), PLAIN)]
    starts = [0] + [b for b, _ in bounds]
    ends = starts[1:] + [len(tokens)]
    roles = [PLAIN] * len(starts)
    for k, (_, kind) in enumerate(bounds, start=1):
        if kind in ("after", "after_concession"):
            roles[k - 1], roles[k] = CONCESSION, MAIN
        else:  # the clause from here is a concession: "great acting, although the plot is thin"
            roles[k - 1], roles[k] = MAIN, CONCESSION
    clauses = [Clause(a, b, w) for a, b, w in zip(starts, ends, roles, strict=True) if b > a]
    total = sum(c.weight for c in clauses)
    return [Clause(c.start, c.end, c.weight * len(clauses) / total) for c in clauses]


def clause_adjustment(tokens: Sequence[str], logit: float) -> float:
    """The clause's log-odds once its judging words have had their say.

    Each plain judging word nudges the clause its way (`LEXICON_NUDGE`, which matters where the
    model knows the clause's words weakly); a negated one turns it the other way, at least
    `NEGATED` (or `NEGATED_EMPHATIC`, "not bad at all") past neutral.
    """
    lists = _lists()
    if lists.polar.first_tokens.isdisjoint(tokens):
        return logit
    negated_to: float | None = None
    nudge = 0.0
    for m in lists.polar.find(tokens):
        negator = next(
            (i for i in range(max(0, m.start - NEGATION_REACH), m.start) if tokens[i] in lists.negators), None
        )
        if negator is None or tokens[negator + 1] in _NOT_NEGATING:
            nudge += LEXICON_NUDGE * m.value
            continue
        word = tokens[m.start]
        if word in lists.superlatives:
            if word != "worst":  # "not the best", "not great"; "not the worst" is faint praise
                negated_to = min(negated_to if negated_to is not None else 0.0, NEGATED_SUPERLATIVE)
            continue
        after = tokens[m.end : m.end + 4]
        pull = NEGATED_EMPHATIC if any(e.start == 0 for e in lists.emphatic.find(after)) else NEGATED
        turned = -pull * m.value  # the negated word's polarity, turned
        negated_to = turned if negated_to is None or abs(turned) > abs(negated_to) else negated_to
    logit += max(-2 * LEXICON_NUDGE, min(2 * LEXICON_NUDGE, nudge))
    if negated_to is None:
        return logit
    return max(logit, negated_to) if negated_to > 0 else min(logit, negated_to)


def faint_praise(tokens: Sequence[str]) -> bool:
    """Whether the sentence praises in a way that damns ("at least the music is good")."""
    faint = _lists().faint
    return bool(faint.first_tokens.intersection(tokens)) and bool(faint.find(tokens))


# Opinion score: weights of the signs of a reviewer speaking (+) and of a story being told (−), fitted
# by `python bench/fit_opinion.py` on the development part of our labelled sentences; the bias is
# moved by −0.25 from the fit, which finds more narration at the same accuracy there.
OPINION_WEIGHTS = {
    "bias": 0.08,
    "reviewer": 0.61,
    "film": 0.46,
    "aspects": 0.67,
    "judging": 0.74,
    "polar": 0.89,
    "strength": 1.11,
    "faint": 0.27,
    "story_people": -0.52,
    "story_actions": -0.40,
    "names": -1.51,
    "long": -0.25,
}


def opinion_features(tokens: Sequence[str], text: str, probability: float, aspects: int) -> dict[str, float]:
    """The signs `opinion_score` weighs, for one sentence (`text` as written, for capitals;
    `aspects`, how many different film aspects it names or judges)."""
    lex = _lists()
    n = max(1, len(tokens))
    present = set(tokens)
    names = sum(1 for word in text.split()[1:] if word[:1].isupper() and word not in _CAPITAL_PRONOUNS)
    return {
        "reviewer": float(bool(present & lex.reviewer)),
        "film": float(bool(present & lex.film)),
        "aspects": min(2, aspects),
        "judging": min(3, sum(t in lex.judging for t in tokens)),
        "polar": min(3, sum(t in lex.polar_words for t in tokens)),
        "strength": abs(2 * probability - 1),
        "faint": float(faint_praise(tokens)),
        "story_people": min(4, sum(t in lex.story_people for t in tokens)),
        "story_actions": min(4, sum(t in lex.story_actions for t in tokens)),
        "names": names / n,
        "long": math.log(n / 20) if n > 20 else 0.0,
    }


def opinion_score(tokens: Sequence[str], text: str, probability: float, aspects: int) -> float:
    """Above 0 when the sentence judges, reacts or recommends; below when it narrates."""
    features = opinion_features(tokens, text, probability, aspects)
    return OPINION_WEIGHTS["bias"] + sum(OPINION_WEIGHTS[name] * x for name, x in features.items())
