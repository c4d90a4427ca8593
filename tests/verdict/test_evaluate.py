from collections.abc import Iterable, Iterator
from typing import Any, cast

import numpy as np
import pytest

from reelsense import Item, Pipeline, Rejected, Review
from reelsense.verdict.evaluate import Evaluation, evaluate, expected_calibration_error, macro_f1

from ..conftest import make_review


def test_evaluate_macro_f1_averages_both_classes() -> None:
    predicted = np.array([True, True, False, False])
    y = np.array([True, False, False, False])
    # positive: 1 hit, 1 false alarm -> 2/3; negative: 2 hits, 1 miss -> 4/5
    assert macro_f1(predicted, y) == pytest.approx((2 / 3 + 4 / 5) / 2)
    assert macro_f1(y, y) == 1.0
    assert macro_f1(np.array([True, True]), np.array([False, False])) == 0.0


def test_evaluate_ece_is_the_weighted_gap_between_confidence_and_accuracy() -> None:
    p = np.array([0.9, 0.8, 0.3, 0.6])  # confidence 0.9, 0.8, 0.7, 0.6
    y = np.array([True, False, False, True])  # right, wrong, right, right
    # Each in its own bin: the mean of |confidence - correct| = (0.1 + 0.8 + 0.3 + 0.4) / 4.
    assert expected_calibration_error(p, y) == pytest.approx(0.4)
    # One bin: mean confidence 0.75 against 3 of 4 right.
    assert expected_calibration_error(p, y, bins=1) == pytest.approx(0.0)
    assert expected_calibration_error(np.array([1.0, 0.0]), np.array([True, False])) == 0.0
    assert expected_calibration_error(np.array([1.0, 0.0]), np.array([False, True])) == 1.0


class _Replay:
    """Stands in for a Pipeline: gives back prepared results, one per item, in order."""

    def __init__(self, results: list[Review | Rejected]) -> None:
        self.results = results
        self.batch_size: int | None = None

    def analyze_many(
        self, items: Iterable[Item | Rejected], *, batch_size: int, jobs: int
    ) -> Iterator[Review | Rejected]:
        self.batch_size = batch_size
        assert len(list(items)) == len(self.results)
        return iter(self.results)


def _evaluate(results: list[Review | Rejected], **kw: Any) -> Evaluation:
    replay = _Replay(results)
    items = [Item("x", str(i)) for i in range(len(results))]
    return evaluate(cast(Pipeline, replay), items, **kw)


def test_evaluate_scores_results_against_their_labels() -> None:
    results: list[Review | Rejected] = [
        make_review(probability=0.9, rating=9.0, verdict="positive", meta={"label": "pos", "rating": 10}),
        make_review(probability=0.6, rating=6.0, verdict="mixed", meta={"label": "neg", "rating": 3}),
        make_review(probability=0.2, rating=2.0, verdict="negative", meta={"label": "neg", "rating": 1}),
        make_review(probability=0.8, rating=8.0, verdict="positive", meta={}),
        Rejected("e", "empty text"),
    ]
    result = _evaluate(results)
    assert (result.reviews, result.rejected, result.unlabelled) == (3, 1, 1)
    assert result.accuracy == pytest.approx(2 / 3)
    assert result.macro_f1 == pytest.approx((2 / 3 + 2 / 3) / 2)
    assert result.mixed_share == pytest.approx(1 / 3)
    assert result.rating_mae == pytest.approx((1 + 3 + 1) / 3)
    assert result.rating_spearman == pytest.approx(1.0)
    assert result.mixed_by_stars == {1: 0.0, 3: 1.0, 10: 0.0}
    assert sorted(result.to_dict()) == sorted([*vars(result), "reviews_per_second"])


def test_evaluate_reads_the_label_field_it_is_given() -> None:
    results: list[Review | Rejected] = [
        make_review(probability=0.7, meta={"gold": "positive"}),
        make_review(probability=0.4, meta={"gold": "positive"}),
    ]
    result = _evaluate(results, label_field="gold")
    assert (result.reviews, result.accuracy, result.rating_mae) == (2, 0.5, None)


def test_evaluate_without_labels_says_so() -> None:
    with pytest.raises(ValueError) as refused:
        _evaluate([make_review(meta={"film": "x"})])
    assert str(refused.value) == "no labelled reviews to evaluate: give a label column or field"


def test_evaluate_reviews_per_second_counts_every_record() -> None:
    result = Evaluation(
        reviews=6, rejected=2, unlabelled=2, accuracy=1.0, macro_f1=1.0, ece=0.0, mixed_share=0.0, seconds=2.0
    )
    assert result.reviews_per_second == 5.0
    assert result.to_dict()["reviews_per_second"] == 5.0
    assert Evaluation(**{**vars(result), "seconds": 0.0}).reviews_per_second == 0.0
