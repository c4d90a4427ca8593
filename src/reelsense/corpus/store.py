"""The project's database: opening it (migrated to the current schema) and reading and writing the corpus.

`open_database(url)` gives a SQLAlchemy engine on `url` (default: `$REELSENSE_DB`, else the SQLite
file `reelsense.db` here) with the schema brought up to date by Alembic. SQLite runs in WAL mode, so
readers never wait for the one writer. `Store` is the corpus: films, sources, reviews with their
analyses (tied to the model that made them), aspects, mentions, and rejected records. It takes and
gives back the frozen records of `records.py`, each stored analysis rebuilt as a `Review`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.dialects import postgresql, sqlite

from ..errors import StoreError
from ..review import Review
from .aggregate import (
    DEFAULT_LABELS,
    FilmReport,
    Labels,
    PullQuote,
    Quote,
    aspect_share,
    consensus_column,
    consensus_part,
    find_film,
    pick_consensus,
    polarisation_of,
    source_agreement,
    stated_ratings,
    time_points,
    wilson_interval,
)
from .records import (
    IMDB_ID,
    FilmRow,
    NewReview,
    ReviewLine,
    SearchHit,
    StoredReject,
    StoredReview,
    inferred_title,
    names_a_file,
    reject_fingerprint,
)
from .schema import (
    analyses,
    analysis_results,
    api_tokens,
    corpus_changes,
    films,
    kb_titles,
    rejects,
    review_aspects,
    review_mentions,
    reviews,
    sources,
)

__all__ = ["DEFAULT_DB", "database_url", "open_database", "count_change", "Store"]

DEFAULT_DB = "sqlite:///reelsense.db"
T = TypeVar("T")


def count_change(conn: sa.Connection) -> None:
    """Count one change to what the corpus reports (`Store.generation`), in the writing transaction:
    reviews stored, analyses replaced, a knowledge base imported."""
    conn.execute(corpus_changes.update().values(generation=corpus_changes.c.generation + 1))


def database_url(url: str | None = None) -> str:
    """The database to use: the one given, else $REELSENSE_DB, else the SQLite file reelsense.db here."""
    return url or os.environ.get("REELSENSE_DB") or DEFAULT_DB


def _sqlite_connect(connection: Any, _record: Any) -> None:
    """SQLite: WAL, foreign keys, a wait for the writer's lock; transactions begun by SQLAlchemy
    (`_sqlite_begin`), not by the driver, so a writing one can take the write lock at once."""
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    """A transaction that will write (`Store._writing`) takes the write lock when it begins: one that
    read first and then found another ingest had written meanwhile could not write at all."""
    immediate = connection.get_execution_options().get("writes")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def open_database(url: str | None = None, *, existing: bool = False) -> sa.Engine:
    """An engine on the database at `url`, its schema migrated to the latest version; StoreError
    when the URL is no database reelsense can use, the database cannot be reached or written, or
    (with `existing`, for commands that only read) a SQLite file is not there."""
    where = database_url(url)
    try:
        engine = sa.create_engine(where, json_serializer=_compact_json)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError, ValueError) as exc:
        raise StoreError(
            f"{where!r} is not a database URL reelsense can use ({exc}); give sqlite:///path/to/file.db "
            "or postgresql+psycopg://user@host/name"
        ) from None
    shown = engine.url.render_as_string(hide_password=True)
    if engine.dialect.name not in ("sqlite", "postgresql"):
        raise StoreError(
            f"{shown}: reelsense stores its corpus in SQLite or PostgreSQL, not {engine.dialect.name}"
        )
    sqlite_file = engine.dialect.name == "sqlite"
    path = engine.url.database
    if existing and sqlite_file and path and path != ":memory:" and not Path(path).exists():
        raise StoreError(
            f"no database at {path}: `reelsense ingest` makes one (or give --db / $REELSENSE_DB)"
        )
    if sqlite_file:
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
    config = Config()
    config.set_main_option("script_location", str(resources.files("reelsense") / "corpus" / "migrations"))
    try:
        with engine.connect() as connection:
            # A migration that rebuilds a SQLite table must not cascade the deletes of dropping it;
            # the pragma counts only outside a transaction, so it goes to the driver directly.
            driver = connection.connection.dbapi_connection if sqlite_file else None
            if driver is not None:
                driver.execute("PRAGMA foreign_keys=OFF")
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
            if driver is not None:
                driver.execute("PRAGMA foreign_keys=ON")
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
        raise StoreError(f"cannot open the database {shown}: {_first_line(exc.orig)}") from None
    return engine


def _compact_json(value: Any) -> str:
    """JSON columns as the database keeps them: no spaces, characters as themselves (accepted
    records hold no lone surrogates, `text.reading.check_text`; rejected ones are made safe)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _chunks(values: Sequence[T], size: int = 900) -> Iterator[Sequence[T]]:
    """`values` a few hundred at a time: what one IN (…) or multi-row VALUES may bind (SQLite's
    limit on bound parameters)."""
    for at in range(0, len(values), size):
        yield values[at : at + size]


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_id(result: sa.CursorResult[Any]) -> int:
    """The primary key an INSERT just made."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


class Store:
    """The review corpus in the project's database."""

    def __init__(
        self, url: str | None = None, engine: sa.Engine | None = None, *, existing: bool = False
    ) -> None:
        self.engine = engine or open_database(url, existing=existing)
        self._sources: dict[str, int] = {}
        self._films: dict[str, int] = {}

    # -- writing -------------------------------------------------------------------------------

    def stored_identities(self, identities: Sequence[str]) -> set[str]:
        """Which of these reviews (`records.review_identity`) the store already has."""
        if not identities:
            return set()
        query = sa.select(reviews.c.identity).where(reviews.c.identity.in_(list(identities)))
        with self.engine.connect() as conn:
            return set(conn.scalars(query))

    def review_ids(self, identities: Sequence[str]) -> dict[str, int]:
        """The store's id of each of these reviews (`records.review_identity`) it holds."""
        found: dict[str, int] = {}
        wanted = sorted(set(identities))
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted):
                query = sa.select(reviews.c.identity, reviews.c.id).where(reviews.c.identity.in_(chunk))
                found.update((str(i), int(n)) for i, n in conn.execute(query))
        return found

    def _insert(self, table: sa.Table) -> Any:
        """An INSERT that does nothing where the row's unique key is taken (two ingests at once
        both finish: the one that comes second finds the row there)."""
        if self.engine.dialect.name == "postgresql":
            return postgresql.insert(table).on_conflict_do_nothing()
        if self.engine.dialect.name == "sqlite":
            return sqlite.insert(table).on_conflict_do_nothing()
        raise StoreError(f"unsupported database {self.engine.dialect.name!r}: use SQLite or PostgreSQL")

    @contextmanager
    def _writing(self) -> Iterator[sa.Connection]:
        """A transaction that writes (on SQLite it takes the write lock as it begins); a database
        that cannot take the write (disk full, read-only, gone) is StoreError, the transaction
        rolled back whole."""
        try:
            with self.engine.execution_options(writes=True).begin() as conn:
                yield conn
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            shown = self.engine.url.render_as_string(hide_password=True)
            raise StoreError(f"cannot write to the database {shown}: {_first_line(exc.orig)}") from None

    def _ids_of(
        self, conn: sa.Connection, table: sa.Table, key_column: str, wanted: dict[str, dict[str, Any]]
    ) -> dict[str, int]:
        """The id of each key in `wanted` (a source's name, a film's key), the rows missing inserted
        with their values: one lookup, one insert and one more lookup for a whole batch."""
        if not wanted:
            return {}
        column = table.c[key_column]
        keys = list(wanted)

        def lookup() -> dict[str, int]:
            found: dict[str, int] = {}
            for chunk in _chunks(keys):
                found.update(
                    (k, int(i))
                    for i, k in conn.execute(sa.select(table.c.id, column).where(column.in_(chunk)))
                )
            return found

        found = lookup()
        missing = [{key_column: k, **wanted[k]} for k in keys if k not in found]
        if missing:
            conn.execute(self._insert(table), missing)
            found = lookup()  # inserted now, or by another ingest a moment ago
        return found

    def save(self, batch: Sequence[NewReview]) -> int:
        """Store a batch of analysed reviews in one transaction; returns how many were new (a review
        already there, by its identity, is left as it is). A handful of statements for the whole
        batch (each table written once, many rows at a time), not a handful per review."""
        with self._writing() as conn:
            there: set[str] = set()
            for chunk in _chunks([i.identity for i in batch]):
                there.update(conn.scalars(sa.select(reviews.c.identity).where(reviews.c.identity.in_(chunk))))
            todo: list[NewReview] = []
            for item in batch:  # a text repeated within the batch is stored once
                if item.identity not in there:
                    there.add(item.identity)
                    todo.append(item)
            if not todo:
                return 0
            source_ids = self._ids_of(conn, sources, "name", {item.source: {} for item in todo})
            film_values: dict[str, dict[str, Any]] = {}
            for item in todo:
                if item.film_key:
                    film_values.setdefault(item.film_key, {"title": item.film_title, "year": item.film_year})
            film_ids = self._ids_of(conn, films, "key", film_values)
            rows = [
                {
                    "identity": item.identity,
                    "content_hash": item.content_hash,
                    "source_id": source_ids[item.source],
                    "film_id": film_ids[item.film_key] if item.film_key else None,
                    "record_id": item.record_id,
                    "text": item.review.text,
                    "source_rating": item.source_rating,
                    "date": item.date,
                    "url": item.url,
                    "language": None if "not_english" in item.review.flags else "en",
                    "meta": item.meta,
                }
                for item in todo
            ]
            new_ids: dict[str, int] = {}
            for part in _chunks(rows, 500):  # one multi-row INSERT … RETURNING (in no set order)
                insert = self._insert(reviews).values(part)
                returned = conn.execute(insert.returning(reviews.c.id, reviews.c.identity))
                new_ids.update((identity, int(review_id)) for review_id, identity in returned)
            # a review another ingest stored a moment ago returns no id here, and is left to that one
            stored = [(new_ids[item.identity], item) for item in todo if item.identity in new_ids]
            self._write_analyses(conn, [(review_id, item.review) for review_id, item in stored])
            cleared = [
                {"gone_source": item.source, "gone_record": item.record_id}
                for _, item in stored
                if item.record_id is not None  # stored now: an earlier reject of it is no longer true
            ]
            if cleared:
                conn.execute(
                    rejects.delete().where(
                        rejects.c.source == sa.bindparam("gone_source"),
                        rejects.c.record_id == sa.bindparam("gone_record"),
                    ),
                    cleared,
                )
            if stored:
                count_change(conn)
        return len(stored)

    def _write_analyses(self, conn: sa.Connection, analysed: Sequence[tuple[int, Review]]) -> None:
        """The analyses of stored reviews, with their results, aspects and mentions: four inserts."""
        if not analysed:
            return
        analysis_rows: list[dict[str, Any]] = []
        aspect_rows: list[dict[str, Any]] = []
        mention_rows: list[dict[str, Any]] = []
        result_rows: list[dict[str, Any]] = []
        for review_id, review in analysed:
            analysis_rows.append(
                {
                    "review_id": review_id,
                    "model": review.model,
                    "verdict": review.verdict,
                    "probability": review.probability,
                    "rating": review.rating,
                    "confidence": review.confidence,
                    "grade": review.grade.value if review.grade else None,
                    "pull_quote": review.pull_quote.text if review.pull_quote else None,
                    "film_title": review.film.title[:300] if review.film else None,
                    "film_year": review.film.year if review.film else None,
                    "film_confidence": review.film.confidence if review.film else None,
                    "predicted_rating": (
                        review.predicted_rating if review.predicted_rating is not None else review.rating
                    ),
                }
            )
            result_rows.append(
                {"review_id": review_id, "result": review.to_stored(), "consensus": consensus_column(review)}
            )
            aspect_rows += [
                {"review_id": review_id, "aspect": a.name, "polarity": a.polarity, "score": a.score,
                 "mentions": a.mentions}
                for a in review.aspects
            ]  # fmt: skip
            people = {(m.kind, m.name): m for m in review.mentions}
            mention_rows += [
                {"review_id": review_id, "kind": m.kind, "name": m.name, "role": m.role, "link": m.link}
                for m in people.values()
            ]
        conn.execute(analyses.insert(), analysis_rows)
        conn.execute(analysis_results.insert(), result_rows)
        if aspect_rows:
            conn.execute(review_aspects.insert(), aspect_rows)
        if mention_rows:
            conn.execute(review_mentions.insert(), mention_rows)

    def reject(self, source: str, record_id: str, reason: str, meta: dict[str, Any]) -> bool:
        """Keep a rejected record with its reason, once (`records.reject_fingerprint`); True when new."""
        fingerprint = reject_fingerprint(source, record_id, reason, meta)
        with self._writing() as conn:
            inserted = conn.execute(
                self._insert(rejects).values(
                    source=source, record_id=record_id, reason=reason, meta=meta, fingerprint=fingerprint
                )
            )
        return bool(inserted.rowcount)

    def stale(self, model: str, batch: int = 500) -> Iterator[list[tuple[int, str]]]:
        """Batches of (review id, text) whose stored analysis another model made."""
        last = 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(reviews.c.id, reviews.c.text)
                    .join(analyses, analyses.c.review_id == reviews.c.id)
                    .where(analyses.c.model != model, reviews.c.id > last)
                    .order_by(reviews.c.id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            last = rows[-1][0]
            yield [(int(i), str(t)) for i, t in rows]

    def stale_count(self, model: str) -> int:
        """How many stored analyses another model made (what `stale` will give)."""
        query = sa.select(sa.func.count()).select_from(analyses).where(analyses.c.model != model)
        with self.engine.connect() as conn:
            return int(conn.scalar(query) or 0)

    def replace_analyses(self, batch: Sequence[tuple[int, Review]]) -> None:
        """Swap stored analyses (with their aspects and mentions) for new ones, in one transaction."""
        ids = [i for i, _ in batch]
        with self._writing() as conn:
            for table in (review_aspects, review_mentions, analysis_results):
                conn.execute(table.delete().where(table.c.review_id.in_(ids)))
            conn.execute(analyses.delete().where(analyses.c.review_id.in_(ids)))
            self._write_analyses(conn, batch)
            count_change(conn)

    # -- reading -------------------------------------------------------------------------------

    def generation(self) -> int:
        """A number that moves whenever reviews are stored or analyses replaced: what was read from
        the corpus at one generation holds until it moves."""
        with self.engine.connect() as conn:
            return int(conn.scalar(sa.select(corpus_changes.c.generation)) or 0)

    def counts(self) -> dict[str, int]:
        """How many rows each corpus table holds."""
        with self.engine.connect() as conn:
            return {
                t.name: int(conn.scalar(sa.select(sa.func.count()).select_from(t)) or 0)
                for t in (films, sources, reviews, analyses, rejects)
            }

    def film_rows(self, min_reviews: int = 1, key: str | None = None) -> list[FilmRow]:
        """Every film (or the one with `key`) with at least `min_reviews` analysed reviews, totalled by
        the database. A film keeps the title its input gave; else the knowledge base's, when one is
        loaded and knows its IMDb id; else the title most of its reviews name (`records.inferred_title`,
        with `title_share`)."""
        positive = sa.func.sum(sa.case((analyses.c.probability >= 0.5, 1), else_=0))
        query = (
            sa.select(
                films.c.key,
                films.c.title,
                films.c.year,
                sa.func.count(),
                positive,
                sa.func.avg(analyses.c.rating),
            )
            .select_from(_FILM_ANALYSES)
            .group_by(films.c.id, films.c.key, films.c.title, films.c.year)
            .where(films.c.key == key if key is not None else sa.true())
            .having(sa.func.count() >= min_reviews)
        )
        with self.engine.connect() as conn:
            rows = [
                FilmRow(k, t, y, int(n), int(p or 0), float(r or 0.0))
                for k, t, y, n, p, r in conn.execute(query)
            ]
            untitled = {r.key for r in rows if not r.title}
            if not untitled:
                return rows
            known = self._kb_titles(conn, untitled)
            named = self._named_titles(conn, key) if untitled - set(known) else {}
        return [_titled(r, known.get(r.key), named.get(r.key)) if not r.title else r for r in rows]

    def films_below(self, min_reviews: int) -> int:
        """How many films have analysed reviews, but fewer than `min_reviews` (what a listing with
        that minimum leaves out)."""
        few = (
            sa.select(films.c.id)
            .select_from(_FILM_ANALYSES)
            .group_by(films.c.id)
            .having(sa.func.count() < min_reviews)
            .subquery()
        )
        with self.engine.connect() as conn:
            return int(conn.scalar(sa.select(sa.func.count()).select_from(few)) or 0)

    def _kb_titles(self, conn: sa.Connection, keys: set[str]) -> dict[str, tuple[str, int | None]]:
        """The knowledge base's title and year of each of `keys` that is an IMDb id it holds."""
        ids = {int(k[2:]): k for k in keys if IMDB_ID.fullmatch(k)}
        found: dict[str, tuple[str, int | None]] = {}
        if not ids or conn.scalar(sa.select(kb_titles.c.tconst).limit(1)) is None:
            return found
        for chunk in _chunks(sorted(ids)):
            query = sa.select(kb_titles.c.tconst, kb_titles.c.primary_title, kb_titles.c.start_year)
            for tconst, title, year in conn.execute(query.where(kb_titles.c.tconst.in_(chunk))):
                found[ids[int(tconst)]] = (str(title), year)
        return found

    def _named_titles(self, conn: sa.Connection, key: str | None) -> dict[str, list[_Named]]:
        """For each untitled film (or the one with `key`), the titles its analyses found its reviews
        to be about, with how many name each and how sure the surest was."""
        query = (
            sa.select(
                films.c.key,
                analyses.c.film_title,
                analyses.c.film_year,
                sa.func.count(),
                sa.func.max(analyses.c.film_confidence),
            )
            .select_from(_FILM_ANALYSES)
            .where(analyses.c.film_title.is_not(None), films.c.title.is_(None))
            .where(films.c.key == key if key is not None else sa.true())
            .group_by(films.c.key, analyses.c.film_title, analyses.c.film_year)
        )
        named: dict[str, list[_Named]] = {}
        for k, title, year, n, sure in conn.execute(query):
            named.setdefault(k, []).append((str(title), year, int(n), float(sure or 0.0)))
        return named

    def film(self, key: str) -> FilmRow | None:
        """One film's totals, or None when no analysed review of it is stored."""
        rows = self.film_rows(key=key)
        return rows[0] if rows else None

    def find_film(self, typed: str) -> FilmRow | None:
        """The film `typed` names: its key, or as `films` shows it ("Past Lives (2023)"), or its title
        in any case (`aggregate.find_film`)."""
        row = self.film(typed)
        if row is None:
            key = find_film(typed, self.film_rows())
            row = self.film(key) if key else None
        return row

    def film_reviews(self, key: str) -> list[StoredReview]:
        """One film's stored reviews with their analyses, in the order they were stored."""
        query = _STORED.where(films.c.key == key).order_by(reviews.c.id)
        with self.engine.connect() as conn:
            return [_stored(row) for row in conn.execute(query)]

    def film_review_lines(self, key: str, limit: int, offset: int = 0) -> list[ReviewLine]:
        """A page of one film's stored reviews (`limit` after the first `offset`, in the order they
        were stored) as its page lists them, without reading their analyses."""
        query = (
            sa.select(
                reviews.c.id,
                sources.c.name,
                analyses.c.verdict,
                analyses.c.rating,
                reviews.c.source_rating,
                analyses.c.pull_quote,
            )
            .select_from(_REVIEW_ANALYSES.join(sources, sources.c.id == reviews.c.source_id))
            .where(reviews.c.film_id == sa.select(films.c.id).where(films.c.key == key).scalar_subquery())
            .order_by(reviews.c.id)
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as conn:
            return [ReviewLine(int(i), s, v, float(r), sr, q) for i, s, v, r, sr, q in conn.execute(query)]

    def film_report(self, row: FilmRow, labels: Labels = DEFAULT_LABELS) -> FilmReport:
        """The film's report (`aggregate.film_report` of `film_reviews`, figure for figure), totalled
        by the database: a few small queries and one pass over the consensus sentences of the
        reviews on the majority's side, so memory does not grow with the film's reviews."""
        rating, probability = analyses.c.rating, analyses.c.probability
        positive = sa.case((probability >= 0.5, 1), else_=0)
        stated = reviews.c.source_rating
        predicted = sa.func.coalesce(analyses.c.predicted_rating, rating)

        def total(condition: Any, value: Any = 1) -> Any:
            return sa.func.coalesce(sa.func.sum(sa.case((condition, value), else_=0)), 0)

        film = sa.select(films.c.id).where(films.c.key == row.key).scalar_subquery()

        def of_film(*columns: Any, within: Any = _REVIEW_ANALYSES) -> sa.Select[Any]:
            return sa.select(*columns).select_from(within).where(reviews.c.film_id == film)

        totals = of_film(
            sa.func.count(),
            total(probability >= 0.5),
            sa.func.coalesce(sa.func.sum(rating), 0.0),
            *[total((rating >= b) & (rating < b + 1) if b < 9 else rating >= 9) for b in range(10)],
            total(rating >= 7),
            total(rating >= 7, rating),
            total(rating <= 4),
            total(rating <= 4, rating),
            sa.func.count(stated),
            sa.func.sum(stated),
            sa.func.sum(sa.case((stated.is_not(None), predicted))),
            sa.func.sum(sa.func.abs(stated - predicted)),
        )
        by_source = (
            of_film(
                sources.c.name,
                sa.func.count(),
                sa.func.sum(rating),
                sa.func.sum(positive),
                sa.func.count(stated),
                sa.func.sum(stated),
                sa.func.min(reviews.c.id),
                within=_REVIEW_ANALYSES.join(sources, sources.c.id == reviews.c.source_id),
            )
        ).group_by(sources.c.name)
        judged = _REVIEW_ANALYSES.join(review_aspects, review_aspects.c.review_id == reviews.c.id)
        by_aspect = of_film(
            review_aspects.c.aspect,
            sa.func.count(),
            *[total(review_aspects.c.polarity == p) for p in ("positive", "negative", "mixed")],
            sa.func.min(reviews.c.id),
            within=judged,
        ).group_by(review_aspects.c.aspect)
        month = sa.func.substr(sa.func.ltrim(reviews.c.date, " \t\n\r\x0b\x0c"), 1, 7)
        by_month = (
            of_film(month, sa.func.count(), sa.func.sum(rating), sa.func.sum(positive))
            .where(reviews.c.date.is_not(None))
            .group_by(month)
        )
        with self.engine.connect() as conn:
            n, up, rating_sum, *rest = conn.execute(totals).one()
            histogram, (high, high_sum, low, low_sum, rated, stated_sum, predicted_sum, gap_sum) = (
                rest[:10],
                rest[10:],
            )
            majority_positive = up * 2 >= n
            side = probability >= 0.5 if majority_positive else probability < 0.5
            votes = {
                (name, polarity): int(count)
                for name, polarity, count in conn.execute(
                    of_film(
                        review_aspects.c.aspect, review_aspects.c.polarity, sa.func.count(), within=judged
                    )
                    .where(side)
                    .group_by(review_aspects.c.aspect, review_aspects.c.polarity)
                )
            }
            agreeing = conn.execution_options(yield_per=1000).execute(
                of_film(
                    reviews.c.id,
                    analysis_results.c.consensus,
                    within=_REVIEW_ANALYSES.join(
                        analysis_results, analysis_results.c.review_id == reviews.c.id
                    ),
                )
                .where(side)
                .order_by(reviews.c.id)
            )
            parts = (consensus_part(i, majority_positive, column or []) for i, column in agreeing)
            consensus = pick_consensus(parts, votes, up if majority_positive else n - up, majority_positive)
            critics = sorted(conn.execute(by_source).all(), key=lambda r: (-r[1], r[6]))
            aspects = self._in_first_order(conn, conn.execute(by_aspect).all())
            months = conn.execute(by_month).all()
            tops = [self._top_quote(conn, of_film, s) for s in (1, -1)]
        mean = float(rating_sum) / n if n else 0.0
        periods: dict[tuple[str, str | None], tuple[int, float, int]] = {}
        for start, count, summed, positives in months:
            m = _DATE.match(start or "")
            if m:
                was = periods.get((m.group(1), m.group(2)), (0, 0.0, 0))
                periods[m.group(1), m.group(2)] = (was[0] + count, was[1] + summed, was[2] + positives)
        return FilmReport(
            key=row.key,
            title=row.title,
            year=row.year,
            reviews=n,
            share_positive=round(up / n, 4) if n else 0.0,
            share_positive_interval=wilson_interval(up, n),
            mean_rating=round(mean, 2),
            score=round(mean * 10),
            rating_histogram=[int(b) for b in histogram],
            aspects={
                name: aspect_share(int(count), int(p), int(ng), int(mx))
                for name, count, p, ng, mx, _ in aspects
            },
            consensus=[Quote(review_id, text) for review_id, text in consensus],
            top_positive=tops[0],
            top_negative=tops[1],
            polarisation=polarisation_of(n, int(high), float(high_sum), int(low), float(low_sum)),
            sources=[
                source_agreement(
                    name,
                    int(count),
                    float(summed),
                    int(p) if majority_positive else int(count) - int(p),
                    int(stated_count),
                    float(stated_total or 0.0),
                )
                for name, count, summed, p, stated_count, stated_total, _ in critics
                if not names_a_file(name)
            ],  # fmt: skip
            uncredited_reviews=sum(int(r[1]) for r in critics if names_a_file(r[0])),
            title_share=row.title_share,
            stated=stated_ratings(
                int(rated), float(stated_sum or 0.0), float(predicted_sum or 0.0), float(gap_sum or 0.0)
            ),
            standing=labels.standing(up, n),
            score_words=labels.score_words(round(mean * 10), n),
            over_time=time_points(periods),
        )

    def _in_first_order(self, conn: sa.Connection, aspects: Sequence[Any]) -> list[Any]:
        """A film's aspect totals, the most judged first and, among as many, the first judged first:
        by the first review judging each and its place among that review's aspects."""
        firsts = {int(r[-1]) for r in aspects}
        place: dict[tuple[int, str], int] = {}
        query = sa.select(analysis_results.c.review_id, analysis_results.c.result).where(
            analysis_results.c.review_id.in_(firsts)
        )
        for review_id, result in conn.execute(query):
            for at, aspect in enumerate(result.get("aspects") or ()):
                place[int(review_id), aspect["name"]] = at
        return sorted(aspects, key=lambda r: (-r[1], r[-1], place.get((int(r[-1]), r[0]), 0)))

    def _top_quote(
        self, conn: sa.Connection, of_film: Callable[..., sa.Select[Any]], side: int
    ) -> PullQuote | None:
        """The pull quote of the film's most positive review (side 1) or most negative (-1)."""
        probability = analyses.c.probability
        leaning = probability >= 0.5 if side > 0 else probability < 0.5
        query = (
            of_film(reviews.c.id, analyses.c.pull_quote, analyses.c.rating)
            .where(leaning, analyses.c.pull_quote.is_not(None))
            .order_by(probability.desc() if side > 0 else probability, reviews.c.id)
            .limit(1)
        )
        found = conn.execute(query).first()
        return None if found is None else PullQuote(int(found[0]), found[1], float(found[2]))

    def search(
        self, query: str, film: str | None = None, limit: int = 20, offset: int = 0
    ) -> list[SearchHit]:
        """Reviews matching `query` (full-text, all words), best first (the `limit` after the first
        `offset`), with their film and verdict."""
        words = [w for w in "".join(c if c.isalnum() else " " for c in query).split() if w]
        if not words:
            return []
        columns = [
            reviews.c.id,
            reviews.c.text,
            films.c.key,
            films.c.title,
            analyses.c.verdict,
            analyses.c.rating,
        ]
        base = (
            sa.select(*columns)
            .join(analyses, analyses.c.review_id == reviews.c.id)
            .outerjoin(films, films.c.id == reviews.c.film_id)
        )
        if film:
            base = base.where(films.c.key == film)
        if self.engine.dialect.name == "sqlite":
            match = " ".join(f'"{w}"' for w in words)
            fts = sa.table("reviews_fts", sa.column("rowid"), sa.column("rank"))
            statement = (
                base.join(fts, fts.c.rowid == reviews.c.id)
                .where(sa.text("reviews_fts MATCH :match").bindparams(match=match))
                .order_by(fts.c.rank)
            )
        elif self.engine.dialect.name == "postgresql":
            # a constant, not a bound parameter, so the planner uses the GIN index built on it
            english = sa.literal_column("'english'", type_=sa.Text)
            vector = sa.func.to_tsvector(english, reviews.c.text)
            wanted = sa.func.plainto_tsquery(english, " ".join(words))
            statement = base.where(vector.op("@@")(wanted)).order_by(sa.func.ts_rank(vector, wanted).desc())
        else:
            statement = base.where(*[reviews.c.text.ilike(f"%{w}%") for w in words])
        with self.engine.connect() as conn:
            rows = conn.execute(statement.order_by(reviews.c.id).limit(limit).offset(offset)).all()
        return [SearchHit(int(i), t, k, title, v, float(r)) for i, t, k, title, v, r in rows]

    def review(self, review_id: int) -> StoredReview | None:
        """One stored review with its analysis, or None when there is no such review."""
        with self.engine.connect() as conn:
            row = conn.execute(_STORED.where(reviews.c.id == review_id)).first()
        return None if row is None else _stored(row)

    def create_token(self, name: str) -> str:
        """A new API token for `name`: returned once, stored only as its hash."""
        token = secrets.token_urlsafe(32)
        with self._writing() as conn:
            conn.execute(api_tokens.insert().values(name=name, token_hash=_token_hash(token)))
        return token

    def tokens(self) -> list[tuple[int, str]]:
        """Every API token issued and not revoked, as (id, name), oldest first (the tokens themselves
        are not kept)."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(api_tokens.c.id, api_tokens.c.name).order_by(api_tokens.c.id))
            return [(int(i), str(n)) for i, n in rows]

    def revoke_token(self, token_id: int) -> bool:
        """Revoke the token with this id (its requests are refused from now on); False when none has it."""
        with self._writing() as conn:
            return bool(conn.execute(api_tokens.delete().where(api_tokens.c.id == token_id)).rowcount)

    def token_name(self, token: str) -> str | None:
        """Whose token this is, or None when it is not a token we issued."""
        with self.engine.connect() as conn:
            return conn.scalar(
                sa.select(api_tokens.c.name).where(api_tokens.c.token_hash == _token_hash(token))
            )

    def rejected(self, limit: int = 1000) -> list[StoredReject]:
        """The records ingest rejected, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(rejects.c.source, rejects.c.record_id, rejects.c.reason, rejects.c.meta)
                .order_by(rejects.c.id)
                .limit(limit)
            ).all()
        return [StoredReject(s, r, why, dict(m or {})) for s, r, why, m in rows]


# A stored review with its source, film and analysis: the columns `_stored` rebuilds it from.
_STORED = (
    sa.select(
        reviews.c.id,
        sources.c.name,
        films.c.key,
        films.c.title,
        films.c.year,
        reviews.c.record_id,
        reviews.c.source_rating,
        reviews.c.date,
        reviews.c.url,
        reviews.c.meta,
        reviews.c.text,
        analysis_results.c.result,
    )
    .join(sources, sources.c.id == reviews.c.source_id)
    .join(analyses, analyses.c.review_id == reviews.c.id)
    .join(analysis_results, analysis_results.c.review_id == reviews.c.id)
    .outerjoin(films, films.c.id == reviews.c.film_id)
)


# A title the analyses found a film's reviews to be about, its year, how many reviews name it, and
# the people stage's highest confidence that it is the reviewed film.
_Named = tuple[str, int | None, int, float]
# A review with its analysis: what one film's report is totalled over.
_REVIEW_ANALYSES = reviews.join(analyses, analyses.c.review_id == reviews.c.id)
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2}))?")  # as `aggregate._DATE`, on a date's first 7 characters
# Every film with its reviews' analyses: what film totals are taken over.
_FILM_ANALYSES = films.join(reviews, reviews.c.film_id == films.c.id).join(
    analyses, analyses.c.review_id == reviews.c.id
)


def _titled(row: FilmRow, known: tuple[str, int | None] | None, named: list[_Named] | None) -> FilmRow:
    """An untitled film with the knowledge base's title, else the one its reviews name most."""
    if known is not None:
        return dataclasses.replace(row, title=known[0], year=row.year or known[1])
    found = inferred_title(named or [], row.reviews)
    if found is None:
        return row
    return dataclasses.replace(row, title=found.title, year=row.year or found.year, title_share=found.share)


def _stored(row: Sequence[Any]) -> StoredReview:
    i, source, key, title, year, record_id, source_rating, date, url, meta, text, result = row
    return StoredReview(
        id=int(i),
        source=source,
        film_key=key,
        film_title=title,
        film_year=year,
        record_id=record_id,
        source_rating=source_rating,
        date=date,
        url=url,
        meta=dict(meta or {}),
        review=Review.from_stored(result, text),
    )
