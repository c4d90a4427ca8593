"""The anatomy stage: each sentence's sentiment and kind, the film aspects judged, a pull quote, a summary.

Runs after the verdict stage on the same batch. Sentences that turn on a contrast are scored clause
by clause with the verdict model; the rules of `opinion` adjust each clause; narration is told
from opinion; aspects take their polarity from the clause that mentions them; the pull quote and
summary are picked among the opinion sentences (see `quotes`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..review import Evidence, Review, Sentence
from ..text.reading import Layout, layout_of
from ..text.tokens import expand_spans
from ..verdict.model import VerdictModel
from .aspects import (
    ASPECTS,
    JUDGED,
    AspectTerm,
    aspect_pieces,
    find_aspect_terms,
    mention_score,
    summarise_aspect,
)
from .opinion import (
    FAINT_PRAISE,
    Clause,
    OpinionModel,
    SentenceSigns,
    clause_adjustment,
    contrast_words,
    faint_praise,
    split_clauses,
)
from .quotes import pick_pull_quote, pick_summary

__all__ = ["AnatomyStage"]

_LOGIT_LIMIT = 12.0


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _probability(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-_LOGIT_LIMIT, min(_LOGIT_LIMIT, z))))


@dataclass(frozen=True, slots=True)
class _Plan:
    """How one sentence is read: its contrast clauses, its aspect mentions and the pieces they sit in."""

    clauses: list[Clause]  # for the sentence's own reading
    mentions: list[AspectTerm]
    pieces: list[tuple[int, int]]  # token ranges: the clauses, cut further between different aspects

    @property
    def scores_clauses(self) -> bool:
        """Whether its clauses need scoring (one clause is the sentence, already scored)."""
        return len(self.clauses) > 1

    @property
    def scores_pieces(self) -> bool:
        """Whether its aspect pieces need scoring (they are not just its clauses)."""
        return len(self.pieces) > 1 and [(c.start, c.end) for c in self.clauses] != self.pieces

    def texts(self, tokens: Sequence[str]) -> list[list[str]]:
        """The token runs the model must score, in order: its clauses, then its pieces, where needed."""
        runs = [tokens[c.start : c.end] for c in self.clauses] if self.scores_clauses else []
        if self.scores_pieces:
            runs += [tokens[a:b] for a, b in self.pieces]
        return [list(r) for r in runs]


@dataclass(frozen=True, slots=True)
class _Reading:
    """One sentence read: its plan, its clauses' adjusted log-odds, its aspect pieces' log-odds,
    whether it is faint praise, and its P(positive)."""

    plan: _Plan
    clause_z: list[float]
    piece_z: list[float]
    faint: bool
    probability: float


class AnatomyStage:
    """Reads the anatomy of batches of reviews the verdict stage has scored: the verdict model scores
    clauses and aspect pieces, the opinion model tells opinion from narration and gives sentiment."""

    name = "anatomy"
    requires = frozenset({"layout", "sentences"})
    assigns = frozenset({"sentences", "aspects", "pull_quote", "summary"})

    def __init__(self, verdict_model: VerdictModel, model: OpinionModel) -> None:
        self.verdict_model = verdict_model
        self.model = model

    def pipe(self, reviews: Sequence[Review]) -> list[Review]:
        batch = [(review, layout_of(review)) for review in reviews]
        readings = read_sentences(self.verdict_model, batch)
        return [
            _anatomy(review, layout, doc, self.model)
            for (review, layout), doc in zip(batch, readings, strict=True)
        ]


def sentence_signs(verdict_model: VerdictModel, reviews: Sequence[Review]) -> list[list[SentenceSigns]]:
    """What the opinion model reads of each sentence of each review (`reelsense train-opinion`
    learns from exactly this)."""
    batch = [(review, layout_of(review)) for review in reviews]
    readings = read_sentences(verdict_model, batch)
    return [_signs(layout, doc) for (_, layout), doc in zip(batch, readings, strict=True)]


def read_sentences(
    verdict_model: VerdictModel, batch: Sequence[tuple[Review, Layout]]
) -> list[list[_Reading]]:
    """Every sentence's clauses and aspect pieces scored with the verdict model and adjusted by the
    rules."""
    plans = [[_plan(layout, s) for s in range(len(layout.spans))] for _, layout in batch]
    runs = [
        run for (_, layout), doc in zip(batch, plans, strict=True)
        for tokens, plan in zip(layout.tokens, doc, strict=True) for run in plan.texts(tokens)
    ]  # fmt: skip
    logits: list[float] = []
    if runs:
        raw = verdict_model.score([[run] for run in runs]).sentence_logit
        logits = [_logit(p) for p in verdict_model.sentence_probability(raw).tolist()]
    scored = iter(logits)
    return [
        [_read(layout.tokens[s], plan, review.sentences[s].score, scored) for s, plan in enumerate(doc)]
        for (review, layout), doc in zip(batch, plans, strict=True)
    ]


def _read(
    tokens: Sequence[str], plan: _Plan, own_probability: float | None, scored: Iterator[float]
) -> _Reading:
    """One sentence's reading, taking its clause and piece scores, in order, from `scored`."""
    own = _logit(own_probability if own_probability is not None else 0.5)
    clause_z = [next(scored) for _ in plan.clauses] if plan.scores_clauses else [own]
    adjusted = [
        clause_adjustment(tokens[c.start : c.end], z) for c, z in zip(plan.clauses, clause_z, strict=True)
    ]
    z = sum(c.weight * a for c, a in zip(plan.clauses, adjusted, strict=True))
    faint = faint_praise(tokens)
    if faint:
        z = min(z, FAINT_PRAISE)
    if plan.scores_pieces:
        piece_z = [clause_adjustment(tokens[a:b], next(scored)) for a, b in plan.pieces]
    else:
        piece_z = adjusted
    return _Reading(plan, adjusted, piece_z, faint, _probability(z))


