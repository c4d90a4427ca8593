import dataclasses
import json
import pickle

import jsonschema
import pytest

import reelsense
from reelsense import (
    Aspect,
    Evidence,
    Excerpt,
    Grade,
    Mention,
    Phrase,
    Pipeline,
    Review,
    Sentence,
    schema_path,
)
from reelsense.review import FrozenDict
from reelsense.text.reading import read

from .conftest import imdb_slice, make_review


def test_review_is_immutable() -> None:
    review = make_review()
    try:
        review.verdict = "negative"  # type: ignore[misc]
    except AttributeError:
        return
    raise AssertionError("Review should be frozen")


def full_review() -> Review:
    """A hand-built review with every field the stages fill in."""
    fine = Evidence(0, 12, "A fine film.", 2, 6, 0.8)
    return make_review(
        grade=Grade(0, 4, "7/10", 7.0, 10.0),
        rating=7.0,
        predicted_rating=3.9,
        phrases=(Phrase(2, 6, "fine", 0.5),),
        flags=("too_short", "grade_disagrees"),
        meta={"film": "x"},
        sentences=(
            Sentence(0, 12, "A fine film.", 0.9, "positive", "opinion"),
            Sentence(13, 24, "A dull end.", 0.2, "negative", "opinion"),
        ),
        aspects=(
            Aspect("impact", "positive", 0.8, 1, (fine,)),
            Aspect("story", "negative", -0.6, 1, (Evidence(13, 24, "A dull end.", 20, 23, -0.6),)),
        ),
        pull_quote=Excerpt(0, 12, "A fine film."),
        summary=(Excerpt(0, 12, "A fine film."), Excerpt(13, 24, "A dull end.")),
    )


def test_review_round_trips_through_json() -> None:
    review = full_review()
    again = Review.from_dict(json.loads(review.to_json()))
    assert again == review


def test_review_stored_form_leaves_out_only_what_its_text_gives_back() -> None:
    review = dataclasses.replace(
        full_review(),
        text="A fine film. A dull end.",
        normalized="A fine film. A dull end.",
        mentions=(Mention(2, 6, "Fine", "person", "Fine"),),  # not the text's own slice: kept
    )
    stored = review.to_stored()
    assert "text" not in stored and "normalized" not in stored
    assert all("text" not in s for s in stored["sentences"] + stored["summary"] + stored["phrases"])
    assert "text" not in stored["aspects"][0]["evidence"][0] and "text" not in stored["pull_quote"]
    assert stored["mentions"][0]["text"] == "Fine"
    assert Review.from_stored(json.loads(json.dumps(stored)), review.text) == review


def test_review_stored_form_keeps_a_cleaned_text_cleaning_does_not_make() -> None:
    review = dataclasses.replace(full_review(), normalized="A fine film, retold.")
    assert review.to_stored()["normalized"] == "A fine film, retold."
    assert Review.from_stored(review.to_stored(), review.text) == review


def test_review_stored_form_of_real_reviews_reads_back_the_same(pipeline: Pipeline) -> None:
    rows = imdb_slice("test", 500)  # markup (<br />) in most: sentences and the cleaned text differ
    reviews = [r for r in pipeline.analyze_many([row["text"] for row in rows]) if isinstance(r, Review)]
    assert len(reviews) == len(rows)
    full = stored = 0
    for review in reviews:
        data = review.to_dict()
        del data["text"]
        full += len(json.dumps(data))
        stored += len(json.dumps(review.to_stored()))
        assert Review.from_stored(json.loads(json.dumps(review.to_stored())), review.text) == review
        assert Review.from_stored(data, review.text) == review  # what the store held before
    assert stored < 0.55 * full


def test_review_keeps_the_models_rating_beside_the_stated_grade() -> None:
    data = full_review().to_dict()
    assert (data["schema_version"], data["rating"], data["predicted_rating"]) == ("1.2", 7.0, 3.9)


def test_review_from_a_1_1_dict_takes_its_rating_as_the_models() -> None:
    data = full_review().to_dict()
    del data["predicted_rating"]
    data["schema_version"], data["rating"] = "1.1", 3.9
    assert (Review.from_dict(data).rating, Review.from_dict(data).predicted_rating) == (3.9, 3.9)


def test_review_pickles_every_field() -> None:
    review = full_review()
    assert pickle.loads(pickle.dumps(review)) == review


def test_review_json_matches_the_shipped_schema() -> None:
    schema = json.loads(schema_path().read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(make_review(grade=Grade(0, 4, "7/10", 7.0, 10.0)).to_dict(), schema)
    jsonschema.validate(full_review().to_dict(), schema)
    assert schema["properties"]["aspects"]["items"]["properties"]["name"]["enum"] == list(reelsense.ASPECTS)


def test_review_schema_lists_every_flag() -> None:
    schema = json.loads(schema_path().read_text())
    assert schema["properties"]["flags"]["items"]["enum"] == list(reelsense.FLAGS)
    assert schema["properties"]["schema_version"]["const"] == reelsense.SCHEMA_VERSION


def test_review_meta_is_read_only_and_still_a_dict() -> None:
    review = make_review(meta={"film": "tt0111161", "tags": ["noir"]})
    assert isinstance(review.meta, FrozenDict) and review.meta == {"film": "tt0111161", "tags": ["noir"]}
    for change in (
        lambda: review.meta.__setitem__("film", "x"),
        lambda: review.meta.pop("film"),
        lambda: review.meta.update(film="x"),
        lambda: review.meta.clear(),
    ):
        with pytest.raises(TypeError, match="a review's metadata cannot be changed"):
            change()
    assert json.loads(review.to_json())["meta"] == {"film": "tt0111161", "tags": ["noir"]}
    again = pickle.loads(pickle.dumps(review))
    assert type(again.meta) is FrozenDict and again == review


def test_review_layout_is_never_serialised_or_compared() -> None:
    read_once = read(Review(text="A fine film. A dull end."))
    assert read_once.layout is not None and read_once.layout.spans == ((0, 12), (13, 24))
    assert "layout" not in read_once.to_dict() and "layout" not in repr(read_once)
    assert read_once == dataclasses.replace(read_once, layout=None)


def _mixed(*sentences: Sentence) -> Review:
    return make_review(verdict="mixed", sentences=sentences)


def test_review_mixed_reasons_are_the_strongest_praise_and_criticism() -> None:
    warm = Sentence(0, 12, "A fine film.", 0.9, "positive", "opinion")
    glowing = Sentence(13, 30, "A glorious cast.", 0.99, "positive", "opinion")
    dull = Sentence(31, 42, "A dull end.", 0.2, "negative", "opinion")
    awful = Sentence(43, 60, "An awful script.", 0.05, "negative", "opinion")
    told = Sentence(61, 80, "She kills him.", 0.01, "neutral", "narration")
    hated = Sentence(81, 100, "He hates it all.", 0.001, "negative", "narration")
    assert _mixed(warm, dull, glowing, told, awful, hated).mixed_reasons() == (glowing, awful)


def test_review_mixed_reasons_need_a_mixed_verdict_and_both_sides() -> None:
    fine = Sentence(0, 12, "A fine film.", 0.9, "positive", "opinion")
    dull = Sentence(13, 24, "A dull end.", 0.2, "negative", "opinion")
    assert make_review(verdict="positive", sentences=(fine, dull)).mixed_reasons() is None
    assert _mixed(fine).mixed_reasons() is None
    assert _mixed(dull, dataclasses.replace(fine, kind="narration")).mixed_reasons() is None
    assert _mixed(fine, dull).mixed_reasons() == (fine, dull)
