"""One coherent reading: a one-sentence review's verdict is its sentence's reading.

The verdict stage reads the whole text with the n-gram model learnt from whole IMDB reviews; the
anatomy then reads each sentence with the sentence model, learnt from labelled real sentences and
critic snippets (and reading the verdict model's score of the sentence, after the contrast,
negation and faint-praise rules, as one of its inputs). For a review of one sentence those are two
readings of the same words, and the sentence model is the better one there (critic snippets of the
development part, out of fold: see `reelsense train-sentences`), so this stage makes them one:

- without a stated grade, the review's P(positive) is its sentence's, and the verdict its side;
- with a stated grade, or when the one "sentence" is longer than anything the sentence model
  learnt from (more than `SHORT_TOKENS` tokens: on IMDB these are whole reviews written without a
  full stop), the verdict model decides, and a sentence that leans the other way takes the
  verdict's side (its `score`, its own reading, is kept).

With an encoder (`encoder.py`, an optional pretrained transformer the user gives), its reading
replaces the sentence model's in both cases, and a one-sentence review's sentence takes its side.

A neutral sentence (narration, or an opinion leaning no way) stays neutral. A short review of a few
sentences (at most `SHORT_TOKENS` tokens: a critic's blurb) is read the same way, as one run the
way the sentence model learnt multi-sentence snippets: on the development snippets of two or more
sentences that read was right for 78.0% of 906 out of fold, the verdict model for 73.4%
(`bench/short_reviews.py`). Longer reviews keep the verdict model's verdict: its stage two already
weighs the sentences, and it learnt from whole reviews.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..review import Review, Sentiment
from ..text.reading import layout_of
from ..text.tokens import tokenize
from ..verdict.model import VerdictModel
from .quotes import pick_pull_quote, pick_summary
from .sentence_model import Run, SentenceModel
from .stage import read_sentences, whole_text_runs

if TYPE_CHECKING:
    from .encoder import Encoder

__all__ = ["CoherenceStage", "SHORT_TOKENS"]

# Reviews of several sentences up to this many tokens are read whole by the sentence model (the
# critic snippets it learnt from have at most 53; 3.2% of IMDB test reviews are this short).
SHORT_TOKENS = 55

# Below this margin |2P − 1| the stored confidence (3 decimals) no longer tells the reliability.
_MARGIN_FLOOR = 0.02


class CoherenceStage:
    """Reads a one-sentence review's verdict and its sentence's sentiment as one: they never
    disagree; a short review of a few sentences is read whole by the sentence model.

    It applies the anatomy's models (the pipeline is named by them there), so its `model` is None,
    or the encoder when one reads short reviews.
    """

    name = "coherence"
    requires = frozenset({"layout", "sentences", "verdict", "probability", "confidence"})
    assigns = frozenset({"sentences", "verdict", "probability", "confidence", "pull_quote", "summary"})

    def __init__(
        self, verdict_model: VerdictModel, sentence_model: SentenceModel, encoder: Encoder | None = None
    ) -> None:
        self.verdict_model = verdict_model
        self.sentence_model = sentence_model
        self.encoder = encoder
        self.model = encoder

    def pipe(self, reviews: Sequence[Review]) -> list[Review]:
        out = [cohere(review) for review in reviews]
        if self.encoder is None:  # a one-sentence review took its sentence's reading in `cohere`
            whole = [i for i, r in enumerate(reviews) if _short(r)]
            read = self._read_whole(reviews, whole)
        else:  # the encoder reads both kinds
            whole = [i for i, r in enumerate(reviews) if _one_sentence_read(r) or _short(r)]
            read = self.encoder.probability([layout_of(reviews[i]).cleaned.text for i in whole]).tolist()
        for i, p in zip(whole, read, strict=True):
            out[i] = _take(_sided(reviews[i], p), p)
        return [self._requote(before, after) for before, after in zip(reviews, out, strict=True)]

    def _read_whole(self, reviews: Sequence[Review], chosen: Sequence[int]) -> list[float]:
        """The sentence model's P(positive) of each chosen review read as one run."""
        if not chosen:
            return []
        batch = [(reviews[i], layout_of(reviews[i])) for i in chosen]
        runs: list[Run] = []
        at: list[int] = []
        for (_, layout), doc in zip(batch, read_sentences(self.verdict_model, batch), strict=True):
            at.append(len(runs))
            runs.extend(whole_text_runs(layout, doc))
        probabilities: list[float] = self.sentence_model.score(runs).probability("polarity")[at].tolist()
        return probabilities

    def _requote(self, before: Review, after: Review) -> Review:
        """A review whose side moved gets its pull quote and summary picked again, for the new side."""
        if after is before or ((before.probability or 0.5) >= 0.5) == ((after.probability or 0.5) >= 0.5):
            return after
        layout = layout_of(after)
        return dataclasses.replace(
            after,
            pull_quote=pick_pull_quote(after, layout, self.sentence_model.quote_scorer()),
            summary=pick_summary(after, layout),
        )


def _short(review: Review) -> bool:
    """A review of several sentences short enough to read whole, with no stated grade to go by."""
    if len(review.sentences) < 2 or review.probability is None or review.grade is not None:
        return False
    return sum(len(tokens) for tokens in layout_of(review).tokens) <= SHORT_TOKENS


def _one_sentence_read(review: Review) -> bool:
    """A one-sentence review whose verdict is its sentence's reading (see `cohere`)."""
    return (
        len(review.sentences) == 1
        and review.probability is not None
        and review.grade is None
        and len(tokenize(review.sentences[0].text)) <= SHORT_TOKENS
    )


def _sided(review: Review, probability: float) -> Review:
    """A one-sentence review whose sentence, unless neutral, reads `probability` (the encoder's)."""
    if len(review.sentences) != 1 or review.sentences[0].sentiment == "neutral":
        return review
    side: Sentiment = "positive" if probability >= 0.5 else "negative"
    sentence = dataclasses.replace(review.sentences[0], score=round(probability, 4), sentiment=side)
    return dataclasses.replace(review, sentences=(sentence,))


def cohere(review: Review) -> Review:
    """`review` with its verdict and its one sentence read together; longer ones unchanged."""
    if len(review.sentences) != 1 or review.probability is None:
        return review
    sentence = review.sentences[0]
    if not _one_sentence_read(review):
        if review.verdict not in ("positive", "negative") or sentence.sentiment in (
            "neutral",
            review.verdict,
        ):
            return review
        side: Sentiment = review.verdict
        return dataclasses.replace(review, sentences=(dataclasses.replace(sentence, sentiment=side),))
    return _take(review, sentence.score)


def _take(review: Review, probability: float) -> Review:
    """`review` with the sentence model's P(positive) of it as its own (a mixed verdict stays)."""
    p = round(probability, 4)
    # The confidence is the model's reliability (known words, flags) times the margin |2P − 1|:
    # keep the reliability, take the new margin.
    old_margin = abs(2 * (review.probability or 0.5) - 1)
    reliability = min(1.0, (review.confidence or 0.0) / max(old_margin, _MARGIN_FLOOR))
    if review.verdict == "mixed":
        return dataclasses.replace(review, probability=p)
    return dataclasses.replace(
        review,
        verdict="positive" if p >= 0.5 else "negative",
        probability=p,
        confidence=round(reliability * abs(2 * p - 1), 3),
    )
