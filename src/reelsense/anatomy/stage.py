"""The anatomy stage: each sentence's sentiment and kind, the film aspects judged, a pull quote, a summary.

Runs after the verdict stage on the same batch. Sentences that turn on a contrast are scored clause
by clause with the verdict model; the rules of `opinion` adjust each clause; that reading, the
sentence's words and the lexicon's aspect words go to the sentence model (`sentence_model`, learnt
from labelled real sentences), which gives each sentence its P(positive), whether it leans at all,
and the aspects it judges; narration is told from opinion by the opinion model; an aspect takes
its polarity from the piece of the sentence that names it (or the sentence, where no word of the
lexicon names it); the pull quote and summary are picked among the opinion sentences (`quotes`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..review import Evidence, Review, Sentence, SentenceKind, Sentiment
from ..text.reading import Layout, layout_of
from ..verdict.model import VerdictModel
from .aspects import (
    ASPECTS,
    AspectTerm,
    aspect_pieces,
    find_aspect_terms,
    summarise_aspect,
)
from .opinion import (
    FAINT_PRAISE,
    Clause,
    OpinionModel,
    SentenceSigns,
    adjusted_by,
    contrast_words,
    faint_praise,
    judging_words,
    split_clauses,
)
from .quotes import pick_pull_quote, pick_summary
from .sentence_model import Run, SentenceModel

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
    negation: float  # how far a negated judging word turns the sentence (`opinion.negation_bound`)
    piece_negation: list[float]  # the same for each of its pieces


class AnatomyStage:
    """Reads the anatomy of batches of reviews the verdict stage has scored: the verdict model scores
    clauses and aspect pieces, the rules adjust them, the sentence model reads sentiment and aspects
    from that and the words, the opinion model tells opinion from narration."""

    name = "anatomy"
    requires = frozenset({"layout", "sentences"})
    assigns = frozenset({"sentences", "aspects", "pull_quote", "summary"})

    def __init__(
        self, verdict_model: VerdictModel, model: OpinionModel, sentence_model: SentenceModel
    ) -> None:
        self.verdict_model = verdict_model
        self.opinion_model = model
        self.sentence_model = sentence_model
        self.model = _Models(model, sentence_model)

    def pipe(self, reviews: Sequence[Review]) -> list[Review]:
        batch = [(review, layout_of(review)) for review in reviews]
        readings = read_sentences(self.verdict_model, batch)
        runs: list[Run] = []
        for (_, layout), doc in zip(batch, readings, strict=True):
            for tokens, reading in zip(layout.tokens, doc, strict=True):
                runs.extend(sentence_runs(tokens, reading))
        scores = self.sentence_model.score(runs).probabilities()
        at = 0
        out = []
        for (review, layout), doc in zip(batch, readings, strict=True):
            count = sum(1 + _piece_runs(r) for r in doc)
            out.append(_anatomy(review, layout, doc, self.opinion_model, self.sentence_model, scores, at))
            at += count
        return out


@dataclass(frozen=True, slots=True)
class _Models:
    """The anatomy's two learnt parts, named together for the pipeline's name."""

    opinion: OpinionModel
    sentences: SentenceModel

    @property
    def name(self) -> str:
        return f"{self.opinion.name}+{self.sentences.name}"


def _piece_runs(reading: _Reading) -> int:
    """How many pieces of a sentence (cut by contrast or between aspects) the sentence model reads
    besides the sentence."""
    return len(reading.plan.pieces) if len(reading.plan.pieces) > 1 else 0


def sentence_runs(tokens: Sequence[str], reading: _Reading) -> list[Run]:
    """The sentence, then (where it is cut into several) its pieces, as the sentence model reads
    them; the sentence's run says which piece names each aspect."""
    plan = reading.plan
    pieces: list[Run] = []
    at: dict[str, int] = {}
    if _piece_runs(reading):
        for k, ((a, b), z) in enumerate(zip(plan.pieces, reading.piece_z, strict=True), start=1):
            inside = [m for m in plan.mentions if a <= m.start < b]
            for m in inside:
                at.setdefault(m.aspect, k)
            pieces.append(_run(tokens[a:b], z, reading.faint, inside, reading.piece_negation[k - 1]))
    return [
        _run(tokens, _logit(reading.probability), reading.faint, plan.mentions, reading.negation, at),
        *pieces,
    ]


