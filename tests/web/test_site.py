"""What routes share: the film-report cache and the film list's pages, on a store of hand-built reviews."""

from reelsense.corpus.aggregate import film_report
from reelsense.corpus.store import Store
from reelsense.web.site import SORT_PATTERN, SORTS, FilmReports

from ..conftest import make_new_review, make_review


def test_site_sorts_come_from_the_aggregate() -> None:
    assert SORTS == ("score", "share", "reviews", "title")
    assert SORT_PATTERN == "^(score|share|reviews|title)$"


def test_site_film_reports_are_rebuilt_when_the_film_changes(memory_store: Store) -> None:
    memory_store.save([make_new_review()])
    films = FilmReports(memory_store, size=1)
    first = films.report("tt0000001")
    assert first == (film_report("tt0000001", "Film", 2001, memory_store.film_reviews("tt0000001")),
                     memory_store.film_reviews("tt0000001"))  # fmt: skip
    cached = films.report("tt0000001")  # the same totals: the same report, not a rebuilt one
    assert first is not None and cached is not None and cached[0] is first[0]
    memory_store.save([make_new_review(review=make_review(text="Another.", rating=2.0))])
    again = films.report("tt0000001")
    assert again is not None and again[0].reviews == 2
    assert films.report("nothing") is None
