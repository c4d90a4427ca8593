"""The anatomy stage end to end on sentences and reviews we wrote to be tricky."""

import csv
import gzip
import json

import pytest

import reelsense
from reelsense import Pipeline, Review
from reelsense.anatomy.lexicon import negators
from reelsense.verdict.features import NEGATORS

from ..conftest import ROOT, imdb_slice


def sentence(pipeline: Pipeline, text: str) -> tuple[str | None, str | None]:
    (only,) = pipeline.analyze(text).sentences
    return only.sentiment, only.kind


# Own-written sentences the learnt sentence model still reads wrong. The rules that once forced them
# (a negated judging word as a floor, faint praise as a cap) lost 21 and 10 points on the real
# labelled sentences they touch (`reelsense train-sentences` report, "cv_hard_rules"), so they are
# inputs now, not verdicts; strict, so a model that learns them makes these pass and asks for an edit.
KNOWN_MISS = pytest.mark.xfail(strict=True, reason="learnt model; the hard rule lost on real sentences")


@pytest.mark.parametrize(
    "text,sentiment,kind",
    [
        ("Not bad at all.", "positive", "opinion"),
        ("The film is not good at all.", "negative", "opinion"),
        pytest.param("It is never boring.", "positive", "opinion", marks=KNOWN_MISS),
        ("Do not waste your time on this one.", "negative", "opinion"),
        ("The visuals are beautiful but the story is hollow.", "negative", "opinion"),
        ("Although the plot is thin, the performances are wonderful.", "positive", "opinion"),
        pytest.param("At least the costumes were nice.", "negative", "opinion", marks=KNOWN_MISS),
        ("It was watchable, I guess.", "negative", "opinion"),
        ("I loved every minute of it.", "positive", "opinion"),
        ("I despised every minute of this film.", "negative", "opinion"),
        ("He despises his brother and plans to kill him.", "neutral", "narration"),
        ("She falls in love with a soldier who is sent to the front.", "neutral", "narration"),
        ("The story follows a young boxer who trains for the fight of his life.", "neutral", "narration"),
    ],
)
def test_anatomy_sentence_sentiment_by_design(
    pipeline: Pipeline, text: str, sentiment: str, kind: str
) -> None:
    assert sentence(pipeline, text) == (sentiment, kind)


def aspects(review: Review) -> dict[str, str]:
    return {a.name: a.polarity for a in review.aspects}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The acting is superb but the script is a mess.", {"acting": "positive", "story": "negative"}),
        ("Superb acting and a dreadful script.", {"acting": "positive", "story": "negative"}),
        (
            "The cinematography is stunning, the cast is wonderful, and the score is forgettable.",
            {"visuals": "positive", "acting": "positive", "music": "negative"},
        ),
        ("The jokes never land and the pacing is sluggish.", {"humour": "negative", "pacing": "negative"}),
        ("It's hilarious.", {"humour": "positive"}),
        ("Utterly predictable.", {"originality": "negative"}),
        pytest.param("The only good thing was the music.", {"music": "positive"}, marks=KNOWN_MISS),
        ("It is worse than the original.", {}),
        ("I saw Manufactured Landscapes at a festival.", {}),
        ("After the war, the composer moves to Vienna with his family.", {}),  # narration judges nothing
    ],
)
def test_anatomy_aspect_polarity_comes_from_its_own_clause(
    pipeline: Pipeline, text: str, expected: dict[str, str]
) -> None:
    assert aspects(pipeline.analyze(text)) == expected


MIXED = (
    "Harbour Lights is two films stitched together. I loved the first hour: the cinematography is "
    "stunning and the cast is wonderful. But the crime plot is predictable and the last act drags "
    "badly. He finds a bag of money and hides it in the boat. Worth seeing for the photography alone."
)


def test_anatomy_evidence_points_into_the_original_text(pipeline: Pipeline) -> None:
    review = pipeline.analyze("<p>" + MIXED.replace(". ", ".<br /><br />") + "</p>")
    assert review.aspects
    for aspect in review.aspects:
        for item in aspect.evidence:
            assert review.text[item.start : item.end] == item.text
            assert item.start <= item.term_start < item.term_end <= item.end
    visuals = next(a for a in review.aspects if a.name == "visuals")
    assert review.text[visuals.evidence[0].term_start : visuals.evidence[0].term_end] == "cinematography"
    assert visuals.mentions == 2


