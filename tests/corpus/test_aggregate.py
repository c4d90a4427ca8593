from typing import Any

import pytest

from reelsense.corpus.aggregate import film_report, polarisation, wilson_interval


def row(
    review_id: int,
    p: float,
    rating: float,
    source: str = "a",
    aspects: Any = (),
    quote: str | None = None,
    summary: Any = (),
) -> dict[str, Any]:
    """A stored analysis as Store.film_reviews gives it, built by hand."""
    sentences = [
        {"start": s, "end": s + 10, "text": t, "score": sc, "sentiment": None, "kind": "opinion"}
        for s, t, sc in summary
    ]
    return {
        "review_id": review_id,
        "source": source,
        "record_id": str(review_id),
        "source_rating": None,
        "verdict": "positive" if p >= 0.5 else "negative",
        "probability": p,
        "rating": rating,
        "pull_quote": quote,
        "result": {
            "aspects": [
                {
                    "name": n,
                    "polarity": pol,
                    "score": 0.5,
                    "mentions": 1,
                    "evidence": [
                        {
                            "start": st,
                            "end": st + 10,
                            "text": "",
                            "term_start": st,
                            "term_end": st + 2,
                            "score": 0.5,
                        }
                    ],
                }
                for n, pol, st in aspects
            ],
            "sentences": sentences,
            "summary": [{"start": s, "end": s + 10, "text": t} for s, t, _ in summary],
        },
    }


def test_aggregate_wilson_interval_narrows_with_more_reviews() -> None:
    assert wilson_interval(3, 3) == (0.4385, 1.0)
    assert wilson_interval(300, 300)[0] > 0.98
    assert wilson_interval(0, 0) == (0.0, 1.0)
    low, high = wilson_interval(50, 100)
    assert low < 0.5 < high and high - low == pytest.approx(0.1924, abs=1e-3)


def test_aggregate_polarisation() -> None:
    assert polarisation([8, 8, 7, 9]) == 0.0
    assert polarisation([9, 9, 1, 1]) == 1.0
    assert 0 < polarisation([9, 8, 8, 8, 2]) < polarisation([9, 9, 2, 2])


def test_aggregate_film_report() -> None:
    rows = [
        row(1, 0.9, 8.0, "a", [("acting", "positive", 0)], "A triumph.", [(0, "The cast is superb.", 0.95)]),
        row(
            2,
            0.8,
            7.5,
            "b",
            [("acting", "positive", 0), ("pacing", "negative", 20)],
            "Moving.",
            [(0, "Superb acting all round.", 0.9), (20, "It drags.", 0.2)],
        ),
        row(3, 0.2, 3.0, "b", [("acting", "mixed", 0)], "A bore.", [(0, "A bore.", 0.1)]),
    ]
    report = film_report("tt1", "Film", 2001, rows)
    assert (report.reviews, report.share_positive, report.score) == (3, 0.6667, 62)
    assert report.rating_histogram == [0, 0, 0, 1, 0, 0, 0, 1, 1, 0]
    assert report.aspects == {
        "acting": {"reviews": 3, "share_positive": 0.833},
        "pacing": {"reviews": 1, "share_positive": 0.0},
    }
    assert report.consensus == [
        {"review_id": 1, "text": "The cast is superb."},
        {"review_id": 2, "text": "Superb acting all round."},  # adds no aspect, but two are wanted
    ]
    assert report.top_positive == {"review_id": 1, "text": "A triumph.", "rating": 8.0}
    assert report.top_negative == {"review_id": 3, "text": "A bore.", "rating": 3.0}
    assert report.sources == [
        {"source": "b", "reviews": 2, "mean_rating": 5.25, "agreement": 0.5},
        {"source": "a", "reviews": 1, "mean_rating": 8.0, "agreement": 1.0},
    ]
    assert report.to_dict()["share_positive_interval"] == report.share_positive_interval
