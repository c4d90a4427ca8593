"""The film knowledge base: IMDb's non-commercial dataset files imported into the project's database.

`import_imdb(directory, url)` streams `title.basics`, `name.basics`, `title.principals`, `title.crew`
and `title.ratings` (`.tsv.gz` or `.tsv`, their published columns) in batches, so memory stays
bounded however large the files are. TV episodes are left out (most of title.basics, and no review
is about one), and so are their credits. Names and titles are stored with a normalised key (and
names with a sound key of the surname, for spelling suggestions), each indexed, so looking one up
is an index search, not a scan.

`KnowledgeBase(url)` answers what the people stage asks: which title a review is about (by title,
year and the people it shares with the review), which ids its names have, and which of its facts
the database contradicts.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import sqlalchemy as sa

from ..corpus.schema import KB_INDEXES, kb_credits, kb_names, kb_ratings, kb_titles
from ..corpus.store import database_url, open_database
from ..errors import SourceError
from ..people.mentions import edit_distance
from ..review import Check

if TYPE_CHECKING:
    from ..people.mentions import Found
    from ..text.reading import Layout

__all__ = ["KnowledgeBase", "TitleRecord", "import_imdb", "name_key", "sound_key", "IMDB_FILES"]

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
# What a review's role word means in IMDb's credit categories.
ROLE_CATEGORIES = {
    "actor": ("actor", "actress", "self"),
    "director": ("director",),
    "writer": ("writer",),
    "composer": ("composer",),
    "cinematographer": ("cinematographer",),
    "editor": ("editor",),
    "producer": ("producer",),
}


def name_key(name: str) -> str:
    """A name or title as compared: accents and punctuation dropped, lowercased, spaces single."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^\w\s]", " ", plain).split())


_SOUNDEX = str.maketrans("bfpvcgjkqsxzdtlmnr", "111122222222334556")


def sound_key(name: str) -> str:
    """First initial plus the Soundex of the surname: "Martin Scorcese" and "Martin Scorsese" share it)."""
    parts = name_key(name).split()
    if not parts:
        return ""
    surname = parts[-1]
    coded = surname.translate(_SOUNDEX)
    digits = [c for i, c in enumerate(coded) if c.isdigit() and (i == 0 or c != coded[i - 1])]
    code = surname[0] + "".join(digits[1:] if coded[0].isdigit() else digits)
    return f"{parts[0][0]}:{code[:4]}"


def _id(value: str) -> int:
    return int(value[2:])


def _int(value: str) -> int | None:
    return None if value == "\\N" else int(value)


@dataclass(frozen=True, slots=True)
class TitleRecord:
    id: str  # tt…
    title: str
    year: int | None
    title_type: str


@dataclass(frozen=True, slots=True)
class ImportReport:
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