def test_anatomy_mixed_review(pipeline: Pipeline) -> None:
    review = pipeline.analyze(MIXED)
    assert aspects(review) == {
        "visuals": "positive",
        "acting": "positive",
        "story": "negative",
        "pacing": "negative",
        "originality": "negative",
    }
    assert [s.kind for s in review.sentences].count("narration") == 1
    assert review.verdict == "mixed"
    # the quote leans the way the probability does; the summary carries both sides, in text order
    assert review.pull_quote is not None and review.probability is not None
    lean = "I loved the first hour" if review.probability >= 0.5 else "But the crime plot"
    assert review.pull_quote.text.startswith(lean)
    assert [e.text[:20] for e in review.summary] == ["I loved the first ho", "But the crime plot i"]


def test_anatomy_pull_quote_agrees_stands_alone_and_is_short(pipeline: Pipeline) -> None:
    text = (
        "It is long. But it is worth it. The director stages every scene with real wit and the final "
        "twenty minutes are among the most thrilling I have seen this year, and I have seen a great many "
        "films this year in every kind of cinema there is. This is a superb, moving film. "
        "The score is a little loud."
    )
    review = pipeline.analyze(text)
    assert review.verdict == "positive"
    assert review.pull_quote is not None
    assert review.pull_quote.text == "This is a superb, moving film."
    assert review.text[review.pull_quote.start : review.pull_quote.end] == review.pull_quote.text


def test_anatomy_no_pull_quote_from_narration_or_spoilers(pipeline: Pipeline) -> None:
    review = pipeline.analyze("He kills the king. Spoiler: the butler did it and it is a brilliant twist.")
    assert review.pull_quote is None


def test_anatomy_can_be_switched_off(pipeline: Pipeline) -> None:
    review = Pipeline(pipeline.model, anatomy=False).analyze(MIXED)
    assert review.aspects == () and review.pull_quote is None and review.summary == ()
    assert {s.sentiment for s in review.sentences} == {None}


def test_anatomy_labelled_sets_point_at_real_sentences() -> None:
    """Our hand labels are ids and offsets: they must land on words of the IMDB train reviews."""
    rows = _labelled("sentences.tsv")
    reviews = {r["id"]: r["text"] for r in imdb_slice("train", 1)}
    for row in rows:
        text = reviews[row["review_id"]]
        start, end = int(row["start"]), int(row["end"])
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip(), row
        assert start == 0 or not text[start - 1].isalnum(), row  # starts on a word, not inside one
    assert {r["review_id"] for r in _labelled("aspects.tsv")} <= reviews.keys()


def _labelled(name: str) -> list[dict[str, str]]:
    with open(ROOT / "bench" / "data" / name, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_anatomy_negation_vocabulary_differs_from_the_verdict_models_by_name(pipeline: Pipeline) -> None:
    """Two negation lists, on purpose: the verdict model's is frozen in its file with the n-grams it
    learnt; the anatomy's one list (clause rules and aspect cues alike) also reads the words that
    negate a judgement without a 'not' ('barely convincing', 'lacks tension')."""
    verdict = set(pipeline.model.params["negators"])
    assert verdict == set(NEGATORS)  # the shipped model was trained with today's default
    assert verdict <= negators()
    assert negators() - verdict == {"barely", "scarcely", "lacks", "lacking", "lacked"}
    (review,) = [pipeline.analyze("The script lacks charm.")]
    assert review.sentences[0].sentiment == "negative"
    assert ("story", "negative") in [(a.name, a.polarity) for a in review.aspects]


def test_anatomy_critic_snippet_labels_point_at_real_snippets() -> None:
    """bench/data/rt-snippets.tsv: shared RT snippet ids, allowed values, a twice-labelled eval part."""
    source = ROOT.parent / "shared" / "data" / "rt" / "train.jsonl.gz"
    if not source.exists():
        pytest.skip(f"real-data test: {source} is absent (it lives in ../shared beside the checkout)")
    with gzip.open(source, "rt", encoding="utf-8") as f:
        known = {json.loads(line)["id"] for line in f}
    with open(ROOT / "bench" / "data" / "rt-snippets.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    with open(ROOT / "bench" / "data" / "rt-snippets-second.tsv", encoding="utf-8") as f:
        second = list(csv.DictReader(f, delimiter="\t"))
    assert len(rows) == len({r["snippet_id"] for r in rows}) == len(known) == 5300
    assert {r["snippet_id"] for r in rows} <= known
    assert [r["snippet_id"] for r in rows if r["part"] == "eval"] == [r["snippet_id"] for r in second]
    aspects = set(reelsense.ASPECTS)
    for row in [*rows, *second]:
        assert row["sentiment"] in ("positive", "neutral", "negative") and row["kind"] in (
            "opinion",
            "plot",
            "fact",
        )
        if row["aspects"] != "none":
            pairs = [item.split(":") for item in row["aspects"].split(";")]
            assert all(a in aspects and p in ("positive", "negative", "mixed") for a, p in pairs), row
