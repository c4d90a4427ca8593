"""The store without the models: hand-built reviews go in, the same typed values come back out."""

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from reelsense.cli.common import EXIT_STORE
from reelsense.cli.main import main
from reelsense.corpus.records import FilmRow, SearchHit, StoredReject, StoredReview
from reelsense.corpus.schema import kb_titles, review_aspects
from reelsense.corpus.store import Store
from reelsense.errors import StoreError
from reelsense.review import (
    Aspect,
    Check,
    Evidence,
    Excerpt,
    Grade,
    Mention,
    Phrase,
    Review,
    ReviewedFilm,
    Sentence,
)

from ..conftest import make_new_review, make_review

TEXT = "A superb film. De Niro shines. The plot drags. 8/10"


def rich_review() -> Review:
    """A review with a finding of every kind, each span pointing into TEXT."""

    def span(part: str) -> tuple[int, int]:
        start = TEXT.index(part)
        return start, start + len(part)

    sentences = tuple(
        Sentence(*span(t), t, score, sentiment, "opinion")
        for t, score, sentiment in (
            ("A superb film.", 0.95, "positive"),
            ("De Niro shines.", 0.9, "positive"),
            ("The plot drags.", 0.15, "negative"),
            ("8/10", 0.6, "neutral"),
        )
    )
    plot = Evidence(*span("The plot drags."), "The plot drags.", *span("plot"), -0.7)
    return make_review(
        text=TEXT,
        id="rich",
        meta={"critic": "Our Desk"},
        flags=("too_short",),
        sentences=sentences,
        verdict="positive",
        probability=0.81,
        rating=7.9,
        confidence=0.62,
        phrases=(Phrase(*span("superb"), "superb", 1.2),),
        grade=Grade(*span("8/10"), "8/10", 8.0, 10.0),
        aspects=(Aspect("story", "negative", -0.7, 1, (plot,)),),
        pull_quote=Excerpt(*span("A superb film."), "A superb film."),
        summary=(Excerpt(*span("A superb film."), "A superb film."),),
        mentions=(
            Mention(*span("De Niro"), "De Niro", "person", "Robert De Niro", "actor", None, "nm0000134"),
        ),
        film=ReviewedFilm("Harbour Lights", 2024, 0.75, None),
        checks=(Check("wrong_role", "De Niro did not act in it", (span("De Niro"),), None),),
    )


def test_store_film_reviews_come_back_equal_to_what_was_saved(memory_store: Store) -> None:
    saved = make_new_review(
        review=rich_review(),
        source_rating=8.0,
        date="2024-05-01",
        url="https://example.org/r",
        meta={"critic": "Our Desk", "rating": 8},
    )
    assert memory_store.save([saved]) == 1
    assert memory_store.film_reviews("tt0000001") == [
        StoredReview(
            id=1,
            source="Our Desk",
            film_key="tt0000001",
            film_title="Film",
            film_year=2001,
            record_id="rich",
            source_rating=8.0,
            date="2024-05-01",
            url="https://example.org/r",
            meta={"critic": "Our Desk", "rating": 8},
            review=rich_review(),
        )
    ]
    assert memory_store.film_reviews("tt0000002") == []


def test_store_review_by_id_with_and_without_a_film(memory_store: Store) -> None:
    memory_store.save([make_new_review(film_key=None, film_title=None, film_year=None)])
    assert memory_store.review(1) == StoredReview(
        1, "Our Desk", None, None, None, "r1", None, None, None, {}, make_review()
    )
    assert memory_store.review(2) is None


def test_store_saves_each_review_once_by_its_identity(memory_store: Store) -> None:
    first = make_new_review()
    again = make_new_review(record_id="r1-again")  # the same critic, film and text: the same review
    elsewhere = make_new_review(source="Another Critic")
    other_film = make_new_review(film_key="tt2", film_title=None, film_year=None)
    assert memory_store.save([first, again]) == 1  # repeated within a batch: stored once
    assert memory_store.save([first]) == 0
    assert memory_store.save([elsewhere, other_film]) == 2
    assert memory_store.stored_identities([first.identity, "other"]) == {first.identity}
    assert memory_store.stored_identities([]) == set()
    assert memory_store.counts() == {"films": 2, "sources": 2, "reviews": 3, "analyses": 3, "rejects": 0}


