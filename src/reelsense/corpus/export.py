"""The corpus out as tables: reviews, films, aspects or mentions, to CSV, JSON lines or Parquet.

    reelsense export reviews --out reviews.parquet      # the format goes by the name
    reelsense export films --format csv --out -         # standard output

Rows stream from the database in batches by review id (memory stays flat however large the
corpus) and are written as they come; Parquet needs pyarrow (`pip install 'reelsense[frames]'`),
written a row group per batch. Every table has fixed, flat columns (`COLUMNS`): a review's text and
its analysis's headline figures, a film's totals and words as `films` lists them, one row per
aspect a review judges, one per person, film, character or organisation it names.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from ..errors import SourceError
from .aggregate import DEFAULT_LABELS, Labels, film_listing
from .schema import analyses, films, review_aspects, review_mentions, reviews, sources
from .store import Store

__all__ = ["TABLES", "COLUMNS", "export", "count_rows", "rows_of", "format_of"]

TABLES = ("reviews", "films", "aspects", "mentions")
BATCH = 5000

# Each table's columns, in order, with the Arrow type of each (for Parquet).
COLUMNS: dict[str, dict[str, str]] = {
    "reviews": {
        "review_id": "int64", "film": "string", "film_title": "string", "source": "string",
        "record_id": "string", "source_rating": "float64", "date": "string", "url": "string",
        "verdict": "string", "probability": "float64", "rating": "float64", "confidence": "float64",
        "grade": "float64", "pull_quote": "string", "reviewed_film": "string", "model": "string",
        "text": "string",
    },
    "films": {
        "key": "string", "title": "string", "year": "int64", "reviews": "int64",
        "share_positive": "float64", "share_low": "float64", "share_high": "float64",
        "mean_rating": "float64", "score": "int64", "score_words": "string", "standing": "string",
        "title_share": "float64",
    },
    "aspects": {
        "review_id": "int64", "film": "string", "aspect": "string", "polarity": "string",
        "score": "float64", "mentions": "int64",
    },
    "mentions": {
        "review_id": "int64", "film": "string", "kind": "string", "name": "string", "role": "string",
        "link": "string",
    },
}  # fmt: skip


def format_of(out: str, format: str) -> str:
    """The format to write: as asked, else by the file's name (JSON lines for standard output)."""
    if format != "auto":
        return format
    name = out.lower()
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".csv", ".tsv")):
        return "csv"
    return "jsonl"


def count_rows(store: Store, table: str) -> int:
    """How many rows `table` will give (for a progress bar's total)."""
    if table == "films":  # the films with an analysed review, counted without totalling them
        counted = sa.select(sa.func.count(sa.distinct(reviews.c.film_id))).join(
            analyses, analyses.c.review_id == reviews.c.id
        )
        with store.engine.connect() as conn:
            return int(conn.scalar(counted) or 0)
    source = {"reviews": analyses, "aspects": review_aspects, "mentions": review_mentions}[table]
    with store.engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(source)) or 0)


def rows_of(store: Store, table: str, labels: Labels = DEFAULT_LABELS) -> Iterator[list[dict[str, Any]]]:
    """Batches of `table`'s rows, as dicts with `COLUMNS[table]`'s keys, in review (or rank) order."""
    if table == "films":
        listed = film_listing(store.film_rows(), "share", labels=labels)
        for at in range(0, len(listed), BATCH):
            yield [_film_row(f.to_dict()) for f in listed[at : at + BATCH]]
        return
    query, key = _query(table)
    last = 0
    while True:  # by review id, a range at a time: no offset to skip, a review's rows together
        with store.engine.connect() as conn:
            ids = sa.select(key.label("k")).where(key > last).order_by(key).limit(BATCH).subquery()
            upper = conn.scalar(sa.select(sa.func.max(ids.c.k)))
            if upper is None:
                return
            batch = [dict(row._mapping) for row in conn.execute(query.where(key > last, key <= upper))]
        last = int(upper)
        yield batch


def _film_row(film: dict[str, Any]) -> dict[str, Any]:
    low, high = film.pop("share_positive_interval")
    return {column: film.get(column) for column in COLUMNS["films"]} | {"share_low": low, "share_high": high}


def _query(table: str) -> tuple[sa.Select[Any], sa.ColumnElement[Any]]:
    film = films.c.key.label("film")
    if table == "reviews":
        query = (
            sa.select(
                reviews.c.id.label("review_id"),
                film,
                films.c.title.label("film_title"),
                sources.c.name.label("source"),
                reviews.c.record_id,
                reviews.c.source_rating,
                reviews.c.date,
                reviews.c.url,
                analyses.c.verdict,
                analyses.c.probability,
                analyses.c.rating,
                analyses.c.confidence,
                analyses.c.grade,
                analyses.c.pull_quote,
                analyses.c.film_title.label("reviewed_film"),
                analyses.c.model,
                reviews.c.text,
            )  # fmt: skip
            .join(analyses, analyses.c.review_id == reviews.c.id)
            .join(sources, sources.c.id == reviews.c.source_id)
            .outerjoin(films, films.c.id == reviews.c.film_id)
            .order_by(reviews.c.id)
        )
        return query, reviews.c.id
    part = review_aspects if table == "aspects" else review_mentions
    wanted = (
        ("aspect", "polarity", "score", "mentions")
        if table == "aspects"
        else ("kind", "name", "role", "link")
    )
    query = (
        sa.select(part.c.review_id, film, *(part.c[c] for c in wanted))
        .join(reviews, reviews.c.id == part.c.review_id)
        .outerjoin(films, films.c.id == reviews.c.film_id)
        .order_by(part.c.review_id, *(part.c[c] for c in wanted[:2]))
    )
    return query, part.c.review_id


def export(
    store: Store,
    table: str,
    out: IO[bytes] | Path,
    format: str,
    *,
    labels: Labels = DEFAULT_LABELS,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write `table` to `out` (a path, or a binary stream) in `format` (csv, jsonl, parquet); returns
    how many rows were written. `progress(n)` is called after each batch with the rows so far."""
    if table not in TABLES:
        raise SourceError(f"no table {table!r} to export: one of {', '.join(TABLES)}")
    columns = list(COLUMNS[table])
    written = 0
    if format == "parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise SourceError(
                "Parquet needs pyarrow: pip install 'reelsense[frames]' (make test has it)"
            ) from None
        schema = pa.schema([(c, getattr(pa, t)()) for c, t in COLUMNS[table].items()])
        with pq.ParquetWriter(out, schema) as writer:
            for batch in rows_of(store, table, labels):
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                written += len(batch)
                if progress:
                    progress(written)
        return written
    stream = open(out, "wb") if isinstance(out, Path) else out  # noqa: SIM115 (closed below)
    try:
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        writer_csv = csv.DictWriter(text, columns) if format == "csv" else None
        if writer_csv:
            writer_csv.writeheader()
        for batch in rows_of(store, table, labels):
            if writer_csv:
                writer_csv.writerows(batch)
            else:
                text.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in batch)
            written += len(batch)
            if progress:
                progress(written)
        text.flush()
        text.detach()
    finally:
        if isinstance(out, Path):
            stream.close()
    return written
