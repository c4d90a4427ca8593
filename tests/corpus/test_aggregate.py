from dataclasses import replace
from typing import Any

import pytest

from reelsense.corpus.aggregate import (
    AspectShare,
    FilmSummary,
    Labels,
    PullQuote,
    Quote,
    SourceAgreement,
    StatedRatings,
    TimePoint,
    film_listing,
    film_report,
    find_film,
    polarisation,
    wilson_interval,
)
from reelsense.corpus.records import FilmRow, StoredReview
from reelsense.review import Aspect, Evidence, Excerpt, Sentence

from ..conftest import make_review


def stored(
    review_id: int,
    p: float,
    rating: float,
    source: str = "a",
    aspects: Any = (),
    quote: str | None = None,
    summary: Any = (),
) -> StoredReview:
    """A stored review built by hand: `aspects` as (name, polarity, evidence start), `summary` as
    (start, text, score) opinion sentences, each 10 characters long."""
    review = make_review(
        id=str(review_id),
        verdict="positive" if p >= 0.5 else "negative",
        probability=p,
        rating=rating,
        sentences=tuple(Sentence(s, s + 10, t, sc, None, "opinion") for s, t, sc in summary),
        summary=tuple(Excerpt(s, s + 10, t) for s, t, _ in summary),
        aspects=tuple(
            Aspect(name, polarity, 0.5, 1, (Evidence(start, start + 10, "", start, start + 2, 0.5),))
            for name, polarity, start in aspects
        ),
        pull_quote=Excerpt(0, len(quote), quote) if quote else None,
    )
    return StoredReview(review_id, source, "tt1", "Film", 2001, str(review_id), None, None, None, {}, review)


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
        stored(
            1, 0.9, 8.0, "a", [("acting", "positive", 0)], "A triumph.", [(0, "The cast is superb.", 0.95)]
        ),
        stored(
            2,
            0.8,
            7.5,
            "b",
            [("acting", "positive", 0), ("pacing", "negative", 20)],
            "Moving.",
            [(0, "Superb acting all round.", 0.9), (20, "It drags.", 0.2)],
        ),
        stored(3, 0.2, 3.0, "b", [("acting", "mixed", 0)], "A bore.", [(0, "A bore.", 0.1)]),
    ]
    report = film_report("tt1", "Film", 2001, rows)
    assert (report.reviews, report.share_positive, report.score) == (3, 0.6667, 62)
    assert report.rating_histogram == [0, 0, 0, 1, 0, 0, 0, 1, 1, 0]
    assert report.aspects == {
        "acting": AspectShare(reviews=3, share_positive=0.833, positive=2, negative=0, mixed=1),
        "pacing": AspectShare(reviews=1, share_positive=0.0, positive=0, negative=1, mixed=0),
    }
    assert report.consensus == [
        Quote(review_id=1, text="The cast is superb."),
        Quote(review_id=2, text="Superb acting all round."),  # adds no aspect, but two are wanted
    ]
    assert report.top_positive == PullQuote(review_id=1, text="A triumph.", rating=8.0)
    assert report.top_negative == PullQuote(review_id=3, text="A bore.", rating=3.0)
    assert report.sources == [
        SourceAgreement(source="b", reviews=2, mean_rating=5.25, agreement=0.5),
        SourceAgreement(source="a", reviews=1, mean_rating=8.0, agreement=1.0),
    ]
    assert report.to_dict()["share_positive_interval"] == report.share_positive_interval


def test_aggregate_per_critic_leaves_out_reviews_that_name_no_critic() -> None:
    rows = [
        stored(1, 0.9, 8.0, "Ann", [], "Lovely."),
        stored(2, 0.2, 3.0, "Ann", [], "Dull."),
        stored(3, 0.8, 7.0, "Bo", [], "Fine."),
        stored(4, 0.9, 9.0, "test.jsonl.gz", [], "Great."),
        stored(5, 0.1, 2.0, "stdin", [], "Awful."),
    ]
    report = film_report("tt1", "Film", 2001, rows)
    assert [(s.source, s.reviews) for s in report.sources] == [("Ann", 2), ("Bo", 1)]
    assert report.uncredited_reviews == 2 and report.reviews == 5