@pytest.mark.parametrize("size", [3, 300])
def test_store_writes_a_batch_in_a_few_statements_whatever_its_size(memory_store: Store, size: int) -> None:
    """Each table is written once a batch (many rows at a time), not once a review: the statements
    a batch takes do not grow with it, and every review comes back with its own film and source."""
    batch = [
        make_new_review(
            review=make_review(id=f"r{i}", text=f"Review number {i} of a film."),
            content_hash=f"hash {i}",
            source=f"Critic {i % 3}",
            film_key=f"tt{i % 7}",
            film_title=f"Film {i % 7}",
        )
        for i in range(size)
    ]
    memory_store.save(batch[:1])  # one stored before: left as it is
    statements: list[str] = []
    sa.event.listen(memory_store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert memory_store.save([*batch, batch[-1]]) == size - 1  # and one given twice: stored once
    assert len(statements) <= 14
    stored = {
        r.record_id: r for key in {f"tt{i % 7}" for i in range(size)} for r in memory_store.film_reviews(key)
    }
    assert len(stored) == size
    for i in range(size):
        assert (stored[f"r{i}"].source, stored[f"r{i}"].film_key) == (f"Critic {i % 3}", f"tt{i % 7}")
    assert memory_store.counts()["films"] == min(size, 7) and memory_store.counts()["sources"] == min(size, 3)


def test_store_a_review_stored_at_last_drops_its_old_reject(memory_store: Store) -> None:
    memory_store.reject("Our Desk", "r1", "empty text", {})
    memory_store.reject("Our Desk", "r2", "empty text", {})
    memory_store.save([make_new_review(record_id="r1")])
    assert [r.record_id for r in memory_store.rejected()] == ["r2"]


def test_store_film_rows_total_in_the_database(memory_store: Store) -> None:
    memory_store.save(
        [
            make_new_review(review=make_review(text="Good.", probability=0.9, rating=8.0)),
            make_new_review(review=make_review(text="Bad.", probability=0.1, rating=3.0)),
            make_new_review(review=make_review(text="Fine.", probability=0.6, rating=6.0), film_key="tt2",
                            film_title=None, film_year=None),
        ]
    )  # fmt: skip
    assert sorted(memory_store.film_rows(), key=lambda r: r.key) == [
        FilmRow("tt0000001", "Film", 2001, 2, 1, 5.5),
        FilmRow("tt2", None, None, 1, 1, 6.0),
    ]
    assert memory_store.film_rows(min_reviews=2) == [FilmRow("tt0000001", "Film", 2001, 2, 1, 5.5)]
    assert memory_store.film("tt2") == FilmRow("tt2", None, None, 1, 1, 6.0)
    assert memory_store.film("nothing") is None


def test_store_search_finds_every_word_and_filters_by_film(memory_store: Store) -> None:
    memory_store.save(
        [
            make_new_review(review=make_review(text="A haunting score.", verdict="positive", rating=8.0)),
            make_new_review(review=make_review(text="A dull score.", verdict="negative", rating=3.0),
                            film_key="tt2", film_title="Other", film_year=None),
        ]
    )  # fmt: skip
    assert memory_store.search("haunting score") == [
        SearchHit(1, "A haunting score.", "tt0000001", "Film", "positive", 8.0)
    ]
    assert memory_store.search("score", film="tt2") == [
        SearchHit(2, "A dull score.", "tt2", "Other", "negative", 3.0)
    ]
    assert memory_store.search("!!!") == []


def test_store_rejects_each_record_once(memory_store: Store) -> None:
    assert memory_store.reject("a.jsonl", "bad0", "empty text", {"film": "X"}) is True
    assert memory_store.reject("a.jsonl", "bad0", "empty text", {"film": "X"}) is False  # the same again
    assert memory_store.reject("a.jsonl", "bad0", "empty text", {}) is True  # another record, same id
    assert memory_store.reject("b.jsonl", "bad0", "too long: 9 characters", {}) is True
    assert memory_store.rejected() == [
        StoredReject("a.jsonl", "bad0", "empty text", {"film": "X"}),
        StoredReject("a.jsonl", "bad0", "empty text", {}),
        StoredReject("b.jsonl", "bad0", "too long: 9 characters", {}),
    ]
    assert memory_store.rejected(limit=1) == [StoredReject("a.jsonl", "bad0", "empty text", {"film": "X"})]


def test_store_stale_analyses_are_replaced_with_their_aspects(memory_store: Store) -> None:
    memory_store.save([make_new_review(review=rich_review())])
    assert list(memory_store.stale("test@0")) == []
    assert list(memory_store.stale("new@1")) == [[(1, TEXT)]]
    newer = make_review(text=TEXT, id="rich", model="new@1", verdict="negative", probability=0.3, rating=4.0)
    memory_store.replace_analyses([(1, newer)])
    assert list(memory_store.stale("new@1")) == []
    (stored,) = memory_store.film_reviews("tt0000001")
    assert stored.review == newer
    with memory_store.engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(review_aspects)) == 0  # rich had one


