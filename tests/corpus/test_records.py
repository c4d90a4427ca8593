from reelsense.corpus.records import (
    InferredTitle,
    SearchHit,
    StoredReject,
    StoredReview,
    inferred_title,
    names_a_file,
    title_key,
)

from ..conftest import make_review


def test_records_search_hit_and_reject_as_json() -> None:
    assert SearchHit(3, "A haunting score.", "tt1", "Film", "positive", 8.0).to_dict() == {
        "review_id": 3,
        "text": "A haunting score.",
        "film": "tt1",
        "title": "Film",
        "verdict": "positive",
        "rating": 8.0,
    }
    assert StoredReject("a.jsonl", "bad0", "empty text", {"film": "X"}).to_dict() == {
        "source": "a.jsonl",
        "record_id": "bad0",
        "reason": "empty text",
        "meta": {"film": "X"},
    }


def test_records_stored_review_is_positive_from_one_half() -> None:
    def stored(p: float) -> StoredReview:
        return StoredReview(1, "a", None, None, None, None, None, None, None, {}, make_review(probability=p))

    assert [stored(p).positive for p in (0.49, 0.5, 0.9)] == [False, True, True]


def test_records_title_key_ignores_case_punctuation_and_a_leading_article() -> None:
    assert title_key("The Nanny") == title_key("nanny") == title_key("NANNY!")
    assert title_key("A Bout de Souffle") == "bout de souffle"
    assert title_key("Theatre") == "theatre"  # only a whole leading word is an article


def test_records_inferred_title_counts_spellings_together_and_needs_support() -> None:
    named = [
        ("The Cranes Are Flying", 1957, 2, 0.6),
        ("cranes are flying", None, 1, 0.5),
        ("Gigi", 1958, 2, 0.7),
    ]
    assert inferred_title(named, 6) == InferredTitle("The Cranes Are Flying", 1957, 3, 0.5)
    assert inferred_title([("Gigi", None, 1, 0.6)], 1) is None  # once, and not surely
    assert inferred_title([("Gigi", None, 1, 0.9)], 4) == InferredTitle("Gigi", None, 1, 0.25)
    assert inferred_title([("Gigi", None, 2, 0.5)], 0) is None
    assert inferred_title([("!!", None, 5, 1.0)], 5) is None  # nothing left to compare
    tie = [("Gigi", None, 2, 0.6), ("Brigadoon", None, 2, 0.8)]
    assert inferred_title(tie, 4).title == "Brigadoon"  # as many reviews: the surer


def test_records_a_source_that_is_the_file_it_came_from() -> None:
    files = ("test.jsonl.gz", "/data/b.jsonl", "stdin", "reviews\\a.csv")
    critics = ("Our Desk", "A. Critic", "Roger Ebert", "The New Yorker")
    assert [names_a_file(s) for s in files] == [True] * 4
    assert [names_a_file(s) for s in critics] == [False] * 4
