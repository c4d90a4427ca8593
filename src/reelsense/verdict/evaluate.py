"""Measure a model on labelled reviews: accuracy, macro-F1, calibration, rating error, throughput."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import spearmanr

from ..batching import DEFAULT_BATCH_SIZE
from ..inputs import label_of
from ..pipeline import Pipeline
from ..review import Item, Rejected, Review

__all__ = ["Evaluation", "evaluate", "expected_calibration_error", "macro_f1"]


@dataclass(frozen=True)
class Evaluation:
    """What `evaluate` measured."""

    reviews: int
    rejected: int
    unlabelled: int
    accuracy: float
    macro_f1: float
    ece: float
    mixed_share: float
    seconds: float
    rating_mae: float | None = None
    rating_spearman: float | None = None
    mixed_by_stars: dict[int, float] = field(default_factory=dict)
    one_class: str | None = None  # "positive" or "negative" when every labelled review is that

    @property
    def reviews_per_second(self) -> float:
        return (self.reviews + self.rejected + self.unlabelled) / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, object]:
        out = {k: v for k, v in vars(self).items()}
        out["reviews_per_second"] = round(self.reviews_per_second, 1)
        return out


def expected_calibration_error(p: np.ndarray, y: np.ndarray, bins: int = 15) -> float:
    """ECE of P(positive): the size-weighted gap between confidence and accuracy over equal-width bins
    of the predicted class's probability (Guo et al. 2017)."""
    confidence = np.maximum(p, 1 - p)
    correct = (p >= 0.5) == y
    edges = np.linspace(0.5, 1.0, bins + 1)
    which = np.clip(np.searchsorted(edges, confidence, side="right") - 1, 0, bins - 1)
    total = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            total += inside.mean() * abs(confidence[inside].mean() - correct[inside].mean())
    return float(total)


def macro_f1(predicted: np.ndarray, y: np.ndarray) -> float:
    scores = []
    for cls in (True, False):
        tp = np.sum((predicted == cls) & (y == cls))
        fp = np.sum((predicted == cls) & (y != cls))
        fn = np.sum((predicted != cls) & (y == cls))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def evaluate(
    pipeline: Pipeline,
    items: Iterable[Item | Rejected],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    jobs: int = 1,
    label_field: str = "label",
) -> Evaluation:
    """Analyse labelled items and score the results against their labels (positive = P ≥ 0.5)."""
    start = time.perf_counter()
    results = list(pipeline.analyze_many(items, batch_size=batch_size, jobs=jobs))
    seconds = time.perf_counter() - start
    reviews = [r for r in results if isinstance(r, Review)]
    labelled = [(r, label_of(r.meta, label_field)) for r in reviews]
    scored = [(r, y) for r, y in labelled if y is not None]
    if not scored:
        raise ValueError("no labelled reviews to evaluate: give a label column or field")
    p = np.array([r.probability for r, _ in scored], dtype=float)
    y = np.array([y for _, y in scored])
    predicted = p >= 0.5
    mae = spearman = None
    # the model's own estimate: a stated grade (`rating`) would score the reviewer against themselves
    stars_known = [
        (r.rating if r.predicted_rating is None else r.predicted_rating, float(r.meta["rating"]))
        for r, _ in scored
        if _has_stars(r)
    ]
    mixed_by_stars: dict[int, float] = {}
    if stars_known:
        predicted_rating, stars = (np.array(v) for v in zip(*stars_known, strict=True))
        mae = float(np.mean(np.abs(predicted_rating - stars)))
        spearman = float(spearmanr(predicted_rating, stars).statistic)
        for star in sorted(set(int(s) for s in stars)):
            group = [r for r, _ in scored if _has_stars(r) and int(float(r.meta["rating"])) == star]
            mixed_by_stars[star] = sum(r.verdict == "mixed" for r in group) / len(group)
    return Evaluation(
        reviews=len(scored),
        rejected=sum(isinstance(r, Rejected) for r in results),
        unlabelled=len(labelled) - len(scored),
        accuracy=float((predicted == y).mean()),
        macro_f1=macro_f1(predicted, y),
        ece=expected_calibration_error(p, y),
        mixed_share=sum(r.verdict == "mixed" for r, _ in scored) / len(scored),
        seconds=seconds,
        rating_mae=mae,
        rating_spearman=spearman,
        mixed_by_stars=mixed_by_stars,
        one_class=None if y.min() != y.max() else ("positive" if bool(y[0]) else "negative"),
    )


def _has_stars(review: Review) -> bool:
    value = review.meta.get("rating")
    try:
        return value is not None and 0 <= float(value) <= 10
    except (TypeError, ValueError):
        return False