def test_store_tokens_are_kept_as_hashes(memory_store: Store) -> None:
    token = memory_store.create_token("Our Desk")
    assert memory_store.token_name(token) == "Our Desk"
    assert memory_store.token_name("not-a-token") is None
    with memory_store.engine.connect() as conn:
        assert token not in str(conn.exec_driver_sql("SELECT * FROM api_tokens").all())


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("foo", "is not a database URL"),
        ("http://example.org/db", "is not a database URL"),
        ("mysql://user@localhost/db", "is not a database URL"),
        ("sqlite:////no/such/folder/corpus.db", "cannot open the database"),
    ],
)
def test_store_a_database_it_cannot_use_is_one_clear_error(url: str, says: str) -> None:
    with pytest.raises(StoreError, match=says):
        Store(url)


def test_store_cli_says_so_with_its_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["films", "--db", "mysql://user@localhost/db"]) == EXIT_STORE
    err = capsys.readouterr().err
    assert err.startswith("database error:") and "Traceback" not in err and len(err.splitlines()) == 1


@contextmanager
def at_revision(url: str, revision: str) -> Iterator[sa.Connection]:
    """A database migrated only up to `revision` (an old one, to fill as it was then), its engine
    disposed after, so that opening a Store on it runs the later migrations."""
    engine = sa.create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(resources.files("reelsense") / "corpus" / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        yield conn
    engine.dispose()


def test_store_migration_merges_copies_stored_under_two_file_names(tmp_path: Path) -> None:
    """A database from before review identities: the same records ingested as a.jsonl and b.jsonl
    were two rows each; upgrading keeps the first of each, and its search index."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with at_revision(url, "0002") as conn:
        conn.exec_driver_sql(
            "INSERT INTO sources (id, name) VALUES (1, 'a.jsonl'), (2, '/data/b.jsonl'), (3, 'Ann')"
        )
        conn.exec_driver_sql("INSERT INTO films (id, key) VALUES (1, 'tt1')")
        for rid, source, record in ((1, 1, "r1"), (2, 2, "r1"), (3, 3, "r1"), (4, 1, "a.jsonl:7")):
            conn.exec_driver_sql(
                "INSERT INTO reviews (id, content_hash, source_id, film_id, record_id, text) "
                f"VALUES ({rid}, 'h{rid // 4}', {source}, 1, '{record}', 'A haunting score.')"
            )
            conn.exec_driver_sql(
                "INSERT INTO analyses (review_id, model, verdict, probability, rating, confidence, result) "
                f"VALUES ({rid}, 'm', 'positive', 0.9, 8, 0.8, '{{}}')"
            )
        conn.exec_driver_sql(
            "INSERT INTO rejects (source, record_id, reason) VALUES ('a.jsonl', 'x', 'empty text')"
        )
    store = Store(url)
    # 2 is 1 again under another file name; 3 is by a named critic; 4 has no id of its own
    assert sorted(h.review_id for h in store.search("haunting")) == [1, 3, 4]
    assert store.counts() == {"films": 1, "sources": 3, "reviews": 3, "analyses": 3, "rejects": 1}
    assert store.reject("a.jsonl", "x", "empty text", {}) is False  # the old reject, fingerprinted


def _about(key: str, title: str | None, text: str, named: str | None, sure: float = 0.6):
    """A review of film `key` (given with `title`, or none) whose analysis found it about `named`."""
    film = ReviewedFilm(named, None, sure) if named else None
    review = make_review(text=text, id=text, film=film)
    return make_new_review(review=review, film_key=key, film_title=title, film_year=None)


def test_store_names_an_untitled_film_by_the_title_its_reviews_name(memory_store: Store) -> None:
    memory_store.save(
        [
            _about("tt0387808", None, "One.", "Idiocracy"),
            _about("tt0387808", None, "Two.", "IDIOCRACY"),
            _about("tt0387808", None, "Three.", "Office Space"),
            _about("tt0387808", None, "Four.", None),
            _about("tt2", None, "Once, not sure.", "Casablanca"),
            _about("tt3", None, "Once, sure.", "Harbour Lights", sure=0.95),
            _about("tt4", "Given Title", "Given.", "Another", sure=0.95),
        ]
    )
    rows = {r.key: r for r in memory_store.film_rows()}
    assert (rows["tt0387808"].title, rows["tt0387808"].title_share) == ("Idiocracy", 0.5)
    assert rows["tt2"].title is None  # named once, and not surely: an id beats a wrong title
    assert (rows["tt3"].title, rows["tt3"].title_share) == ("Harbour Lights", 1.0)
    assert (rows["tt4"].title, rows["tt4"].title_share) == ("Given Title", None)  # the input's title stays
    assert memory_store.film("tt3") == rows["tt3"]


def test_store_a_knowledge_base_title_takes_over(memory_store: Store) -> None:
    memory_store.save([_about("tt0387808", None, "One.", "Idio"), _about("tt0387808", None, "Two.", "Idio")])
    assert memory_store.film("tt0387808").title == "Idio"
    with memory_store.engine.begin() as conn:
        conn.execute(
            kb_titles.insert().values(
                tconst=387808, title_type="movie", primary_title="Idiocracy", start_year=2006, key="idiocracy"
            )
        )
    row = memory_store.film("tt0387808")
    assert (row.title, row.year, row.title_share) == ("Idiocracy", 2006, None)


def test_store_migration_names_the_films_of_old_analyses(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with at_revision(url, "0004") as conn:
        conn.exec_driver_sql("INSERT INTO sources (id, name) VALUES (1, 'Ann')")
        conn.exec_driver_sql("INSERT INTO films (id, key) VALUES (1, 'tt1')")
        for rid in (1, 2):
            conn.exec_driver_sql(
                "INSERT INTO reviews (id, identity, content_hash, source_id, film_id, record_id, text) "
                f"VALUES ({rid}, 'i{rid}', 'h{rid}', 1, 1, 'r{rid}', 'A haunting score.')"
            )
            result = '{"film": {"title": "Tidewater", "year": 2024, "confidence": 0.7, "link": null}}'
            conn.exec_driver_sql(
                "INSERT INTO analyses (review_id, model, verdict, probability, rating, confidence, result) "
                f"VALUES ({rid}, 'm', 'positive', 0.9, 8, 0.8, '{result}')"
            )
    row = Store(url).film("tt1")
    assert row is not None and (row.title, row.year, row.title_share) == ("Tidewater", 2024, 1.0)
