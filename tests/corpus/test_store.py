"""The store without the models: hand-built reviews go in, the same typed values come back out."""

import sqlalchemy as sa

from reelsense.corpus.records import FilmRow, SearchHit, StoredReject, StoredReview
from reelsense.corpus.schema import review_aspects
from reelsense.corpus.store import Store
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


def test_store_saves_each_text_once_per_source(memory_store: Store) -> None:
    first = make_new_review()
    again = make_new_review(record_id="r1-again")  # the same text, so the same content hash
    elsewhere = make_new_review(source="Another Critic")
    assert memory_store.save([first, again]) == 1  # repeated within a batch: stored once
    assert memory_store.save([first]) == 0
    assert memory_store.save([elsewhere]) == 1
    assert memory_store.stored_hashes("Our Desk", ["hash of A fine film. A dull end.", "other"]) == {
        "hash of A fine film. A dull end."
    }
    assert memory_store.stored_hashes("Our Desk", []) == set()
    assert memory_store.counts() == {"films": 1, "sources": 2, "reviews": 2, "analyses": 2, "rejects": 0}


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


def test_store_rejects_once_per_source_and_record(memory_store: Store) -> None:
    assert memory_store.reject("a.jsonl", "bad0", "empty text", {"film": "X"}) is True
    assert memory_store.reject("a.jsonl", "bad0", "empty text", {}) is False
    assert memory_store.reject("b.jsonl", "bad0", "too long: 9 characters", {}) is True
    assert memory_store.rejected() == [
        StoredReject("a.jsonl", "bad0", "empty text", {"film": "X"}),
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
