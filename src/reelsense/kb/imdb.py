"""IMDb's non-commercial dataset files imported into the knowledge base.

`import_imdb(directory, url)` streams `title.basics`, `name.basics`, `title.principals`, `title.crew`
and `title.ratings` (`.tsv.gz` or `.tsv`, their published columns) in batches, so memory stays
bounded however large the files are. TV episodes are left out (most of title.basics, and no review
is about one), and so are their credits. Names and titles are stored with a normalised key (and
names with a sound key of the surname, for spelling suggestions), each indexed, so looking one up
is an index search, not a scan.
"""

from __future__ import annotations

import csv
import gzip
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa

from ..corpus.schema import KB_INDEXES, kb_credits, kb_names, kb_ratings, kb_titles
from ..corpus.store import count_change, open_database
from ..errors import SourceError
from .names import name_key, sound_key

__all__ = ["IMDB_FILES", "ImportReport", "import_imdb"]

BATCH_ROWS = 20_000
SKIPPED_TYPES = frozenset({"tvEpisode"})
# The published columns of each file, in order; a file with other columns is refused.
IMDB_FILES: dict[str, tuple[str, ...]] = {
    "title.basics": (
        "tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear", "endYear",
        "runtimeMinutes", "genres",
    ),
    "name.basics": ("nconst", "primaryName", "birthYear", "deathYear", "primaryProfession", "knownForTitles"),
    "title.principals": ("tconst", "ordering", "nconst", "category", "job", "characters"),
    "title.crew": ("tconst", "directors", "writers"),
    "title.ratings": ("tconst", "averageRating", "numVotes"),
}  # fmt: skip


def _id(value: str) -> int:
    return int(value[2:])


