"""How a sentence reads: its clauses, its sentiment, and whether it judges the film or only narrates.

The verdict model reads each sentence as a bag of n-grams learnt from whole reviews. Three
constructions defeat that in a single sentence, so they are handled here by rule (lists in
`data/opinion.toml`), on top of the model's clause scores:
- contrast: "beautiful but hollow" is judged mostly by the clause after "but" (and the clause an
  "although" opens counts least), so each clause is scored on its own and weighted;
- negation: a negated judging word turns the clause its way ("not bad at all" is praise,
  "never convincing" is not), however the n-grams lean on IMDB;
- faint praise: "at least the costumes were nice" damns the film, so it cannot read as positive.
Narration (plot retelling, plain fact) is told from opinion by a model learnt from our labelled
sentences (`reelsense train-opinion`): the signs of a reviewer speaking (first and second person,
judging words, words about the film as a film, a strong model score) against the signs of a story
being told (third person, what characters do, names), each word's learnt lean, and the sentence's
place in the review (retold plot comes in runs).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from ..errors import ModelError
from ..review import Sentiment
from .lexicon import NEGATION_REACH, PhraseMatcher, aspect_taxonomy, negators, opinion_lexicon

__all__ = [
    "Clause",
    "contrast_words",
    "split_clauses",
    "clause_adjustment",
    "adjusted_by",
    "judging_words",
    "Judged",
    "negation_bound",
    "faint_praise",
    "opinion_features",
    "lean_features",
    "LEANS",
    "SENTIMENTS",
    "OpinionModel",
    "SignWords",
    "default_opinion_model_path",
    "SentenceSigns",
    "SIGNS",
    "PLACE",
    "place_features",
]

# Weights of a clause in its sentence's reading, by role.
MAIN, CONCESSION, PLAIN = 1.5, 0.5, 1.0
# How far a negated judging word pulls its clause (log-odds): at least this far its way.
NEGATED = 0.8
NEGATED_EMPHATIC = 1.6
NEGATED_SUPERLATIVE = -0.4  # "not the best", "not great": a little below neutral
FAINT_PRAISE = -0.5  # a sentence of faint praise reads at most this positive (log-odds)
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
        negators=negators(),
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
    return adjusted_by(judging_words(tokens), logit)


def adjusted_by(judged: Judged, logit: float) -> float:
    """`clause_adjustment` for a clause whose judging words are read already."""
    logit += max(-2 * LEXICON_NUDGE, min(2 * LEXICON_NUDGE, judged.nudge))
    negated_to = judged.negated_to
    if negated_to is None:
        return logit
    return max(logit, negated_to) if negated_to > 0 else min(logit, negated_to)


def negation_bound(tokens: Sequence[str]) -> float:
    """How far a negated judging word turns the run, in log-odds ("never boring": +0.8; "not
    good": −0.8; "not bad at all": +1.6); 0 when none is negated."""
    return judging_words(tokens).bound


class Judged(NamedTuple):
    """What a run's judging words say: the plain ones' nudge, and the pull of the strongest negated
    one (None: none is negated)."""

    nudge: float
    negated_to: float | None

    @property
    def bound(self) -> float:
        """`negation_bound` of the run."""
        return self.negated_to or 0.0


_NONE_JUDGED = Judged(0.0, None)


def judging_words(tokens: Sequence[str]) -> Judged:
    """The plain judging words' nudge, and the pull of the strongest negated one."""
    lists = _lists()
    if lists.polar.first_tokens.isdisjoint(tokens):
        return _NONE_JUDGED
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
    return Judged(nudge, negated_to)


def faint_praise(tokens: Sequence[str]) -> bool:
    """Whether the sentence praises in a way that damns ("at least the music is good")."""
    faint = _lists().faint
    return not faint.first_tokens.isdisjoint(tokens) and bool(faint.find(tokens))


# The opinion model (`data/opinion-model.json`, built by `reelsense train-opinion` from our labelled
# sentences): a sentence's own reading weighs the signs below and its words (each word's learnt lean
# towards opinion or narration); its place in the review then weighs its own reading, its
# neighbours', the review's and where it stands. Above 0 it judges; below, it narrates. An opinion's
# sentiment is then the likeliest of three by its log-odds, their strength, its opinion score and
# faint praise (`LEANS`); narration is always neutral.
OPINION_MODEL = "opinion-model.json"
OPINION_MODEL_FORMAT = 3  # 3: the sign word lists are saved in the file
SENTIMENTS: tuple[Sentiment, ...] = ("negative", "neutral", "positive")
LEANS = ("logit", "strength", "opinion", "faint")
SIGNS = (
    "reviewer", "film", "aspects", "judging", "polar", "strength", "faint",
    "story_people", "story_actions", "names", "long",
)  # fmt: skip
PLACE = ("own", "neighbours", "review", "position", "first", "last")


@dataclass(frozen=True, slots=True)
class SentenceSigns:
    """What the opinion model reads of one sentence: its tokens, its text as written (for capitals),
    its P(positive) and how many different film aspects it names or judges."""

    tokens: Sequence[str]
    text: str
    probability: float
    aspects: int
    faint: bool | None = None  # faint praise, where the reading has already told (else worked out)


@dataclass(frozen=True, slots=True)
class SignWords:
    """The word lists the opinion model's signs count (`SIGNS`): part of the model, saved in its file,
    so editing `data/opinion.toml` changes a model only when it is retrained."""

    reviewer: frozenset[str]
    film: frozenset[str]
    judging: frozenset[str]
    polar: frozenset[str]
    story_people: frozenset[str]
    story_actions: frozenset[str]

    @classmethod
    def from_lexicon(cls) -> SignWords:
        """The lists as `data/opinion.toml` (and the aspects' judging words) have them now."""
        lex = _lists()
        return cls(lex.reviewer, lex.film, lex.judging, lex.polar_words, lex.story_people, lex.story_actions)

    def to_dict(self) -> dict[str, list[str]]:
        return {f.name: sorted(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, list[str]]) -> SignWords:
        return cls(**{f.name: frozenset(data[f.name]) for f in fields(cls)})


@dataclass(frozen=True)
class OpinionModel:
    """Weights of the opinion model and the word lists its signs count, as `reelsense train-opinion`
    writes them; `name` changes whenever the file does (its digest)."""

    bias: float
    signs: dict[str, float]
    words: dict[str, float]
    place_bias: float
    place: dict[str, float]
    sentiment_bias: dict[str, float]  # by sentiment
    sentiment_weights: dict[str, dict[str, float]]  # by sentiment, then by `LEANS`
    sign_words: SignWords
    name: str = "opinion@unsaved"

    @classmethod
    def load(cls, path: str | Path | None = None) -> OpinionModel:
        """The model in `path`, or the shipped one; ModelError when it is missing or unreadable."""
        where = Path(path) if path is not None else default_opinion_model_path()
        try:
            data = where.read_bytes()
        except OSError as exc:
            raise ModelError(f"cannot read opinion model {where}: {exc.strerror or exc}") from None
        try:
            return cls.from_dict(json.loads(data), name=f"opinion@{hashlib.sha256(data).hexdigest()[:12]}")
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"{where} is not an opinion model: {exc}") from None

    @classmethod
    def from_dict(cls, data: dict, name: str = "opinion@unsaved") -> OpinionModel:
        if data.get("format") != OPINION_MODEL_FORMAT:
            raise ValueError(f"opinion model format {data.get('format')!r}, expected {OPINION_MODEL_FORMAT}")
        sentence, place, sentiment = data["sentence"], data["place"], data["sentiment"]
        return cls(
            sentence["bias"], sentence["signs"], sentence["words"], place["bias"], place["weights"],
            sentiment["bias"], sentiment["weights"], SignWords.from_dict(data["sign_words"]), name,
        )  # fmt: skip

    def sentiment(self, probability: float, opinion: float, faint: bool) -> Sentiment:
        """An opinion's sentiment, the likeliest of three; narration (`opinion` ≤ 0) is neutral."""
        if opinion <= 0:
            return "neutral"
        x = lean_features(probability, opinion, faint)
        return max(
            SENTIMENTS,
            key=lambda c: (
                self.sentiment_bias[c]
                + sum(self.sentiment_weights[c][k] * v for k, v in zip(LEANS, x, strict=True))
            ),
        )

    def own(self, s: SentenceSigns) -> float:
        """A sentence's own reading: its signs and the mean lean of its known words."""
        features = opinion_features(s, self.sign_words)
        lean = self.words
        known = [lean[t] for t in s.tokens if t in lean]
        words = sum(known) / len(known) if known else 0.0
        return self.bias + words + sum(self.signs[name] * features[name] for name in SIGNS)

    def scores(self, sentences: Sequence[SentenceSigns]) -> list[float]:
        """Each sentence's opinion score, read in its review (all its sentences, in order): above 0
        when it judges, reacts or recommends; below when it narrates."""
        own = [self.own(s) for s in sentences]
        return [self.place_bias + sum(self.place[k] * x for k, x in zip(PLACE, row, strict=True))
                for row in place_features(own)]  # fmt: skip