def test_aggregate_film_report_as_json() -> None:
    report = film_report(
        "tt1", "Film", 2001, [stored(7, 0.9, 8.0, "a", [("music", "positive", 0)], "Lovely.")]
    )
    assert report.to_dict() == {
        "key": "tt1",
        "title": "Film",
        "year": 2001,
        "reviews": 1,
        "share_positive": 1.0,
        "share_positive_interval": (0.2065, 1.0),
        "mean_rating": 8.0,
        "score": 80,
        "rating_histogram": [0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
        "aspects": {"music": {"reviews": 1, "share_positive": 1.0, "positive": 1, "negative": 0, "mixed": 0}},
        "consensus": [],
        "top_positive": {"review_id": 7, "text": "Lovely.", "rating": 8.0},
        "top_negative": None,
        "polarisation": 0.0,
        "sources": [
            {"source": "a", "reviews": 1, "mean_rating": 8.0, "agreement": 1.0, "mean_stated_rating": None}
        ],
        "uncredited_reviews": 0,
        "title_share": None,  # the input gave the title
        "stated": None,  # no review came with its own rating
        "standing": None,  # one review: too few to say
        "score_words": None,
        "over_time": [],  # no review is dated
    }


def test_aggregate_consensus_skips_narration_and_weak_sentences() -> None:
    told = make_review(
        probability=0.9,
        sentences=(Sentence(0, 10, "It is set in 1950.", 0.99, None, "narration"),),
        summary=(Excerpt(0, 10, "It is set in 1950."),),
    )
    narrated = replace(stored(1, 0.9, 8.0), review=told)
    weak = stored(2, 0.9, 8.0, summary=[(0, "It is fine.", 0.55)])
    strong = stored(3, 0.9, 8.0, summary=[(0, "A joy.", 0.9)])
    assert film_report("tt1", None, None, [narrated, weak, strong]).consensus == [Quote(3, "A joy.")]
    assert film_report("tt1", None, None, []).consensus == []


def test_aggregate_film_listing_filters_and_orders() -> None:
    rows = [
        FilmRow("tt1", "Tidewater", 2024, 2, 2, 8.0),
        FilmRow("tt2", "Dry Dock", 2023, 30, 24, 7.0),
        FilmRow("tt3", None, None, 1, 0, 2.0),
    ]
    assert film_listing(rows) == [
        FilmSummary("tt1", "Tidewater", 2024, 2, 1.0, wilson_interval(2, 2), 8.0, 80),
        FilmSummary(
            "tt2",
            "Dry Dock",
            2023,
            30,
            0.8,
            wilson_interval(24, 30),
            7.0,
            70,
            standing="widely liked",
            score_words="favourable",
        ),
        FilmSummary("tt3", None, None, 1, 0.0, wilson_interval(0, 1), 2.0, 20),
    ]
    assert [f.key for f in film_listing(rows, "share")] == ["tt2", "tt1", "tt3"]
    assert [f.key for f in film_listing(rows, "reviews")] == ["tt2", "tt1", "tt3"]
    assert [f.key for f in film_listing(rows, "title")] == ["tt2", "tt1", "tt3"]
    assert [f.key for f in film_listing(rows, query="DOCK")] == ["tt2"]
    assert [f.key for f in film_listing(rows, query="tt3")] == ["tt3"]
    assert film_listing(rows)[0].to_dict() == {
        "key": "tt1",
        "title": "Tidewater",
        "year": 2024,
        "reviews": 2,
        "share_positive": 1.0,
        "share_positive_interval": wilson_interval(2, 2),
        "mean_rating": 8.0,
        "score": 80,
        "title_share": None,
        "standing": None,
        "score_words": None,
    }


def test_aggregate_find_film_as_typed_as_listed_or_by_title() -> None:
    rows = [
        FilmRow("past lives (2023)", "Past Lives", 2023, 3, 3, 8.0),
        FilmRow("tt0387808", "Idiocracy", 2006, 7, 5, 7.0, title_share=0.4),
        FilmRow("tt1", "The Nanny", 1990, 2, 1, 5.0),
        FilmRow("tt2", "The Nanny", 2004, 9, 1, 5.0),
    ]
    assert find_film("past lives (2023)", rows) == "past lives (2023)"
    assert find_film("Past Lives (2023)", rows) == "past lives (2023)"  # as `films` shows it
    assert find_film("PAST LIVES", rows) == "past lives (2023)"
    assert find_film("idiocracy", rows) == "tt0387808"  # by a title inferred from its reviews
    assert find_film("Nanny", rows) == "tt2"  # the most reviewed of the title
    assert find_film("The Nanny (1990)", rows) == "tt1"  # the year says which
    assert find_film("Barbie", rows) is None and find_film("  ", rows) is None


def test_aggregate_stated_ratings_beside_the_models_per_film_and_source() -> None:
    rows = [
        replace(stored(1, 0.9, 8.0, "Ann"), source_rating=9.0),
        replace(stored(2, 0.2, 3.0, "Ann"), source_rating=4.0),
        stored(3, 0.8, 7.0, "Bo"),
    ]
    report = film_report("tt1", "Film", 2001, rows)
    assert report.stated == StatedRatings(
        reviews=2, mean=6.5, predicted_mean=5.5, mean_absolute_difference=1.0
    )
    assert [(s.source, s.mean_stated_rating) for s in report.sources] == [("Ann", 6.5), ("Bo", None)]


def test_aggregate_standing_words_at_each_boundary() -> None:
    labels = Labels()  # liked at 60% of 5 reviews; widely liked at 75% of 20, its interval clearing 60%
    assert labels.standing(5, 4) is None  # too few reviews to say
    assert [labels.standing(p, 5) for p in (2, 3, 5)] == ["not liked", "liked", "liked"]
    assert labels.standing(19, 19) == "liked"  # widely liked needs 20 reviews
    assert labels.standing(15, 20) == "liked"  # 75% of 20, but its interval's low end is below 60%
    assert labels.standing(18, 20) == "widely liked"
    assert labels.standing(74, 100) == "liked" and labels.standing(75, 100) == "widely liked"
    strict = Labels(liked_share=0.7, liked_reviews=2, widely_share=0.9, widely_reviews=3, score_reviews=1)
    # 3 of 3 clears 90%, but the low end of its interval (44%) is below 70%: liked, not widely
    assert [strict.standing(1, 2), strict.standing(3, 3), strict.standing(1, 1)] == [
        "not liked",
        "liked",
        None,
    ]
    assert Labels(liked_share=0.4, widely_share=0.9, widely_reviews=3).standing(30, 30) == "widely liked"
    assert [labels.score_words(s, 4) for s in (100, 81, 80, 61, 60, 40, 39, 20, 19, 0)] == [
        "acclaimed", "acclaimed", "favourable", "favourable", "mixed", "mixed",
        "unfavourable", "unfavourable", "panned", "panned",
    ]  # fmt: skip
    assert labels.score_words(90, 3) is None and strict.score_words(90, 1) == "acclaimed"


def test_aggregate_listing_and_report_carry_the_words() -> None:
    rows = [FilmRow("tt1", "Tidewater", 2024, 30, 27, 8.4), FilmRow("tt2", "Dry Dock", 2023, 3, 0, 2.0)]
    listed = {f.key: f for f in film_listing(rows)}
    assert (listed["tt1"].standing, listed["tt1"].score_words) == ("widely liked", "acclaimed")
    assert (listed["tt2"].standing, listed["tt2"].score_words) == (None, None)  # 3 reviews: too few
    report = film_report(
        "tt1", "Film", 2001, [stored(i, 0.9, 8.0) for i in range(5)], labels=Labels(liked_reviews=5)
    )
    assert (report.standing, report.score_words) == ("liked", "favourable")


def test_aggregate_over_time_by_month_or_year() -> None:
    def on(day: str | None, n: int, p: float, rating: float) -> StoredReview:
        return replace(stored(n, p, rating), date=day)

    rows = [on("2024-03-02", 1, 0.9, 8.0), on("2024-03-30T10:00", 2, 0.2, 4.0), on("2024-05-01", 3, 0.9, 9.0)]
    rows += [on(None, 4, 0.9, 9.0), on("soon", 5, 0.9, 9.0), on("2024-13-01", 6, 0.9, 9.0)]  # left out
    assert film_report("tt1", None, None, rows).over_time == [
        TimePoint("2024-03", 2, 6.0, 0.5),
        TimePoint("2024-05", 1, 9.0, 1.0),
    ]
    spread = [on(f"{2000 + i // 12}-{i % 12 + 1:02d}-01", i, 0.9, 8.0) for i in range(40)]
    assert [(t.period, t.reviews) for t in film_report("tt1", None, None, spread).over_time] == [
        ("2000", 12), ("2001", 12), ("2002", 12), ("2003", 4),
    ]  # fmt: skip
    years_only = [on("1999", 1, 0.9, 8.0), on("2001-02-03", 2, 0.2, 2.0)]
    assert [t.period for t in film_report("tt1", None, None, years_only).over_time] == ["1999", "2001"]
