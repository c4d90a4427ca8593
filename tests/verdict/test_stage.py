import numpy as np
import pytest

from reelsense import Pipeline
from reelsense.verdict.stage import _verdict


@pytest.mark.parametrize(
    "p,sentences,expected",
    [
        (0.90, [0.99, 0.50, 0.02, 0.60], "mixed"),  # strong praise and strong criticism
        (0.30, [0.95, 0.10, 0.05, 0.40], "mixed"),
        (0.90, [0.99, 0.95, 0.60, 0.15], "positive"),  # the criticism is too weak to balance
        (0.995, [0.99, 0.02, 0.95], "positive"),  # the whole leans overwhelmingly
        (0.20, [0.40, 0.30, 0.55], "negative"),  # lukewarm, nothing strong: not mixed
        (0.50, [0.50], "positive"),
    ],
)
def test_verdict_mixed_needs_strong_praise_and_criticism(
    p: float, sentences: list[float], expected: str
) -> None:
    verdict, confidence = _verdict(p, np.array(sentences), known=50, flags=())
    assert verdict == expected
    assert 0.0 <= confidence <= 1.0


def test_verdict_confidence_falls_with_little_evidence_and_flags() -> None:
    _, sure = _verdict(0.95, np.array([0.95]), known=100, flags=())
    _, short = _verdict(0.95, np.array([0.95]), known=3, flags=())
    _, foreign = _verdict(0.95, np.array([0.95]), known=100, flags=("not_english",))
    assert sure == pytest.approx(0.9, abs=1e-3)
    assert short < 0.25 and foreign == pytest.approx(sure * 0.25)


def test_verdict_phrases_explain_both_ways(pipeline: Pipeline) -> None:
    text = "The acting is superb and the score is wonderful, but the plot is a tedious mess."
    review = pipeline.analyze(text)
    ups = [p.text for p in review.phrases if p.weight > 0]
    downs = [p.text for p in review.phrases if p.weight < 0]
    assert "superb" in ups and "wonderful" in ups
    assert any("tedious" in d or "mess" in d for d in downs)
    weights = [abs(p.weight) for p in review.phrases if p.weight > 0]
    assert weights == sorted(weights, reverse=True)
    for p in review.phrases:
        assert text[p.start : p.end] == p.text


def test_verdict_arc_scores_each_sentence(pipeline: Pipeline) -> None:
    review = pipeline.analyze("A joyous, beautiful film. Then it becomes a dull, lifeless slog.")
    first, second = review.sentences
    assert first.score > 0.7 and second.score < 0.3


def test_verdict_stated_grade_is_the_rating_and_the_models_is_kept(pipeline: Pipeline) -> None:
    text = (
        "A dull, tedious film with wooden acting and a plot that goes nowhere. "
        "Two and a half stars out of four."
    )
    review = pipeline.analyze(text)
    assert review.grade is not None and review.grade.text == "Two and a half stars out of four"
    assert review.rating == 6.2  # 6.25 on 0–10, rounded as every rating is
    assert review.predicted_rating is not None and review.predicted_rating < 3.7
    assert "grade_disagrees" in review.flags
    assert review.verdict == "negative" and review.probability is not None and review.probability < 0.5


def test_verdict_rating_is_the_models_without_a_grade(pipeline: Pipeline) -> None:
    review = pipeline.analyze("A joyous, beautiful film with superb acting.")
    assert review.grade is None
    assert review.rating == review.predicted_rating and review.rating is not None and review.rating > 7
    assert "grade_disagrees" not in review.flags


def test_verdict_grade_that_agrees_raises_no_flag(pipeline: Pipeline) -> None:
    review = pipeline.analyze("Wonderful from start to finish, a masterpiece. ★★★★★")
    assert (review.rating, review.flags) == (10.0, ())
    assert review.predicted_rating is not None and 7.5 <= review.predicted_rating < 10


def test_verdict_disagreement_leaves_the_verdict_and_its_confidence(pipeline: Pipeline) -> None:
    text = "Awful. Just awful. The worst film of the year."
    plain, graded = pipeline.analyze_many([text, text + " 9/10"])
    assert (graded.flags, graded.rating, plain.rating) == (("grade_disagrees",), 9.0, plain.predicted_rating)
    assert graded.verdict == "negative" and plain.verdict == "negative"
    args = (0.1, np.array([0.1, 0.05]), 40)
    assert _verdict(*args, flags=("grade_disagrees",)) == _verdict(*args, flags=())
