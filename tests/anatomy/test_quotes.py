"""Pull quote and summary picked from hand-labelled sentences: no model runs here."""

import dataclasses

from reelsense import Aspect, Evidence, Excerpt, Review, Sentence
from reelsense.anatomy.quotes import pick_pull_quote, pick_summary
from reelsense.text.reading import layout_of, read

TEXT = (
    "The heroine sails to an island. "
    "This film is a triumph from start to finish. "
    "It looks wonderful too. "
    "Sadly the final act is a clumsy, plodding mess. "
    "Spoilers: the spoiler twist is great fun."
)


def labelled(probability: float, verdict: str, labels: list[tuple[float, str]]) -> Review:
    """TEXT read, then labelled by hand: each sentence's P(positive) and kind."""
    review = read(Review(text=TEXT))
    sentences = tuple(
        dataclasses.replace(s, score=p, kind=kind)  # type: ignore[arg-type]
        for s, (p, kind) in zip(review.sentences, labels, strict=True)
    )
    return dataclasses.replace(review, sentences=sentences, probability=probability, verdict=verdict)  # type: ignore[arg-type]


LABELS = [(0.5, "narration"), (0.95, "opinion"), (0.9, "opinion"), (0.05, "opinion"), (0.99, "opinion")]


def excerpt(s: Sentence) -> Excerpt:
    return Excerpt(s.start, s.end, s.text)


def test_quotes_pull_quote_agrees_stands_alone_and_avoids_spoilers() -> None:
    review = labelled(0.9, "positive", LABELS)
    # Not the narration, not "It looks…" (needs the sentence before), not the spoiler.
    assert pick_pull_quote(review, layout_of(review)) == excerpt(review.sentences[1])


def test_quotes_a_negative_review_quotes_its_criticism() -> None:
    review = labelled(0.1, "negative", LABELS)
    assert pick_pull_quote(review, layout_of(review)) == excerpt(review.sentences[3])


def test_quotes_no_quote_without_an_opinion_that_agrees() -> None:
    review = labelled(0.9, "positive", [(0.5, "narration")] * 3 + [(0.05, "opinion"), (0.99, "narration")])
    assert pick_pull_quote(review, layout_of(review)) is None


def test_quotes_summary_is_the_verdict_and_the_main_reservation_in_text_order() -> None:
    review = labelled(0.8, "positive", LABELS)
    s = review.sentences
    assert pick_summary(review, layout_of(review)) == (excerpt(s[1]), excerpt(s[3]))


def test_quotes_summary_without_a_reservation_takes_another_aspect() -> None:
    labels = [(0.5, "narration"), (0.95, "opinion"), (0.9, "opinion"), (0.6, "opinion"), (0.5, "narration")]
    review = labelled(0.9, "positive", labels)
    s = review.sentences
    visuals = Aspect(
        "visuals",
        "positive",
        0.8,
        1,
        (Evidence(s[2].start, s[2].end, s[2].text, s[2].start + 3, s[2].start + 8, 0.8),),
    )
    review = dataclasses.replace(review, aspects=(visuals,))
    assert pick_summary(review, layout_of(review)) == (excerpt(s[1]), excerpt(s[2]))
