"""The verdict stage: P(positive), a 0–10 rating, the verdict, the sentence arc and the phrases behind it."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np

from ..review import Phrase, Review, Sentence, Verdict
from ..text.language import looks_english
from ..text.reading import Layout, layout_of
from ..text.tokens import token_span
from .model import BatchScores, VerdictModel

__all__ = ["VerdictStage", "MIXED_RULE", "GRADE_DISAGREES"]

PHRASES_EACH_WAY = 5
MIN_WORDS = 3  # fewer words than this and the review is flagged too_short
# A review is mixed when it holds strong praise and strong criticism in comparable amounts
# (`balance`: the smaller side's mass over the larger's, mass being how far its sentences go past
# `strong`), each at least `mass`, and the whole does not lean overwhelmingly one way (`lean`).
MIXED_RULE = {"strong": 0.8, "mass": 0.1, "balance": 0.34, "lean": 0.97}
_UNRELIABLE = {"not_english": 0.25, "few_known_words": 0.25, "too_short": 0.5}
# Points on 0–10 by which the stated grade and the model's rating may differ before the review is
# flagged grade_disagrees: well past the model's typical error against reviewers' stars (MAE ~1.4).
GRADE_DISAGREES = 2.5


class VerdictStage:
    """Scores batches of read reviews with a `VerdictModel`."""

    name = "verdict"
    requires = frozenset({"layout", "sentences", "normalized", "flags", "grade"})
    assigns = frozenset(
        {
            "flags",
            "sentences",
            "verdict",
            "probability",
            "rating",
            "predicted_rating",
            "confidence",
            "phrases",
        }
    )

    def __init__(self, model: VerdictModel, *, explain: bool = True) -> None:
        self.model = model
        self.explain = explain

    def pipe(self, reviews: Sequence[Review]) -> list[Review]:
        if not reviews:
            return []
        batch = [(review, layout_of(review)) for review in reviews]
        tokens = [layout.tokens for _, layout in batch]
        scores = self.model.score(tokens)
        counts = [len(doc) for doc in tokens]
        grades = [review.grade.value if review.grade else None for review, _ in batch]
        meta = self.model.meta_features(scores, counts, grades)
        probability = self.model.probability(meta)
        rating = self.model.rating(meta)
        sentence_p = self.model.sentence_probability(scores.sentence_logit)
        sentence_scores = np.round(sentence_p, 4).tolist()
        phrases = _phrases(scores, batch, counts) if self.explain else [()] * len(batch)
        out = []
        ends = np.cumsum(counts).tolist()
        for d, (review, _) in enumerate(batch):
            start, end = ends[d] - counts[d], ends[d]
            flags = list(review.flags)
            tokens_d = int(scores.doc_tokens[d])
            if tokens_d < MIN_WORDS:
                flags.append("too_short")
            if not looks_english(review.normalized or "", [t for s in tokens[d] for t in s]):
                flags.append("not_english")
            if tokens_d >= 4 and scores.known_tokens[d] < 0.5 * tokens_d:
                flags.append("few_known_words")
            # The stated grade is the rating an aggregator records; the model's stays beside it. The
            # flag is raised after the verdict so that it does not cut the model's confidence.
            predicted = round(float(rating[d]), 1)
            stated = round(review.grade.value, 1) if review.grade else None
            p = float(probability[d])
            verdict, confidence = _verdict(p, sentence_p[start:end], int(scores.known_tokens[d]), flags)
            if stated is not None and round(abs(stated - predicted), 1) > GRADE_DISAGREES:
                flags.append("grade_disagrees")
            out.append(
                dataclasses.replace(
                    review,
                    flags=tuple(flags),
                    sentences=tuple(
                        Sentence(s.start, s.end, s.text, x)
                        for s, x in zip(review.sentences, sentence_scores[start:end], strict=True)
                    ),
                    verdict=verdict,
                    probability=round(p, 4),
                    rating=predicted if stated is None else stated,
                    predicted_rating=predicted,
                    confidence=round(confidence, 3),
                    phrases=phrases[d],
                )
            )
        return out


def _verdict(p: float, sentence_p: np.ndarray, known: int, flags: Sequence[str]) -> tuple[Verdict, float]:
    """The verdict and how far to trust it (0–1)."""
    evidence = 1.0 - math.exp(-known / 12.0)
    reliability = evidence * math.prod(_UNRELIABLE.get(f, 1.0) for f in flags)
    strong = MIXED_RULE["strong"]
    praise = float(np.clip(sentence_p - strong, 0, None).sum())
    criticism = float(np.clip((1 - strong) - sentence_p, 0, None).sum())
    balance = min(praise, criticism) / max(praise, criticism) if min(praise, criticism) > 0 else 0.0
    lean = MIXED_RULE["lean"]
    enough = min(praise, criticism) >= MIXED_RULE["mass"]
    if enough and balance >= MIXED_RULE["balance"] and 1 - lean <= p <= lean:
        return "mixed", reliability * balance
    return ("positive" if p >= 0.5 else "negative"), reliability * abs(2 * p - 1)


def _phrases(
    scores: BatchScores, batch: Sequence[tuple[Review, Layout]], counts: Sequence[int]
) -> list[tuple[Phrase, ...]]:
    """For each review, the phrases whose features pushed its score most each way."""
    occ = scores.occurrences
    # By review, then weight, then place in the text: ties in weight (the same n-gram twice, two
    # n-grams of equal weight) in the order they are read, so a review's phrases are the same
    # whatever batch it is read in.
    order = np.lexsort((scores.feature_at, scores.feature_weight, scores.feature_doc))
    doc = scores.feature_doc[order]
    weight = scores.feature_weight[order]
    bounds = np.searchsorted(doc, np.arange(len(batch) + 1))
    rank = np.arange(len(order)) - bounds[doc]  # 0 = most negative within its review
    rank_back = bounds[doc + 1] - 1 - np.arange(len(order))  # 0 = most positive
    keep = ((rank < 2 * PHRASES_EACH_WAY) & (weight < 0)) | (
        (rank_back < 2 * PHRASES_EACH_WAY) & (weight > 0)
    )
    picked = order[keep]
    at = scores.feature_at[picked]
    first_sentence = np.concatenate(([0], np.cumsum(counts)))
    columns = zip(
        scores.feature_doc[picked].tolist(),
        (occ.sentence[at] - first_sentence[scores.feature_doc[picked]]).tolist(),
        occ.token[at].tolist(),
        occ.length[at].tolist(),
        scores.feature_weight[picked].tolist(),
        strict=True,
    )
    # The same n-gram at the same place can score twice (its plain and end-of-review features).
    by_doc: list[dict[tuple[int, int, int], float]] = [{} for _ in batch]
    for d, s, t, n, w in columns:
        by_doc[d][(s, t, n)] = by_doc[d].get((s, t, n), 0.0) + w
    return [_pick_phrases(by_doc[d], layout) for d, (_, layout) in enumerate(batch)]


def _pick_phrases(candidates: dict[tuple[int, int, int], float], layout: Layout) -> tuple[Phrase, ...]:
    """The strongest non-overlapping phrases each way, as spans of the original text."""
    chosen: list[tuple[int, int, int, float]] = []
    for sign in (1, -1):
        taken: list[tuple[int, int, int, float]] = []
        for (s, t, n), w in sorted(candidates.items(), key=lambda kv: -sign * kv[1]):
            if sign * w <= 0 or len(taken) == PHRASES_EACH_WAY:
                break
            if any(s == s2 and t < t2 + n2 and t2 < t + n for s2, t2, n2, _ in taken):
                continue
            taken.append((s, t, n, w))
        chosen += taken
    phrases = []
    text = layout.cleaned.text
    for s, t, n, w in chosen:
        start, end = token_span(text, *layout.spans[s], t, n)
        o_start, o_end = layout.cleaned.span(start, end)
        phrases.append(Phrase(o_start, o_end, text[start:end], round(w, 4)))
    return tuple(phrases)
