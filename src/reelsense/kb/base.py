"""The knowledge base's queries: what the people stage asks of an imported database.

`KnowledgeBase(url)` answers which title a review is about (by title, year and the people it shares
with the review), which ids its names have, who is credited on a title and as what. The checks built
on these answers live in `reelsense.people.checks`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from ..corpus.schema import kb_credits, kb_names, kb_ratings, kb_titles
from ..corpus.store import database_url, open_database
from ..errors import SourceError
from .names import name_key

__all__ = ["KnowledgeBase", "TitleRecord"]


def _number(imdb_id: str) -> int:
    """The number in an IMDb id: "tt0075314" -> 75314."""
    return int(imdb_id[2:])


@dataclass(frozen=True, slots=True)
class TitleRecord:
    """A title in the knowledge base."""

    id: str  # tt…
    title: str
    year: int | None
    title_type: str


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

    def titles_named(self, name: str) -> tuple[TitleRecord, ...]:
        """The titles whose primary or original title is `name` (compared by `name_key`)."""
        return self._cached_title(name_key(name))

    def person_id(self, name: str, film: TitleRecord | None = None) -> str | None:
        """The id (nm…) of the person called `name`, preferring a namesake credited on `film`."""
        ids = self._cached_name(name_key(name))
        if not ids:
            return None
        credited = {n for n, _, _ in self._cached_credits(_number(film.id))} if film else set()
        return f"nm{next((n for n in ids if n in credited), ids[0]):07d}"

    def credited_as(self, person_id: str, film: TitleRecord) -> tuple[str, ...]:
        """The categories (actor, director, …) the person is credited as on `film`, in credit order."""
        nconst = _number(person_id)
        return tuple(c for n, c, _ in self._cached_credits(_number(film.id)) if n == nconst)

    def credited_names(self, film: TitleRecord) -> tuple[tuple[str, str, str], ...]:
        """(name, `name_key`, `sound_key`) of everyone credited on `film`."""
        return self._cached_credited(_number(film.id))

    def characters_of(self, film: TitleRecord) -> dict[str, str]:
        """The characters the film's credits name, each with the name of the actor credited."""
        rows = self._query(
            sa.select(kb_credits.c.characters, kb_names.c.primary_name)
            .join(kb_names, kb_names.c.nconst == kb_credits.c.nconst)
            .where(kb_credits.c.tconst == _number(film.id), kb_credits.c.characters.is_not(None))
        )
        return {part.strip(): actor for chars, actor in rows for part in chars.split(",") if part.strip()}

    def is_title_not_name(self, text: str) -> bool:
        """Whether `text` names a title in the database and nobody in it."""
        key = name_key(text)
        return bool(self._cached_title(key)) and not self._cached_name(key)

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
        shared = len(person_ids & {n for n, _, _ in self._cached_credits(_number(option.id))})
        score = 2.0 * shared + (2.0 if year and option.year == year else 0.0)
        return (
            score
            + 0.1 * math.log1p(self._cached_votes(_number(option.id)))
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

    def _name_ids(self, key: str) -> tuple[int, ...]:
        return tuple(r[0] for r in self._query(sa.select(kb_names.c.nconst).where(kb_names.c.key == key)))

    def _titles(self, key: str) -> tuple[TitleRecord, ...]:
        rows = self._query(
            sa.select(
                kb_titles.c.tconst, kb_titles.c.primary_title, kb_titles.c.start_year, kb_titles.c.title_type
            ).where(sa.or_(kb_titles.c.key == key, kb_titles.c.original_key == key))
        )
        return tuple(TitleRecord(f"tt{t:07d}", title, year, kind) for t, title, year, kind in rows)

    def _credits_of(self, tconst: int) -> list[tuple[int, str, str | None]]:
        return [
            (n, c, ch)
            for n, c, ch in self._query(
                sa.select(kb_credits.c.nconst, kb_credits.c.category, kb_credits.c.characters).where(
                    kb_credits.c.tconst == tconst
                )
            )
        ]

    def _votes(self, tconst: int) -> int:
        rows = self._query(sa.select(kb_ratings.c.votes).where(kb_ratings.c.tconst == tconst))
        return int(rows[0][0] or 0) if rows else 0

    def _credited(self, tconst: int) -> tuple[tuple[str, str, str], ...]:
        rows = self._query(
            sa.select(kb_names.c.primary_name, kb_names.c.key, kb_names.c.sound)
            .join(kb_credits, kb_credits.c.nconst == kb_names.c.nconst)
            .where(kb_credits.c.tconst == tconst)
            .distinct()
        )
        return tuple((n, k, s) for n, k, s in rows)