def _int(value: str) -> int | None:
    return None if value == "\\N" else int(value)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import loaded: rows per file, and how long it took."""

    rows: dict[str, int]
    seconds: float


def _rows(
    path: Path, columns: tuple[str, ...], progress: Callable[[int], None] | None
) -> Iterator[list[str]]:
    """The data rows of one IMDb file, checked against its published columns."""
    raw = open(path, "rb")  # noqa: SIM115 - closed below; its position drives the progress bar
    try:
        stream: Any = (
            gzip.open(raw, "rt", encoding="utf-8") if path.suffix == ".gz" else io.TextIOWrapper(raw, "utf-8")
        )
        reader = csv.reader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = tuple(next(reader, ()))
        if header != columns:
            raise SourceError(
                f"{path}: expected the columns {', '.join(columns)}; found {', '.join(header) or 'none'}"
            )
        for n, row in enumerate(reader, 1):
            if len(row) != len(columns):
                raise SourceError(f"{path}, line {n + 1}: {len(row)} fields, expected {len(columns)}")
            yield row
            if progress and n % BATCH_ROWS == 0:
                progress(raw.tell())
    finally:
        raw.close()


def _find(directory: Path, name: str) -> Path | None:
    for suffix in (".tsv.gz", ".tsv"):
        if (directory / f"{name}{suffix}").exists():
            return directory / f"{name}{suffix}"
    return None


def import_imdb(
    directory: Path,
    url: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportReport:
    """Load the IMDb files found in `directory` into the knowledge base at `url`, replacing what was there.

    `progress(file, bytes_read, bytes_total)` is called as each file streams in.
    """
    found = {name: _find(directory, name) for name in IMDB_FILES}
    if found["title.basics"] is None or found["name.basics"] is None:
        raise SourceError(f"{directory}: needs at least title.basics and name.basics (.tsv or .tsv.gz)")
    engine = open_database(url)
    began = time.perf_counter()
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for index in KB_INDEXES:
            index.drop(conn, checkfirst=True)
        for table in (kb_credits, kb_ratings, kb_names, kb_titles):
            conn.execute(table.delete())
    kept_titles = np.zeros(0, dtype=np.int64)
    for name, path in found.items():
        if path is None:
            continue
        total = path.stat().st_size

        def tick(done: int, file: str = name, size: int = total) -> None:
            if progress:
                progress(file, done, size)

        rows = _rows(path, IMDB_FILES[name], tick)
        if name == "title.basics":
            kept: list[int] = []
            counts[name] = _load(engine, kb_titles, _title_rows(rows, kept))
            kept_titles = np.unique(np.array(kept, dtype=np.int64))
        elif name == "name.basics":
            counts[name] = _load(engine, kb_names, _name_rows(rows))
        elif name == "title.principals":
            counts[name] = _load(engine, kb_credits, _credit_rows(rows, kept_titles))
        elif name == "title.crew":
            counts[name] = _load(engine, kb_credits, _crew_rows(rows, kept_titles))
        else:
            counts[name] = _load(engine, kb_ratings, _rating_rows(rows, kept_titles))
        tick(total)
    with engine.begin() as conn:
        for index in KB_INDEXES:
            index.create(conn)
        # films the corpus named by their reviews' titles now take the knowledge base's: kept lists
        # (the web service's) are rebuilt
        count_change(conn)
    engine.dispose()
    return ImportReport(counts, time.perf_counter() - began)


def _load(engine: sa.Engine, table: sa.Table, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    batch: list[dict[str, Any]] = []
    with engine.begin() as conn:
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH_ROWS:
                conn.execute(table.insert(), batch)
                count += len(batch)
                batch = []
        if batch:
            conn.execute(table.insert(), batch)
            count += len(batch)
    return count


def _title_rows(rows: Iterator[list[str]], kept: list[int]) -> Iterator[dict[str, Any]]:
    for tconst, kind, primary, original, _adult, start, _end, _minutes, _genres in rows:
        if kind in SKIPPED_TYPES:
            continue
        kept.append(_id(tconst))
        yield {
            "tconst": _id(tconst),
            "title_type": kind,
            "primary_title": primary,
            "original_title": original if original != primary else None,
            "start_year": _int(start),
            "key": name_key(primary),
            "original_key": name_key(original) if original != primary else None,
        }


def _name_rows(rows: Iterator[list[str]]) -> Iterator[dict[str, Any]]:
    for nconst, name, birth, _death, professions, _known in rows:
        yield {
            "nconst": _id(nconst),
            "primary_name": name,
            "birth_year": _int(birth),
            "professions": None if professions == "\\N" else professions,
            "key": name_key(name),
            "sound": sound_key(name),
        }


def _member(kept: np.ndarray, tconsts: list[int]) -> np.ndarray:
    at = np.searchsorted(kept, tconsts)
    at[at >= len(kept)] = 0
    return kept[at] == np.asarray(tconsts) if len(kept) else np.zeros(len(tconsts), dtype=bool)


def _kept(rows: Iterator[list[str]], kept: np.ndarray) -> Iterator[list[str]]:
    """Rows whose title was kept, checked a batch at a time against the sorted kept ids."""
    while True:
        batch = [row for _, row in zip(range(BATCH_ROWS), rows, strict=False)]
        if not batch:
            return
        mask = _member(kept, [_id(row[0]) for row in batch])
        yield from (row for row, keep in zip(batch, mask.tolist(), strict=True) if keep)


def _credit_rows(rows: Iterator[list[str]], kept: np.ndarray) -> Iterator[dict[str, Any]]:
    for tconst, _ordering, nconst, category, _job, characters in _kept(rows, kept):
        chars = None if characters == "\\N" else characters.strip("[]").replace('"', "")
        yield {"tconst": _id(tconst), "nconst": _id(nconst), "category": category, "characters": chars}


def _crew_rows(rows: Iterator[list[str]], kept: np.ndarray) -> Iterator[dict[str, Any]]:
    for tconst, directors, writers in _kept(rows, kept):
        for category, people in (("director", directors), ("writer", writers)):
            if people != "\\N":
                for nconst in people.split(","):
                    yield {
                        "tconst": _id(tconst),
                        "nconst": _id(nconst),
                        "category": category,
                        "characters": None,
                    }


def _rating_rows(rows: Iterator[list[str]], kept: np.ndarray) -> Iterator[dict[str, Any]]:
    for tconst, rating, votes in _kept(rows, kept):
        yield {"tconst": _id(tconst), "rating": float(rating), "votes": int(votes)}
