import json

import jsonschema

import reelsense
from reelsense import Grade, Phrase, Review, schema_path

from .conftest import make_review


def test_review_is_immutable() -> None:
    review = make_review()
    try:
        review.verdict = "negative"  # type: ignore[misc]
    except AttributeError:
        return
    raise AssertionError("Review should be frozen")


def test_review_round_trips_through_json() -> None:
    review = make_review(
        grade=Grade(0, 4, "7/10", 7.0, 10.0),
        phrases=(Phrase(2, 6, "fine", 0.5),),
        flags=("too_short",),
        meta={"film": "x"},
    )
    again = Review.from_dict(json.loads(review.to_json()))
    assert again == review


def test_review_json_matches_the_shipped_schema() -> None:
    schema = json.loads(schema_path().read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(make_review(grade=Grade(0, 4, "7/10", 7.0, 10.0)).to_dict(), schema)


def test_review_schema_lists_every_flag() -> None:
    schema = json.loads(schema_path().read_text())
    assert schema["properties"]["flags"]["items"]["enum"] == list(reelsense.FLAGS)
    assert schema["properties"]["schema_version"]["const"] == reelsense.SCHEMA_VERSION


def test_review_public_surface_is_pinned() -> None:
    assert reelsense.__all__ == [
        "FLAGS", "SCHEMA_VERSION", "Grade", "InputError", "Item", "ModelError", "Phrase",
        "Pipeline", "ReelsenseError", "Rejected", "Review", "Sentence", "SourceError",
        "VerdictModel", "__version__", "analyze", "analyze_many", "schema_path",
    ]  # fmt: skip
