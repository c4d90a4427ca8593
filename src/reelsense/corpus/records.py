"""What the store takes and gives back: frozen records around the pipeline's own `Review`.

Kept apart from `store.py` so aggregation and rendering can use them without loading SQLAlchemy.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..kb.names import name_key
from ..review import Review, Verdict

__all__ = [
    "NewReview",
    "StoredReview",
    "FilmRow",
    "SearchHit",
    "ReviewLine",
    "StoredReject",
    "content_hash",
    "review_identity",
    "reject_fingerprint",
    "meta_digest",
    "InferredTitle",
    "inferred_title",
    "title_key",
    "TITLE_MIN_REVIEWS",
    "TITLE_SURE",
    "film_of",
    "IMDB_ID",
    "snippet",
    "names_a_file",
]


def _digest(*parts: str) -> str:
    joined = "\x1f".join(parts)  # a unit separator: no part can pass for two
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def content_hash(text: object) -> str:
    """The SHA-256 of a review's text as given (bytes as they are, a str as UTF-8)."""
    data = text if isinstance(text, bytes | bytearray) else str(text).encode("utf-8", "surrogatepass")
    return hashlib.sha256(bytes(data)).hexdigest()


def review_identity(critic: str | None, film_key: str | None, own_id: str | None, text_hash: str) -> str:
    """What makes a stored review itself: who wrote it (where the input names the critic), the film
    it is given for, the record's own id (where it has one) and its text.

    The file it was read from is no part of it, so the same records ingested as `a.jsonl`, as a copy
    named `b.jsonl` or from standard input are one review each; the same text given for two films is
    two reviews (both films keep it), and so are two records of one film with their own ids."""
    return _digest("review", critic or "", film_key or "", own_id or "", text_hash)


def reject_fingerprint(source: str, record_id: str, reason: str, meta: dict[str, Any]) -> str:
    """What makes a rejected record itself: its source, id, the reason and its metadata, so records
    sharing an id are each kept unless they are the same record again."""
    return _digest("reject", source, record_id, reason, meta_digest(meta))


def meta_digest(meta: dict[str, Any]) -> str:
    """A stable digest of a record's metadata."""
    return _digest(json.dumps(meta, sort_keys=True, default=str, ensure_ascii=True))


@dataclass(frozen=True, slots=True)
class NewReview:
    """A review to store: what makes it itself (`review_identity`), where it came from, what we know
    of it, and its analysis."""

    identity: str
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
    # Where the title is inferred from the reviews: the share of the film's reviews that name it
    # (None where the input or the knowledge base gave the title, or there is none).
    title_share: float | None = None


@dataclass(frozen=True, slots=True)
class ReviewLine:
    """A stored review as a film's page lists it: its headline figures, not its text or analysis."""

    id: int
    source: str
    verdict: Verdict
    rating: float
    source_rating: float | None
    pull_quote: str | None


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


@dataclass(frozen=True, slots=True)
class InferredTitle:
    """The title most of a film's reviews name as the film they are about."""

    title: str
    year: int | None
    named: int  # how many reviews name it
    share: float  # named / the film's reviews


_ARTICLE = re.compile(r"^(?:the|a|an) ")
IMDB_ID = re.compile(r"tt\d{7,9}")
_TITLE_YEAR = re.compile(r"^(.*?)\s*\((\d{4})\)\s*$")


def film_of(value: object) -> tuple[str, str | None, int | None] | None:
    """(key, title, year) from an IMDb id or a "Title (Year)" string: the key a film is stored by
    ("past lives (2023)" for "Past Lives (2023)"), its title and year as given."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if IMDB_ID.fullmatch(text):
        return text, None, None
    m = _TITLE_YEAR.match(text)
    title, year = (m.group(1), int(m.group(2))) if m else (text, None)
    return f"{name_key(title)}{f' ({year})' if year else ''}", title, year


# A title is inferred only where two reviews name it, or one is this sure it is the reviewed film
# (the people stage's confidence): the rule chosen on the development films of `bench/titles.py`,
# where a title named once and less surely was wrong more often than right.
TITLE_MIN_REVIEWS = 2
TITLE_SURE = 0.9


def title_key(title: str) -> str:
    """A title as compared: `name_key`, without a leading article ("The Nanny" ~ "nanny")."""
    return _ARTICLE.sub("", name_key(title))


def inferred_title(named: Iterable[tuple[str, int | None, int, float]], reviews: int) -> InferredTitle | None:
    """The title a film's reviews name most, from (title, year, how many reviews, the surest
    confidence) as the analyses found them; spellings of one title (case, punctuation, a leading
    article) count together, and the most common spelling (not in capitals, on a tie) and year are
    given. None when no title is
    named by `TITLE_MIN_REVIEWS` reviews or as surely as `TITLE_SURE`."""
    groups: dict[str, list[tuple[str, int | None, int, float]]] = {}
    for title, year, n, sure in named:
        key = title_key(title)
        if key:
            groups.setdefault(key, []).append((title, year, n, sure))
    if not groups or reviews <= 0:
        return None

    def weight(key: str) -> tuple[int, float, int, str]:  # most reviews, surest, fullest, by name
        entries = groups[key]
        return (sum(e[2] for e in entries), max(e[3] for e in entries), len(key), key)

    chosen = max(groups, key=weight)
    count, sure = weight(chosen)[:2]
    if count < TITLE_MIN_REVIEWS and sure < TITLE_SURE:
        return None
    spellings: dict[str, int] = {}
    years: dict[int, int] = {}
    for title, year, n, _ in groups[chosen]:
        spellings[title] = spellings.get(title, 0) + n
        if year is not None:
            years[year] = years.get(year, 0) + n
    title = max(sorted(spellings), key=lambda t: (spellings[t], not t.isupper()))
    year = max(sorted(years), key=lambda y: years[y]) if years else None
    return InferredTitle(title, year, count, round(min(1.0, count / reviews), 4))


def snippet(text: str, query: str, before: int = 60, after: int = 140) -> tuple[str, list[tuple[int, int]]]:
    """The part of `text` around the first word of `query` it holds (spaces and line breaks made
    single, "…" where cut), and where each word of the query stands in it (start, end), in order."""
    flat = " ".join(text.replace("<br />", " ").split())
    low = flat.lower()
    words = [w.lower() for w in query.split() if w.strip()]
    at = min((i for w in words if (i := low.find(w)) >= 0), default=0)
    start = max(0, at - before)
    end = min(len(flat), at + after)
    lead = "…" if start > 0 else ""
    shown = lead + flat[start:end] + ("…" if end < len(flat) else "")
    spans: list[tuple[int, int]] = []
    low_shown = shown.lower()
    for w in words:
        i = low_shown.find(w)
        while i >= 0:
            spans.append((i, i + len(w)))
            i = low_shown.find(w, i + len(w))
    return shown, sorted(set(spans))


_FILE_LIKE = re.compile(r"[/\\]|\.[A-Za-z0-9]{1,5}$|^stdin$")


def names_a_file(source: str) -> bool:
    """Whether a review's source is the input it was read from (a path, a name with an extension,
    stdin) rather than a critic: what ingest records when the input names no critic."""
    return bool(_FILE_LIKE.search(source))