def default_opinion_model_path() -> Path:
    return Path(str(resources.files("reelsense") / "data" / OPINION_MODEL))


def place_features(own: Sequence[float]) -> list[tuple[float, ...]]:
    """For each sentence of a review: its own reading, its neighbours' mean, the review's mean, its
    relative position, and whether it opens or closes the review (in `PLACE` order)."""
    n = len(own)
    mean = sum(own) / n if n else 0.0
    rows: list[tuple[float, ...]] = []
    for i, x in enumerate(own):
        near = [*own[max(0, i - 1) : i], *own[i + 1 : i + 2]]
        rows.append(
            (
                x,
                sum(near) / len(near) if near else 0.0,
                mean,
                i / max(1, n - 1),
                float(i == 0),
                float(i == n - 1),
            )
        )
    return rows


def lean_features(probability: float, opinion: float, faint: bool) -> tuple[float, float, float, float]:
    """What the sentiment decision weighs, in `LEANS` order."""
    p = min(max(probability, 1e-6), 1 - 1e-6)
    z = math.log(p / (1 - p))
    return (z, abs(z), opinion, float(faint))


def opinion_features(sentence: SentenceSigns, lex: SignWords) -> dict[str, float]:
    """The signs the opinion model weighs, for one sentence (`text` as written, for capitals;
    `aspects`, how many different film aspects it names or judges)."""
    tokens, text, probability = sentence.tokens, sentence.text, sentence.probability
    aspects = sentence.aspects
    n = max(1, len(tokens))
    present = set(tokens)
    names = len([w for w in text.split()[1:] if w[:1].isupper() and w not in _CAPITAL_PRONOUNS])
    return {
        "reviewer": float(not lex.reviewer.isdisjoint(present)),
        "film": float(not lex.film.isdisjoint(present)),
        "aspects": min(2, aspects),
        "judging": min(3, _count(tokens, present, lex.judging)),
        "polar": min(3, _count(tokens, present, lex.polar)),
        "strength": abs(2 * probability - 1),
        "faint": float(faint_praise(tokens) if sentence.faint is None else sentence.faint),
        "story_people": min(4, _count(tokens, present, lex.story_people)),
        "story_actions": min(4, _count(tokens, present, lex.story_actions)),
        "names": names / n,
        "long": math.log(n / 20) if n > 20 else 0.0,
    }


def _count(tokens: Sequence[str], present: set[str], words: frozenset[str]) -> int:
    """How many of `tokens` are in `words`."""
    return len([t for t in tokens if t in words]) if not words.isdisjoint(present) else 0