def _signs(layout: Layout, readings: Sequence[_Reading]) -> list[SentenceSigns]:
    text = layout.cleaned.text
    return [
        SentenceSigns(tokens, text[a:b], r.probability, len({m.aspect for m in r.plan.mentions}))
        for tokens, (a, b), r in zip(layout.tokens, layout.spans, readings, strict=True)
    ]


def _breaks(layout: Layout, s: int) -> list[bool]:
    """Whether a comma, semicolon, colon or dash comes right before each token of sentence s."""
    tokens = layout.tokens[s]
    text = layout.cleaned.text
    start, end = layout.spans[s]
    marks = [False] * len(tokens)
    if any(c in text[start:end] for c in ",;:–—"):
        for i, (a, _) in enumerate(expand_spans(text, start, end)):
            marks[i] = text[max(start, a - 3) : a].rstrip()[-1:] in (",", ";", ":", "-", "–", "—")
    return marks


def _plan(layout: Layout, s: int) -> _Plan:
    tokens = layout.tokens[s]
    mentions = find_aspect_terms(tokens)
    needs_breaks = len({m.aspect for m in mentions}) > 1 or not contrast_words().isdisjoint(tokens)
    breaks = _breaks(layout, s) if needs_breaks else [False] * len(tokens)
    clauses = split_clauses(tokens, breaks)
    return _Plan(clauses, mentions, aspect_pieces(tokens, mentions, [c.start for c in clauses[1:]], breaks))


def _anatomy(review: Review, layout: Layout, readings: list[_Reading], model: OpinionModel) -> Review:
    sentences: list[Sentence] = []
    evidence: dict[str, list[Evidence]] = {}
    text = layout.cleaned.text
    scores = model.scores(_signs(layout, readings)) if readings else []
    for s, (sentence, reading, score) in enumerate(zip(review.sentences, readings, scores, strict=True)):
        p = reading.probability
        opinion = score > 0
        sentiment = model.sentiment(p, score, reading.faint)
        sentences.append(
            dataclasses.replace(
                sentence, score=round(p, 4), sentiment=sentiment, kind="opinion" if opinion else "narration"
            )
        )
        plan = reading.plan
        if not opinion or not plan.mentions:
            continue
        a, b = layout.spans[s]
        offsets = expand_spans(text, a, b)
        for aspect, (mention, score) in _judged(
            plan, reading.piece_z, reading.clause_z, reading.faint
        ).items():
            c_start, c_end = offsets[mention.start][0], offsets[mention.end - 1][1]
            if not mention.cue and c_start > a and text[c_start].isupper():
                continue  # capitalised inside a sentence: a name or title ("Manufactured Landscapes")
            t_start, t_end = layout.cleaned.span(c_start, c_end)
            item = Evidence(sentence.start, sentence.end, sentence.text, t_start, t_end, round(score, 3))
            evidence.setdefault(aspect, []).append(item)
    aspects = [summarise_aspect(name, evidence[name]) for name in ASPECTS if name in evidence]
    aspects.sort(key=lambda a: (-a.mentions, -abs(a.score)))
    scored_review = dataclasses.replace(
        review,
        sentences=tuple(sentences),
        aspects=tuple(aspects),
    )
    return dataclasses.replace(
        scored_review,
        pull_quote=pick_pull_quote(scored_review, layout),
        summary=pick_summary(scored_review, layout),
    )


def _judged(
    plan: _Plan, piece_z: Sequence[float], clause_z: Sequence[float], faint: bool
) -> dict[str, tuple[AspectTerm, float]]:
    """The strongest judgement of each aspect in one sentence, each from the piece it sits in
    (or, where that piece leans no way, the clause around it).

    In faint praise ("the only good thing was the music") the praised part is praised: the
    piece's judging words, not the damning whole, give its lean.
    """
    best: dict[str, tuple[AspectTerm, float]] = {}
    for mention in plan.mentions:
        k = next((i for i, (_, end) in enumerate(plan.pieces) if mention.start < end), len(plan.pieces) - 1)
        lean = 2 * _probability(piece_z[k]) - 1
        if abs(lean) < JUDGED:
            c = next((i for i, clause in enumerate(plan.clauses) if mention.start < clause.end), 0)
            lean = 2 * _probability(clause_z[c]) - 1
        if faint:
            lean = abs(lean)
        score = mention_score(mention, lean)
        if score is None:
            continue
        held = best.get(mention.aspect)
        if held is None or abs(score) > abs(held[1]):
            best[mention.aspect] = (mention, score)
    return best