def whole_text_runs(layout: Layout, readings: Sequence[_Reading]) -> list[Run]:
    """A whole text read as one run, as the sentence model learnt critic snippets (some of them two
    or three sentences): its tokens, the rules' log-odds weighted by each sentence's tokens, faint
    praise and negation anywhere, the lexicon's aspects; then its sentences and their pieces, which
    its run points to for each aspect (a one-sentence text is its sentence's runs)."""
    per_sentence = [sentence_runs(tokens, r) for tokens, r in zip(layout.tokens, readings, strict=True)]
    if len(per_sentence) == 1:
        return per_sentence[0]
    extras: list[Run] = []
    pieces: dict[str, int] = {}
    for runs in per_sentence:  # the first sentence (or piece) that names an aspect speaks for it
        first = 1 + len(extras)
        for aspect in sorted(runs[0].terms):
            pieces.setdefault(aspect, first + runs[0].pieces.get(aspect, 0))
        extras.extend([dataclasses.replace(runs[0], pieces={}), *runs[1:]])
    weights = [max(1, len(tokens)) for tokens in layout.tokens]
    z = sum(w * _logit(r.probability) for w, r in zip(weights, readings, strict=True)) / sum(weights)
    mentions = [m for r in readings for m in r.plan.mentions]
    tokens = [t for sentence in layout.tokens for t in sentence]
    faint = any(r.faint for r in readings)
    negation = max((run.negation for run in extras), key=abs, default=0.0)
    terms, cues = _aspect_words(mentions)
    return [Run(tokens, z, faint, terms, cues, pieces, negation), *extras]


def _run(
    tokens: Sequence[str],
    z: float,
    faint: bool,
    mentions: Sequence[AspectTerm],
    negation: float,
    pieces: dict[str, int] | None = None,
) -> Run:
    terms, cues = _aspect_words(mentions)
    return Run(list(tokens), z, faint, terms, cues, pieces or {}, negation)


def _aspect_words(mentions: Sequence[AspectTerm]) -> tuple[frozenset[str], dict[str, int]]:
    """The aspects the lexicon names in a run, and the polarity of the first word judging each."""
    cues: dict[str, int] = {}
    for m in mentions:
        if m.cue:
            cues.setdefault(m.aspect, m.cue)
    return frozenset(m.aspect for m in mentions), cues


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
    judged = [judging_words(tokens[c.start : c.end]) for c in plan.clauses]
    adjusted = [adjusted_by(j, z) for j, z in zip(judged, clause_z, strict=True)]
    z = sum(c.weight * a for c, a in zip(plan.clauses, adjusted, strict=True))
    faint = faint_praise(tokens)
    if faint:
        z = min(z, FAINT_PRAISE)
    one = plan.clauses[0]
    alone = len(judged) == 1 and (one.start, one.end) == (0, len(tokens))
    whole = judged[0] if alone else judging_words(tokens)
    if plan.scores_pieces:
        piece_judged = [judging_words(tokens[a:b]) for a, b in plan.pieces]
        piece_z = [adjusted_by(j, next(scored)) for j in piece_judged]
    else:  # its pieces are its clauses
        piece_judged, piece_z = judged, adjusted
    return _Reading(
        plan, adjusted, piece_z, faint, _probability(z), whole.bound, [j.bound for j in piece_judged]
    )


def _signs(layout: Layout, readings: Sequence[_Reading]) -> list[SentenceSigns]:
    text = layout.cleaned.text
    return [
        SentenceSigns(tokens, text[a:b], r.probability, len({m.aspect for m in r.plan.mentions}), r.faint)
        for tokens, (a, b), r in zip(layout.tokens, layout.spans, readings, strict=True)
    ]


