"""Ingest: read reviews from any source, analyse the new ones on every core, store them in batches.

Idempotent and resumable: a review is identified by who wrote it (where the input names the critic),
the film it is given for, the record's own id (where it has one) and its text
(`records.review_identity`), never by the name of the file it came in, and reviews already stored
are skipped before analysis. Each batch is written in one transaction, so killing an ingest at any
moment loses at most the batch in flight, and running it again stores exactly what is missing; two
ingests at once both finish, each review stored once. Every record read ends up stored, already
stored or rejected with its reason: the report's counts always add up to what was read.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..batching import DEFAULT_BATCH_SIZE, batched
from ..pipeline import Pipeline
from ..review import Item, Rejected, Review
from ..text.grades import find_grade
from .records import NewReview, content_hash, film_of, review_identity
from .store import Store

__all__ = [
    "FieldMap", "IngestReport", "Outcome", "ingest", "ingest_analysed", "film_of", "reason_kind",
    "stated_rating", "keyed", "new_review", "source_of",
]  # fmt: skip

WRITE_BATCH = 256


@dataclass(frozen=True)
class FieldMap:
    """Where each record keeps what we store about it, and values that hold for every record."""

    film_field: str | None = None  # an IMDb id (tt…) or "Title (Year)"
    film: str | None = None  # the film of every record
    critic_field: str | None = None
    critic: str | None = None  # the critic/source of every record (default: the input's name)
    date_field: str | None = "date"
    rating_field: str | None = None  # the source's own rating: 0–10, or a grade ("3/4", "B+", "★★★½")
    url_field: str | None = "url"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one record: "stored" (now or earlier in the same run), "already stored", or
    "rejected" with its reason; `identity` names the review it is (`records.review_identity`)."""

    record_id: str | None
    status: str
    identity: str | None = None
    reason: str | None = None


@dataclass
class IngestReport:
    read: int = 0
    stored: int = 0
    already_stored: int = 0
    rejected: int = 0
    seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)
    ratings_unread: int = 0  # stored reviews whose --rating-field value is no rating (kept without one)
    # With `ingest(..., keep_outcomes=True)`: what became of each record, in input order.
    outcomes: list[Outcome] | None = None

    def add(self, other: IngestReport) -> None:
        """Count another ingest's records and time into this one (several sources, one summary)."""
        self.read += other.read
        self.stored += other.stored
        self.already_stored += other.already_stored
        self.rejected += other.rejected
        self.seconds += other.seconds
        self.ratings_unread += other.ratings_unread
        for reason, n in other.reasons.items():
            self.reasons[reason] = self.reasons.get(reason, 0) + n

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "stored": self.stored,
            "already_stored": self.already_stored,
            "rejected": self.rejected,
            "seconds": round(self.seconds, 2),
            "reviews_per_second": round(self.read / self.seconds, 1) if self.seconds else None,
            "reasons": self.reasons,
            "ratings_unread": self.ratings_unread,
        }


def ingest(
    store: Store,
    pipeline: Pipeline,
    items: Iterable[Item | Rejected],
    source: str,
    fields: FieldMap = FieldMap(),
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    jobs: int = 1,
    progress: Callable[[IngestReport], None] | None = None,
    keep_outcomes: bool = False,
) -> IngestReport:
    """Analyse and store every new record of `items` (from `inputs.read_source`); see the module doc.
    With `keep_outcomes`, the report also says what became of each record (`IngestReport.outcomes`)."""
    report = IngestReport()
    began = time.perf_counter()
    # (record, source, hash, identity, its place in the input)
    pending: deque[tuple[Item | Rejected, str, str, str, int]] = deque()
    outcomes: list[tuple[int, Outcome]] = []  # kept only when asked: a big ingest holds no list

    def note(place: int, outcome: Outcome) -> None:
        if keep_outcomes:
            outcomes.append((place, outcome))

    def fresh() -> Iterator[Item | Rejected]:
        for block in batched(items, 512):
            report.read += len(block)
            keyed_block: list[tuple[Item | Rejected, str, str]] = []
            for record in block:
                digest, identity = keyed(record, fields) if isinstance(record, Item) else ("", "")
                keyed_block.append((record, digest, identity))
            known = store.stored_identities([i for _, _, i in keyed_block if i])
            first = report.read - len(block)
            for place, (record, digest, identity) in enumerate(keyed_block, start=first):
                if identity and identity in known:
                    report.already_stored += 1
                    note(place, Outcome(record.id, "already stored", identity))
                    continue
                pending.append((record, source_of(record, source, fields), digest, identity, place))
                yield record
            if progress:
                progress(report)

    batch: list[NewReview] = []
    for result in pipeline.analyze_many(fresh(), batch_size=batch_size, jobs=jobs):
        record, name, digest, identity, place = pending.popleft()
        if isinstance(result, Rejected):
            record_id = str(result.id or (record.id if isinstance(record, Item) else None) or digest[:16])
            meta = dict(result.meta)
            store.reject(name, record_id, result.reason, meta)
            note(place, Outcome(record_id, "rejected", reason=result.reason))
            report.rejected += 1  # every time it is read: the counts add up to what was read
            kind = reason_kind(result.reason)
            report.reasons[kind] = report.reasons.get(kind, 0) + 1
            continue
        assert isinstance(record, Item)
        new = new_review(record, result, name, digest, identity, fields)
        note(place, Outcome(record.id, "stored", identity))
        if (
            new.source_rating is None
            and fields.rating_field
            and record.meta.get(fields.rating_field) not in (None, "")
        ):
            report.ratings_unread += 1
        batch.append(new)
        if len(batch) >= WRITE_BATCH:
            _save(store, batch, report)
            batch = []
    if batch:
        _save(store, batch, report)
    report.seconds = time.perf_counter() - began
    if keep_outcomes:
        report.outcomes = [outcome for _, outcome in sorted(outcomes, key=lambda o: o[0])]
    if progress:
        progress(report)
    return report


