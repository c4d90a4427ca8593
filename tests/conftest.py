from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from reelsense import Pipeline, Review, Sentence
from reelsense.corpus.records import NewReview, review_identity
from reelsense.corpus.store import Store

ROOT = Path(__file__).resolve().parent.parent
IMDB = ROOT.parent / "shared" / "data" / "imdb"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


def make_review(**overrides: Any) -> Review:
    """A hand-built analysed review, for tests that should not run the model."""
    text = overrides.pop("text", "A fine film. A dull end.")
    values: dict[str, Any] = dict(
        text=text,
        id="r1",
        normalized=text,
        sentences=(Sentence(0, 12, "A fine film.", 0.9), Sentence(13, 24, "A dull end.", 0.2)),
        verdict="positive",
        probability=0.7,
        rating=6.5,
        confidence=0.4,
        model="test@0",
    )
    values.update(overrides)
    return Review(**values)


def make_new_review(**overrides: Any) -> NewReview:
    """A review ready to store, its analysis from `make_review` unless `review` is given."""
    review = overrides.pop("review", None) or make_review()
    values: dict[str, Any] = dict(
        content_hash=f"hash of {review.text}",
        source="Our Desk",
        film_key="tt0000001",
        film_title="Film",
        film_year=2001,
        record_id=review.id,
        source_rating=None,
        date=None,
        url=None,
        meta={},
        review=review,
    )
    values.update(overrides)
    values.setdefault(
        "identity", review_identity(values["source"], values["film_key"], None, values["content_hash"])
    )
    return NewReview(**values)


@pytest.fixture()
def memory_store() -> Store:
    """An empty store in an in-memory SQLite database (one thread: each thread would get its own)."""
    return Store("sqlite://")


def imdb_slice(split: str, every: int) -> list[dict[str, Any]]:
    """Every `every`-th review of an IMDB split (both labels), or skip when the data is absent."""
    path = IMDB / f"{split}.jsonl.gz"
    if not path.exists():
        pytest.skip(f"real-data test: {path} is absent (it lives in ../shared beside the checkout)")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for i, line in enumerate(f) if i % every == 0]