def _breaks(layout: Layout, s: int) -> list[bool]:
    """Whether a comma, semicolon, colon or dash comes right before each token of sentence s."""
    tokens = layout.tokens[s]
    text = layout.cleaned.text
    start, end = layout.spans[s]
    marks = [False] * len(tokens)
    if any(c in text[start:end] for c in ",;:–—"):
        for i, (a, _) in enumerate(layout.offsets(s)):
            marks[i] = text[max(start, a - 3) : a].rstrip()[-1:] in (",", ";", ":", "-", "–", "—")
    return marks


def _plan(layout: Layout, s: int) -> _Plan:
    tokens = layout.tokens[s]
    mentions = find_aspect_terms(tokens)
    needs_breaks = len({m.aspect for m in mentions}) > 1 or not contrast_words().isdisjoint(tokens)
    breaks = _breaks(layout, s) if needs_breaks else [False] * len(tokens)
    clauses = split_clauses(tokens, breaks)
    return _Plan(clauses, mentions, aspect_pieces(tokens, mentions, [c.start for c in clauses[1:]], breaks))


def _anatomy(
    review: Review,
    layout: Layout,
    readings: list[_Reading],
    opinion_model: OpinionModel,
    sentence_model: SentenceModel,
    scores: dict[str, list[float]],
    at: int,
) -> Review:
    """One review's anatomy; its runs' scores start at `at` in `scores` (each sentence, then its
    pieces).

    A sentence in a review of several is opinion or narration by the opinion model, which reads it
    in its review; a review's only sentence has no review around it, so the sentence model's own
    opinion head says (it learnt from critic snippets as well as IMDB sentences)."""
    sentences: list[Sentence] = []
    evidence: dict[str, list[Evidence]] = {}
    text = layout.cleaned.text
    if len(readings) > 1:
        opinion = [x > 0 for x in opinion_model.scores(_signs(layout, readings))]
    else:
        opinion = [scores["opinion"][at] > 0.5] * len(readings)
    thresholds = sentence_model.thresholds()
    polarity, neutral = scores["polarity"], scores["neutral"]
    neutral_above = thresholds["neutral"]
    judged = [(name, scores[f"aspect:{name}"], thresholds[f"aspect:{name}"]) for name in ASPECTS]
    tone = {name: scores[f"tone:{name}"] for name in ASPECTS}
    for s, (sentence, reading, judges) in enumerate(zip(review.sentences, readings, opinion, strict=True)):
        i = at
        at += 1 + _piece_runs(reading)
        p = polarity[i]
        sentiment: Sentiment
        if not judges or neutral[i] > neutral_above:
            sentiment = "neutral"
        else:
            sentiment = "positive" if p >= 0.5 else "negative"
        kind: SentenceKind = "opinion" if judges else "narration"
        sentences.append(Sentence(sentence.start, sentence.end, sentence.text, round(p, 4), sentiment, kind))
        if not judges:
            continue
        found = [name for name, judging, above in judged if judging[i] > above]
        if not found:
            continue
        a, b = layout.spans[s]
        offsets = layout.offsets(s)
        for aspect in found:
            mention = _naming(reading.plan, aspect, text, offsets, a)
            if mention is None:
                t_start, t_end = sentence.start, sentence.end
            else:
                c_start, c_end = offsets[mention.start][0], offsets[mention.end - 1][1]
                t_start, t_end = layout.cleaned.span(c_start, c_end)
            score = 2 * tone[aspect][i] - 1
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
        pull_quote=pick_pull_quote(scored_review, layout, sentence_model.quote_scorer()),
        summary=pick_summary(scored_review, layout),
    )


def _naming(
    plan: _Plan, aspect: str, text: str, offsets: Sequence[tuple[int, int]], sentence_start: int
) -> AspectTerm | None:
    """The lexicon's word that names `aspect` in a sentence (a judging word first), or None when
    none does (the whole sentence is then the evidence)."""
    named = [m for m in plan.mentions if m.aspect == aspect]
    for mention in sorted(named, key=lambda m: not m.cue):
        c_start = offsets[mention.start][0]
        if not mention.cue and c_start > sentence_start and text[c_start].isupper():
            continue  # capitalised inside a sentence: a name or title ("Manufactured Landscapes")
        return mention
    return None
