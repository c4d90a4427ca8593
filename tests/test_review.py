import json
import pickle

import jsonschema

import reelsense
from reelsense import Aspect, Evidence, Excerpt, Grade, Phrase, Review, Sentence, schema_path

from .conftest import make_review


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
        phrases=(Phrase(2, 6, "fine", 0.5),),
        flags=("too_short",),
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


def test_review_public_surface_is_pinned() -> None:
    assert reelsense.__all__ == [
        "ASPECTS", "FLAGS", "SCHEMA_VERSION", "Aspect", "Evidence", "Excerpt", "Grade", "InputError",
        "Item", "ModelError", "Phrase",
        "Pipeline", "ReelsenseError", "Rejected", "Review", "Sentence", "SourceError",
        "VerdictModel", "__version__", "analyze", "analyze_many", "schema_path",
    ]  # fmt: skip
