"""The coherence stage: a one-sentence review's verdict agrees with its sentence; longer ones keep theirs."""

import dataclasses

import pytest

from reelsense import Pipeline, Review, Sentence
from reelsense.anatomy.coherence import SIDE_MARGIN, SURE, CoherenceStage, cohere

from ..conftest import make_review


def one_sentence(
    probability: float | None, confidence: float, score: float, sentiment: str | None, verdict: str
) -> Review:
    text = "A sentence."
    return make_review(
        text=text,
        sentences=(Sentence(0, len(text), text, score, sentiment, "opinion"),),  # type: ignore[arg-type]
        verdict=verdict,
        probability=probability,
        confidence=confidence,
    )


def reading(review: Review) -> tuple[str | None, float | None, float | None]:
    return review.verdict, review.probability, review.confidence


def test_coherence_declares_its_contract() -> None:
    stage = CoherenceStage()
    assert stage.name == "coherence"
    assert stage.requires == frozenset({"sentences", "verdict", "probability", "confidence"})
    assert stage.assigns == frozenset({"sentences", "verdict", "probability", "confidence"})
    assert stage.model is None
    assert (SIDE_MARGIN, SURE) == (0.7, 0.95)


def test_coherence_puts_a_positive_verdict_on_its_negative_sentences_side() -> None:
    # mean log-odds (0.282 - 0.492) / 2 = -0.105, pushed to -0.7: P 0.3318; reliability 0.07 / 0.14
    review = one_sentence(0.57, 0.07, 0.3794, "negative", "positive")
    assert reading(cohere(review)) == ("negative", 0.3318, 0.168)


def test_coherence_puts_a_negative_verdict_on_its_positive_sentences_side() -> None:
    review = one_sentence(0.15, 0.35, 0.832, "positive", "negative")
    assert reading(cohere(review)) == ("positive", 0.6682, 0.168)


def test_coherence_takes_the_mean_log_odds_when_both_agree() -> None:
    # (logit 0.9 + logit 0.99) / 2 = 3.396: P 0.9676; reliability 0.4 / 0.8 = 0.5
    agreeing = one_sentence(0.9, 0.4, 0.99, "positive", "positive")
    assert reading(cohere(agreeing)) == ("positive", 0.9676, 0.468)
    agreeing = one_sentence(0.2, 0.3, 0.1, "negative", "negative")
    assert reading(cohere(agreeing)) == ("negative", 0.1429, 0.357)


def test_coherence_a_sure_model_keeps_its_side_and_the_sentence_takes_it() -> None:
    for p, side in ((0.95, "positive"), (0.9999, "positive"), (0.05, "negative"), (0.0, "negative")):
        sentiment = "negative" if side == "positive" else "positive"
        review = one_sentence(p, 0.9, 0.4, sentiment, side)
        assert cohere(review) == dataclasses.replace(
            review, sentences=(dataclasses.replace(review.sentences[0], sentiment=side),)
        )
        agreeing = one_sentence(p, 0.9, 0.4, side, side)
        assert cohere(agreeing) is agreeing


def test_coherence_just_short_of_sure_the_sentence_decides() -> None:
    # (logit 0.9499 + logit 0.2) / 2 = +0.778, put on the sentence's side: -0.7, P 0.3318;
    # reliability 0.8 / 0.8998 = 0.889, times the new margin 0.3364
    review = one_sentence(0.9499, 0.8, 0.2, "negative", "positive")
    assert reading(cohere(review)) == ("negative", 0.3318, 0.299)


def test_coherence_leaves_a_neutral_or_unread_sentence_to_the_model() -> None:
    for sentiment in ("neutral", None):
        review = one_sentence(0.8, 0.5, 0.1, sentiment, "positive")
        assert cohere(review) is review


def test_coherence_leaves_longer_reviews_alone() -> None:
    review = make_review(
        sentences=(
            Sentence(0, 12, "A fine film.", 0.9, "positive", "opinion"),
            Sentence(13, 24, "A dull end.", 0.2, "negative", "opinion"),
        )
    )
    assert cohere(review) is review
    assert cohere(make_review(sentences=())) == make_review(sentences=())


def test_coherence_leaves_a_review_without_a_verdict_alone() -> None:
    review = one_sentence(None, 0.0, 0.1, "negative", "positive")
    assert cohere(review) is review


def test_coherence_stage_runs_over_a_batch_in_order() -> None:
    flipped = one_sentence(0.57, 0.07, 0.3794, "negative", "positive")
    kept = one_sentence(0.8, 0.5, 0.1, "neutral", "positive")
    assert [reading(r) for r in CoherenceStage().pipe([flipped, kept])] == [
        ("negative", 0.3318, 0.168),
        ("positive", 0.8, 0.5),
    ]


@pytest.mark.parametrize(
    "text,verdict",
    [
        ("Beautiful but hollow.", "negative"),
        ("Not bad at all!", "positive"),
        ("Gorgeous, hollow, and it forgets to give its characters a pulse.", "negative"),
    ],
)
def test_coherence_end_to_end_one_sentence_verdicts_follow_their_sentence(
    pipeline: Pipeline, text: str, verdict: str
) -> None:
    review = pipeline.analyze(text)
    (only,) = review.sentences
    assert (review.verdict, only.sentiment) == (verdict, verdict)
    assert (review.probability or 0.5) > 0.5 if verdict == "positive" else (review.probability or 0.5) < 0.5


def test_coherence_end_to_end_a_neutral_sentence_keeps_the_models_verdict(pipeline: Pipeline) -> None:
    text = "The film runs two hours."
    review = pipeline.analyze(text)
    assert review.sentences[0].sentiment == "neutral"
    model_only = Pipeline(pipeline.model, anatomy=False, people=False).analyze(text)
    assert reading(review) == reading(model_only) == ("negative", 0.4634, 0.025)
