"""The coherence stage: a one-sentence review's verdict is its sentence's reading; longer ones keep theirs."""

import dataclasses

import pytest

from reelsense import Grade, Pipeline, Review, Sentence
from reelsense.anatomy.coherence import SHORT_TOKENS, CoherenceStage, cohere
from reelsense.anatomy.sentence_model import SentenceModel

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


def test_coherence_declares_its_contract(pipeline: Pipeline) -> None:
    stage = CoherenceStage(pipeline.model, SentenceModel.load())
    assert stage.name == "coherence"
    assert stage.requires == frozenset({"layout", "sentences", "verdict", "probability", "confidence"})
    assert stage.assigns == frozenset(
        {"sentences", "verdict", "probability", "confidence", "pull_quote", "summary"}
    )
    assert stage.model is None


def test_coherence_a_one_sentence_review_takes_its_sentences_reading() -> None:
    # P becomes the sentence's; the confidence keeps the reliability 0.07 / 0.14 = 0.5, times the
    # new margin |2 * 0.3794 - 1| = 0.2412
    review = one_sentence(0.57, 0.07, 0.3794, "negative", "positive")
    assert reading(cohere(review)) == ("negative", 0.3794, 0.121)
    review = one_sentence(0.15, 0.35, 0.832, "positive", "negative")
    assert reading(cohere(review)) == ("positive", 0.832, 0.332)


def test_coherence_even_a_sure_model_gives_way_to_the_sentence() -> None:
    review = one_sentence(0.9999, 0.9, 0.2, "negative", "positive")
    assert reading(cohere(review)) == ("negative", 0.2, 0.54)


def test_coherence_a_neutral_sentence_still_gives_the_reviews_lean() -> None:
    review = one_sentence(0.8, 0.5, 0.3, "neutral", "positive")
    after = cohere(review)
    assert reading(after) == ("negative", 0.3, 0.333)
    assert after.sentences == review.sentences  # neutral stays neutral


def test_coherence_a_one_sentence_review_too_long_for_the_sentence_model_keeps_the_models_verdict() -> None:
    text = " ".join(["the film drifts along"] * 14)  # 56 tokens and no full stop, as some IMDB reviews
    review = make_review(
        text=text,
        sentences=(Sentence(0, len(text), text, 0.3, "negative", "opinion"),),
        verdict="positive",
        probability=0.9,
        confidence=0.8,
    )
    after = cohere(review)
    assert reading(after) == ("positive", 0.9, 0.8)
    assert after.sentences[0].sentiment == "positive" and after.sentences[0].score == 0.3


def test_coherence_with_a_stated_grade_the_model_decides_and_the_sentence_follows() -> None:
    grade = Grade(0, 2, "B+", 8.3, 10.0)
    review = dataclasses.replace(one_sentence(0.9, 0.8, 0.3, "negative", "positive"), grade=grade)
    after = cohere(review)
    assert reading(after) == reading(review)
    assert after.sentences[0].sentiment == "positive" and after.sentences[0].score == 0.3
    neutral = dataclasses.replace(one_sentence(0.9, 0.8, 0.3, "neutral", "positive"), grade=grade)
    assert cohere(neutral) is neutral


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


def test_coherence_stage_reads_a_short_review_whole_and_leaves_long_ones(pipeline: Pipeline) -> None:
    short = "Gorgeous to look at. Hollow at heart, and far too long."
    long = " ".join(["The film follows a family through one long summer by the sea."] * 6)
    verdict_only = Pipeline(pipeline.model, anatomy=False, people=False)
    read_short, read_long = pipeline.analyze(short), pipeline.analyze(long)
    assert len(read_short.sentences) == 2 and read_short.verdict == "negative"
    assert read_short.probability != verdict_only.analyze(short).probability  # the sentence model's
    assert read_long.probability == verdict_only.analyze(long).probability  # the verdict model's
    stated = pipeline.analyze(short + " Two stars out of four.")
    assert stated.probability == verdict_only.analyze(short + " Two stars out of four.").probability
    assert SHORT_TOKENS == 55


def test_coherence_picks_the_quote_again_when_the_side_moves(pipeline: Pipeline) -> None:
    """A short review the sentence model reads the other way from the verdict model quotes its new side."""
    text = "A dull first act. But the finale is glorious and the cast is superb."
    verdict_only = Pipeline(pipeline.model, anatomy=False, people=False).analyze(text)
    review = pipeline.analyze(text)
    assert (verdict_only.probability or 0.5) < 0.5 < (review.probability or 0.5)
    assert review.pull_quote is not None and review.pull_quote.text.startswith("But the finale")


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


def test_coherence_end_to_end_a_neutral_sentence_reads_as_its_sentence(pipeline: Pipeline) -> None:
    review = pipeline.analyze("She moves to Paris with her sister in 1962.")
    (only,) = review.sentences
    assert only.sentiment == "neutral"
    assert review.probability == only.score