def reason_kind(reason: str) -> str:
    """A reason with its figures and places taken out, so the summary counts like with like: "too
    long: 1,204,113 characters, the limit is 1,000,000 (…)" -> "too long: N characters, the limit is N
    (…)"; "not valid JSON (Expecting value, column 5)" -> "… column N"."""
    return _FIGURES.sub("N", reason)


_FIGURES = re.compile(r"(?<![\w+-])\d[\d,.]*\d(?![\w])|(?<![\w+-])\d(?![\w])")


def _save(store: Store, batch: list[NewReview], report: IngestReport) -> None:
    new = store.save(batch)  # a text repeated within this run is stored once, like one stored before
    report.stored += new
    report.already_stored += len(batch) - new


def _critic_of(record: Item | Rejected, fields: FieldMap) -> str | None:
    """The critic the input names for a record (None: it names none)."""
    if fields.critic:
        return fields.critic
    if fields.critic_field and record.meta.get(fields.critic_field):
        return str(record.meta[fields.critic_field])
    return None


def keyed(record: Item, fields: FieldMap) -> tuple[str, str]:
    """A record's content hash and identity (`records.review_identity`), known before analysis."""
    digest = content_hash(record.text)
    film = _given_film(record.meta, fields)
    own = record.id if record.own_id else None
    return digest, review_identity(_critic_of(record, fields), film[0] if film else None, own, digest)


def source_of(record: Item | Rejected, default: str, fields: FieldMap) -> str:
    """Where a review is said to come from: its critic, else the input's name."""
    return _critic_of(record, fields) or default


def _given_film(meta: Any, fields: FieldMap) -> tuple[str, str | None, int | None] | None:
    """The film the input gives for a record (not one the analysis guessed)."""
    film = film_of(fields.film) if fields.film else None
    if film is None and fields.film_field:
        film = film_of(meta.get(fields.film_field))
    return film


def stated_rating(value: object) -> float | None:
    """A source's own rating on 0–10: a number from 0 to 10 as it is, or a grade in any form the
    grade reader knows ("8/10", "3.5/5", "2 out of 4", "B+", "★★★½"; `text.grades`); None for
    anything else (a number past 10 has no known scale)."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        grade = find_grade(text) if 0 < len(text) <= 40 else None
        # the grade must be the whole value, not a figure inside some other text
        return grade.value if grade is not None and len(grade.text) >= len(text) - 2 else None
    return number if math.isfinite(number) and 0 <= number <= 10 else None


def new_review(
    record: Item, review: Review, source: str, digest: str, identity: str, fields: FieldMap
) -> NewReview:
    """What the store keeps of an analysed record: the review with the film, critic, rating, date and
    url the input gives (or, for the film, the one the analysis identified surely enough)."""
    meta = dict(record.meta)
    film = _given_film(meta, fields)
    guess = review.film
    if film is None and guess is not None and (guess.link or guess.confidence >= 0.5):
        # the film the people stage identified (and linked, with a knowledge base)
        film = film_of(guess.link or (f"{guess.title} ({guess.year})" if guess.year else guess.title))
        if film is not None:
            film = (film[0], guess.title, guess.year)
    return NewReview(
        identity=identity,
        content_hash=digest,
        source=source,
        film_key=film[0] if film else None,
        film_title=film[1] if film else None,
        film_year=film[2] if film else None,
        record_id=record.id,
        source_rating=stated_rating(meta.get(fields.rating_field)) if fields.rating_field else None,
        date=str(meta[fields.date_field]) if fields.date_field and meta.get(fields.date_field) else None,
        url=str(meta[fields.url_field]) if fields.url_field and meta.get(fields.url_field) else None,
        meta=meta,
        review=review,
    )


def ingest_analysed(
    store: Store,
    rows: Iterable[list[dict[str, Any]]],
    *,
    progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Store batches of analysis rows (`reelsense.columnar`: what `reelsense spark analyze` writes)
    as they are, without analysing them again: the bulk load of a corpus made elsewhere. Reviews
    already stored (by identity) are skipped and rejected rows kept as rejects, as `ingest` does;
    analyses an older model made are then stale like any other (`reelsense reanalyze`)."""
    from ..columnar import new_review_of

    report = IngestReport()
    began = time.perf_counter()
    batch: list[NewReview] = []
    for block in rows:
        for row in block:
            report.read += 1
            if row["rejected"] is not None:
                meta = json.loads(row["meta"]) if row["meta"] else {}
                store.reject(row["source"], row["id"], row["rejected"], meta)
                report.rejected += 1
                kind = reason_kind(row["rejected"])
                report.reasons[kind] = report.reasons.get(kind, 0) + 1
                continue
            batch.append(new_review_of(row))
            if len(batch) >= WRITE_BATCH:
                _save(store, batch, report)
                batch = []
        if progress:
            report.seconds = time.perf_counter() - began
            progress(report)
    if batch:
        _save(store, batch, report)
    report.seconds = time.perf_counter() - began
    if progress:
        progress(report)
    return report
