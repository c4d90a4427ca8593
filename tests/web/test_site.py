"""What routes share: the film-report cache and the film list's pages, on a store of hand-built reviews."""

from reelsense.corpus.aggregate import film_listing, film_report
from reelsense.corpus.store import Store
from reelsense.web.site import SORT_PATTERN, SORTS, FilmListings, FilmReports

from ..conftest import make_new_review, make_review


def test_site_sorts_come_from_the_aggregate() -> None:
    assert SORTS == ("score", "share", "reviews", "title")
    assert SORT_PATTERN == "^(score|share|reviews|title)$"


def test_site_film_reports_are_rebuilt_when_the_film_changes(memory_store: Store) -> None:
    memory_store.save([make_new_review()])
    films = FilmReports(memory_store, size=1)
    first = films.report("tt0000001")
    assert first == film_report("tt0000001", "Film", 2001, memory_store.film_reviews("tt0000001"))
    cached = films.report("tt0000001")  # the same totals: the same report, not a rebuilt one
    assert first is not None and cached is first
    memory_store.save([make_new_review(review=make_review(text="Another.", rating=2.0))])
    again = films.report("tt0000001")
    assert again is not None and again.reviews == 2
    assert films.report("nothing") is None


def test_site_film_listings_are_kept_until_the_corpus_changes(memory_store: Store, monkeypatch) -> None:
    memory_store.save([make_new_review()])
    listings = FilmListings(memory_store)
    totals = []
    real = memory_store.film_rows
    monkeypatch.setattr(memory_store, "film_rows", lambda *a, **k: totals.append(1) or real(*a, **k))
    first = listings.ordered("score")
    assert first == film_listing(real(), "score")
    assert listings.ordered("score") is first and listings.ordered("title") == first  # one film
    assert len(totals) == 1  # every order from one total
    before = memory_store.generation()
    bad = make_review(text="Bad.", id="r2")
    other = make_new_review(film_key="tt0000002", film_title="Other", review=bad)
    memory_store.save([other])
    assert memory_store.generation() == before + 1
    assert [f.key for f in listings.ordered("title")] == ["tt0000001", "tt0000002"]
    assert len(totals) == 2
    memory_store.save([other])  # stored already: nothing changed, nothing rebuilt
    assert memory_store.generation() == before + 1
    listings.ordered("score")
    assert len(totals) == 2
    memory_store.replace_analyses([(1, make_review(rating=1.0, probability=0.1, verdict="negative"))])
    assert [f.mean_rating for f in listings.ordered("score") if f.key == "tt0000001"] == [1.0]
