"""What the store takes and gives back: frozen records around the pipeline's own `Review`.

Kept apart from `store.py` so aggregation and rendering can use them without loading SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..review import Review, Verdict

__all__ = ["NewReview", "StoredReview", "FilmRow", "SearchHit", "StoredReject"]


@dataclass(frozen=True, slots=True)
class NewReview:
    """A review to store: where it came from, what we know of it, and its analysis."""

    content_hash: str
    source: str
    film_key: str | None
    film_title: str | None
    film_year: int | None
    record_id: str | None
    source_rating: float | None
    date: str | None
    url: str | None
    meta: dict[str, Any]
    review: Review


@dataclass(frozen=True, slots=True)
class StoredReview:
    """A stored review: its id in the store, where it came from, and its analysis rebuilt as a `Review`."""

    id: int
    source: str  # the critic, or the file the review came from
    film_key: str | None
    film_title: str | None
    film_year: int | None
    record_id: str | None
    source_rating: float | None  # the rating the source itself gave, on 0–10
    date: str | None
    url: str | None
    meta: dict[str, Any]
    review: Review

    @property
    def positive(self) -> bool:
        """Whether the analysis leans positive (how films count their positive reviews)."""
        return (self.review.probability or 0.0) >= 0.5


@dataclass(frozen=True, slots=True)
class FilmRow:
    """One film's totals, computed in the database: enough to list and rank every film at once."""

    key: str
    title: str | None
    year: int | None
    reviews: int
    positive: int
    mean_rating: float


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A review that matched a search, with its film and verdict."""

    review_id: int
    text: str
    film: str | None  # the film's key
    title: str | None
    verdict: Verdict
    rating: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "review_id": self.review_id,
            "text": self.text,
            "film": self.film,
            "title": self.title,
            "verdict": self.verdict,
            "rating": self.rating,
        }


@dataclass(frozen=True, slots=True)
class StoredReject:
    """A record ingest could not analyse, with the reason it gave."""

    source: str
    record_id: str
    reason: str
    meta: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "record_id": self.record_id, "reason": self.reason, "meta": self.meta}
