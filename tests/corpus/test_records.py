from reelsense.corpus.records import SearchHit, StoredReject, StoredReview

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
