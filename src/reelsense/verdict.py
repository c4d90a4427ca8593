"""The verdict stage: P(positive), a 0–10 rating, the verdict, the sentence arc and the phrases behind it."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np

from .features import expand_spans, tokenize
from .model import BatchScores, VerdictModel
from .reading import Layout
from .review import Phrase, Review, Sentence

__all__ = ["VerdictStage", "MIXED_RULE"]

PHRASES_EACH_WAY = 5
# A review is mixed when it holds strong praise and strong criticism in comparable amounts
# (`balance`: the smaller side's mass over the larger's, mass being how far its sentences go past
# `strong`), each at least `mass`, and the whole does not lean overwhelmingly one way (`lean`).
MIXED_RULE = {"strong": 0.8, "mass": 0.1, "balance": 0.34, "lean": 0.97}
_UNRELIABLE = {"not_english": 0.25, "few_known_words": 0.25, "too_short": 0.5}


class VerdictStage:
    """Scores batches of read reviews with a `VerdictModel`."""

    def __init__(self, model: VerdictModel) -> None:
        self.model = model

    def pipe(self, batch: Sequence[tuple[Review, Layout]]) -> list[Review]:
        if not batch:
            return []
        docs = [[s.text for s in review.sentences] for review, _ in batch]
        tokens = [[tokenize(text) for text in doc] for doc in docs]
        scores = self.model.score(tokens)
        counts = [len(doc) for doc in docs]
        grades = [review.grade.value if review.grade else None for review, _ in batch]
        meta = self.model.meta_features(scores, counts, grades)
        probability = self.model.probability(meta)
        rating = self.model.rating(meta)
        sentence_p = self.model.sentence_probability(scores.sentence_logit)
        phrases = _phrases(scores, batch, counts)
        out = []
        first = 0
        for d, (review, _) in enumerate(batch):
            sp = sentence_p[first : first + counts[d]]
            first += counts[d]
            flags = list(review.flags)
            tokens_d = int(scores.doc_tokens[d])
            if tokens_d >= 4 and scores.known_tokens[d] < 0.5 * tokens_d:
                flags.append("few_known_words")
            p = float(probability[d])
            verdict, confidence = _verdict(p, sp, int(scores.known_tokens[d]), flags)
            out.append(
                dataclasses.replace(
                    review,
                    flags=tuple(flags),
                    sentences=tuple(
                        Sentence(s.start, s.end, s.text, round(float(x), 4))
                        for s, x in zip(review.sentences, sp, strict=True)
                    ),
                    verdict=verdict,
                    probability=round(p, 4),
                    rating=round(float(rating[d]), 1),
                    confidence=round(confidence, 3),
                    phrases=phrases[d],
                    model=self.model.name,
                )
            )
        return out


def _verdict(p: float, sentence_p: np.ndarray, known: int, flags: Sequence[str]) -> tuple[str, float]:
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
    order = np.lexsort((scores.feature_weight, scores.feature_doc))
    bounds = np.searchsorted(scores.feature_doc[order], np.arange(len(batch) + 1))
    first_sentence = np.concatenate(([0], np.cumsum(counts)))
    result = []
    for d, (review, layout) in enumerate(batch):
        segment = order[bounds[d] : bounds[d + 1]]
        weights = scores.feature_weight[segment]
        picks = list(segment[: PHRASES_EACH_WAY * 2][weights[: PHRASES_EACH_WAY * 2] < 0])
        picks += list(segment[::-1][: PHRASES_EACH_WAY * 2][weights[::-1][: PHRASES_EACH_WAY * 2] > 0])
        by_span: dict[tuple[int, int], float] = {}
        token_cache: dict[int, list[tuple[int, int]]] = {}
        for f in picks:
            at = scores.feature_at[f]
            s = int(occ.sentence[at] - first_sentence[d])
            a, b = layout.spans[s]
            if s not in token_cache:
                token_cache[s] = expand_spans(layout.cleaned.text, a, b)
            toks = token_cache[s]
            t, n = int(occ.token[at]), int(occ.length[at])
            start, end = toks[t][0], toks[min(t + n, len(toks)) - 1][1]
            key = (start, end)
            by_span[key] = by_span.get(key, 0.0) + float(scores.feature_weight[f])
        result.append(_pick_phrases(by_span, layout))
    return result


def _pick_phrases(by_span: dict[tuple[int, int], float], layout: Layout) -> tuple[Phrase, ...]:
    chosen: list[tuple[int, int, float]] = []
    for sign in (1, -1):
        taken: list[tuple[int, int, float]] = []
        for (start, end), w in sorted(by_span.items(), key=lambda kv: -sign * kv[1]):
            if sign * w <= 0 or len(taken) == PHRASES_EACH_WAY:
                break
            if any(start < e and s < end for s, e, _ in taken):
                continue
            taken.append((start, end, w))
        chosen += taken
    phrases = []
    for start, end, w in chosen:
        o_start, o_end = layout.cleaned.span(start, end)
        phrases.append(Phrase(o_start, o_end, layout.cleaned.text[start:end], round(w, 4)))
    return tuple(phrases)