class KnowledgeBase:
    """Read access to an imported knowledge base; safe to use from forked worker processes."""

    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)
        self._engine: sa.Engine | None = None
        self._pid = 0
        if not self.loaded(self.url):
            raise SourceError(f"no knowledge base in {self.url}: load one with `reelsense kb import DIR`")
        self._cached_name = lru_cache(maxsize=100_000)(self._name_ids)
        self._cached_title = lru_cache(maxsize=20_000)(self._titles)
        self._cached_credited = lru_cache(maxsize=5_000)(self._credited)
        self._cached_credits = lru_cache(maxsize=5_000)(self._credits_of)
        self._cached_votes = lru_cache(maxsize=20_000)(self._votes)

    @staticmethod
    def loaded(url: str | None = None) -> bool:
        """Whether the database at `url` holds an imported knowledge base."""
        engine = open_database(url)
        try:
            with engine.connect() as conn:
                return conn.scalar(sa.select(kb_names.c.nconst).limit(1)) is not None
        finally:
            engine.dispose()

    def _connect(self) -> sa.Engine:
        if self._engine is None or self._pid != os.getpid():
            # one engine per process: connections do not survive a fork
            self._engine = sa.create_engine(self.url)
            self._pid = os.getpid()
        return self._engine

    def _query(self, statement: sa.Executable) -> list[tuple[Any, ...]]:
        with self._connect().connect() as conn:
            return [tuple(row) for row in conn.execute(statement)]

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {
            t.name: self._query(sa.select(sa.func.count()).select_from(t))[0][0]
            for t in (kb_titles, kb_names, kb_credits, kb_ratings)
        }

    def _name_ids(self, key: str) -> tuple[int, ...]:
        return tuple(r[0] for r in self._query(sa.select(kb_names.c.nconst).where(kb_names.c.key == key)))

    def _titles(self, key: str) -> tuple[TitleRecord, ...]:
        rows = self._query(
            sa.select(
                kb_titles.c.tconst, kb_titles.c.primary_title, kb_titles.c.start_year, kb_titles.c.title_type
            ).where(sa.or_(kb_titles.c.key == key, kb_titles.c.original_key == key))
        )
        return tuple(TitleRecord(f"tt{t:07d}", title, year, kind) for t, title, year, kind in rows)

    def characters_of(self, film: TitleRecord) -> dict[str, str]:
        """The characters the film's credits name, each with the name of the actor credited."""
        rows = self._query(
            sa.select(kb_credits.c.characters, kb_names.c.primary_name)
            .join(kb_names, kb_names.c.nconst == kb_credits.c.nconst)
            .where(kb_credits.c.tconst == _id(film.id), kb_credits.c.characters.is_not(None))
        )
        return {part.strip(): actor for chars, actor in rows for part in chars.split(",") if part.strip()}

    def is_title_not_name(self, text: str) -> bool:
        """Whether `text` names a title in the database and nobody in it."""
        key = name_key(text)
        return bool(self._cached_title(key)) and not self._cached_name(key)

    def _credits_of(self, tconst: int) -> list[tuple[int, str, str | None]]:
        return [
            (n, c, ch)
            for n, c, ch in self._query(
                sa.select(kb_credits.c.nconst, kb_credits.c.category, kb_credits.c.characters).where(
                    kb_credits.c.tconst == tconst
                )
            )
        ]

    def identify_film(
        self, candidates: Mapping[str, tuple[float, int | None]], people: set[str]
    ) -> TitleRecord | None:
        """The title the review is about.

        `candidates` are the titles the text gives, each with the text's own score for it and a year
        stated beside it. The best-scored title the database knows is the film; among the database's
        titles of that name (remakes, namesakes) the one matching the year and sharing most people
        with the review wins. A review that gives no known title is about the title crediting most
        of its people, if any credits two.
        """
        person_ids = {n for p in people for n in self._cached_name(name_key(p))}
        for name, (_, year) in sorted(candidates.items(), key=lambda kv: -kv[1][0]):
            options = self._cached_title(name_key(name))
            if options:
                return max(options, key=lambda t: self._fit(t, person_ids, year))
        if len(person_ids) >= 2:
            shared = self._titles_shared_by(person_ids)
            return shared[0] if shared else None
        return None

    def _fit(self, option: TitleRecord, person_ids: set[int], year: int | None) -> float:
        """How well a title fits a review: its people, its year, then how known and whether a feature."""
        shared = len(person_ids & {n for n, _, _ in self._cached_credits(_id(option.id))})
        score = 2.0 * shared + (2.0 if year and option.year == year else 0.0)
        return (
            score
            + 0.1 * math.log1p(self._cached_votes(_id(option.id)))
            + 0.5 * (option.title_type == "movie")
        )

    def _titles_shared_by(self, person_ids: set[int]) -> list[TitleRecord]:
        """Titles crediting at least two of these people, most shared first."""
        shared = sa.func.count(sa.distinct(kb_credits.c.nconst))
        rows = self._query(
            sa.select(
                kb_titles.c.tconst, kb_titles.c.primary_title, kb_titles.c.start_year, kb_titles.c.title_type
            )
            .join(kb_credits, kb_credits.c.tconst == kb_titles.c.tconst)
            .where(kb_credits.c.nconst.in_(sorted(person_ids)))
            .group_by(kb_titles.c.tconst)
            .having(shared >= 2)
            .order_by(shared.desc())
            .limit(5)
        )
        return [TitleRecord(f"tt{t:07d}", title, year, kind) for t, title, year, kind in rows]

    def link_and_check(
        self, found: Sequence[Found], film: TitleRecord | None, layout: Layout
    ) -> tuple[dict[str, str], list[Check]]:
        """Ids for the review's names (full name -> nm/tt id) and the facts the database contradicts."""
        cast = self._cached_credits(_id(film.id)) if film else []
        in_film: dict[int, list[str]] = {}
        for nconst, category, _ in cast:
            in_film.setdefault(nconst, []).append(category)
        links: dict[str, str] = {}
        checks: list[Check] = []
        seen: set[str] = set()
        for f in found:
            span = layout.cleaned.span(f.start, f.end)
            if f.kind == "film" and f.name not in links:
                options = self._cached_title(name_key(f.name))
                if options:
                    links[f.name] = options[0].id
                continue
            if f.kind != "person" or f.name in seen:
                continue
            seen.add(f.name)
            ids = self._cached_name(name_key(f.name))
            if ids:
                nconst = next((n for n in ids if n in in_film), ids[0])
                links[f.name] = f"nm{nconst:07d}"
                if f.role in ROLE_CATEGORIES and nconst in in_film and film is not None:
                    credited = in_film[nconst]
                    if not set(ROLE_CATEGORIES[f.role]) & set(credited):
                        checks.append(
                            Check(
                                "wrong_role",
                                f"{f.name} is credited as {' and '.join(credited)} on {film.title}, "
                                f"not as {f.role}",
                                (span,),
                                credited[0],
                            )
                        )
            elif len(f.name.split()) > 1:
                suggestion = self._suggest(f.name, _id(film.id)) if film else None
                if suggestion:
                    checks.append(
                        Check("misspelling", f"“{f.name}” is probably “{suggestion}”", (span,), suggestion)
                    )
        if film is not None and film.year is not None:
            for f in found:
                if (
                    f.kind == "film"
                    and f.year
                    and name_key(f.name) == name_key(film.title)
                    and f.year != film.year
                ):
                    checks.append(
                        Check(
                            "wrong_year",
                            f"{film.title} is from {film.year}, not {f.year}",
                            (layout.cleaned.span(f.start, f.end),),
                            str(film.year),
                        )
                    )
        return links, checks

    def _suggest(self, name: str, tconst: int) -> str | None:
        """Whom a name the database does not know probably means: someone credited on the film whose
        name is at most 2 letters off, or sounds the same (first initial and surname Soundex)."""
        key, sound = name_key(name), sound_key(name)
        scored = [
            (distance, credited)
            for credited, credited_key, credited_sound in self._cached_credited(tconst)
            if (distance := edit_distance(key, credited_key, 3)) <= 2
            or (distance <= 3 and sound == credited_sound)
        ]
        return min(scored)[1] if scored else None

    def _votes(self, tconst: int) -> int:
        rows = self._query(sa.select(kb_ratings.c.votes).where(kb_ratings.c.tconst == tconst))
        return int(rows[0][0] or 0) if rows else 0

    def _credited(self, tconst: int) -> tuple[tuple[str, str, str], ...]:
        """(name, key, sound key) of everyone credited on a title."""
        rows = self._query(
            sa.select(kb_names.c.primary_name, kb_names.c.key, kb_names.c.sound)
            .join(kb_credits, kb_credits.c.nconst == kb_names.c.nconst)
            .where(kb_credits.c.tconst == tconst)
            .distinct()
        )
        return tuple((n, k, s) for n, k, s in rows)
