"""The JSON API under /v1: analyse, submit with a token, read films, reviews and search."""

from pathlib import Path

from fastapi.testclient import TestClient

from reelsense.corpus.store import Store
from reelsense.kb.imdb import import_imdb
from reelsense.web import WebSettings, create_app
from reelsense.web.settings import MAX_BATCH

from ..conftest import ROOT
from .conftest import post_reviews

LISTED_FIELDS = (
    "key title year reviews share_positive share_positive_interval mean_rating score title_share standing "
    "score_words".split()
)
REPORT_FIELDS = (
    "rating_histogram aspects consensus top_positive top_negative polarisation sources uncredited_reviews "
    "stated over_time".split()
)


def test_api_analyze_stores_nothing(site: tuple[TestClient, str, str]) -> None:
    client, _, url = site
    response = client.post("/v1/analyze", json={"text": "A superb, moving film. The score is haunting."})
    assert response.status_code == 200
    assert response.json()["verdict"] == "positive"
    assert Store(url).counts()["reviews"] == 0


def test_api_errors_are_json_with_status(site: tuple[TestClient, str, str]) -> None:
    client, _, _ = site
    empty = client.post("/v1/analyze", json={"text": "   "})
    assert (empty.status_code, empty.json()) == (422, {"error": "empty text"})
    long = client.post("/v1/analyze", json={"text": "x" * 100_001})
    assert long.status_code == 422 and "at most 100000 characters" in long.json()["error"]
    missing = client.get("/v1/films/nothing")
    assert (missing.status_code, missing.json()) == (404, {"error": "no film 'nothing'"})
    assert client.get("/v1/reviews/99").json() == {"error": "no review 99"}
    assert client.get("/v1/films", params={"sort": "loudness"}).json() == {
        "error": "invalid request: sort: String should match pattern '^(score|share|reviews|title)$'"
    }


def test_api_writes_need_a_token(site: tuple[TestClient, str, str]) -> None:
    client, _, _ = site
    anonymous = client.post("/v1/reviews", json={"text": "Fine."})
    assert anonymous.status_code == 401 and "API token" in anonymous.json()["error"]
    wrong = post_reviews(client, "not-a-token", {"text": "Fine."})
    assert wrong.status_code == 401


def test_api_submit_then_read_films_reviews_search(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    batch = {"reviews": [
        {"text": "A haunting score and superb acting. I loved it.", "film": "Tidewater (2024)", "id": "a"},
        {"text": "Gorgeous and moving; the score is haunting.", "film": "Tidewater (2024)", "id": "b"},
        {"text": "A dull, clumsy mess with wooden acting.", "film": "Dry Dock (2023)", "id": "c"},
    ]}  # fmt: skip
    created = post_reviews(client, token, batch)
    assert created.status_code == 201 and created.json()["stored"] == 3
    made = created.json()["reviews"]  # what became of each, in order, with the new ids
    assert [(r["id"], r["status"]) for r in made] == [("a", "stored"), ("b", "stored"), ("c", "stored")]
    assert [r["url"] for r in made] == [f"/v1/reviews/{r['review_id']}" for r in made]
    again = post_reviews(client, token, batch).json()
    assert again["already_stored"] == 3 and [r["review_id"] for r in again["reviews"]] == [
        r["review_id"] for r in made
    ]
    assert [r["status"] for r in again["reviews"]] == ["already stored"] * 3
    single = post_reviews(client, token, {"text": "Another fine film.", "film": "Dry Dock (2023)"})
    assert single.json()["stored"] == 1 and single.json()["reviews"][0]["id"] is None
    empty = post_reviews(client, token, {"text": "   ", "id": "blank"}).json()["reviews"]
    assert (empty[0]["id"], empty[0]["status"], empty[0]["review_id"]) == ("blank", "rejected", None)
    assert empty[0]["reason"]

    default = client.get("/v1/films").json()  # two films of two reviews each: below the default minimum
    assert (default["total"], default["hidden"], default["films"]) == (0, 2, [])
    films = client.get("/v1/films", params={"sort": "score", "per_page": 1, "min_reviews": 1}).json()
    assert (films["total"], films["hidden"], films["per_page"], [f["key"] for f in films["films"]]) == (
        2,
        0,
        1,
        ["tidewater (2024)"],
    )
    assert films["next"] == "/v1/films?sort=score&per_page=1&min_reviews=1&page=2"
    last = client.get(films["next"]).json()
    assert [f["key"] for f in last["films"]] == ["dry dock (2023)"] and last["next"] is None
    docks = client.get("/v1/films", params={"q": "dock", "min_reviews": 1}).json()["films"]
    assert [f["key"] for f in docks] == ["dry dock (2023)"]
    assert client.get("/v1/films", params={"per_page": 101}).status_code == 422
    film = client.get("/v1/films/tidewater (2024)").json()
    assert film["reviews"] == 2 and film["share_positive"] == 1.0
    hits = client.get("/v1/search", params={"q": "wooden"}).json()["results"]
    assert [h["film"] for h in hits] == ["dry dock (2023)"]
    (a, b) = hits[0]["highlights"][0]
    assert hits[0]["snippet"][a:b].lower() == "wooden" and "text" not in hits[0]
    first = client.get("/v1/search", params={"q": "haunting", "per_page": 1}).json()
    assert len(first["results"]) == 1 and first["next"] == "/v1/search?q=haunting&per_page=1&page=2"
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert second["results"][0]["review_id"] != first["results"][0]["review_id"]
    by_title = client.get("/v1/search", params={"q": "haunting", "film": "Tidewater"}).json()["results"]
    assert {h["film"] for h in by_title} == {"tidewater (2024)"}
    review = client.get(f"/v1/reviews/{hits[0]['review_id']}").json()
    assert review["source"] == "Our Desk" and review["analysis"]["verdict"] == "negative"


def test_api_json_keeps_its_shape(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    post_reviews(
        client, token, {"text": "A dull, clumsy mess with wooden acting.", "film": "Dry Dock (2023)"}
    )
    (listed,) = client.get("/v1/films", params={"min_reviews": 1}).json()["films"]
    assert sorted(listed) == sorted(LISTED_FIELDS)
    film = client.get("/v1/films/dry dock (2023)").json()
    assert sorted(film) == sorted(LISTED_FIELDS + REPORT_FIELDS)
    assert film["sources"] == [{"source": "Our Desk", "reviews": 1, "mean_rating": film["mean_rating"],
                                "agreement": 1.0, "mean_stated_rating": None}]  # fmt: skip
    (hit,) = client.get("/v1/search", params={"q": "wooden"}).json()["results"]
    assert sorted(hit) == ["film", "highlights", "rating", "review_id", "snippet", "title", "verdict"]
    review = client.get(f"/v1/reviews/{hit['review_id']}").json()
    assert {k: v for k, v in review.items() if k != "analysis"} == {
        "id": hit["review_id"],
        "film": "dry dock (2023)",
        "film_title": "Dry Dock",
        "film_year": 2023,
        "source": "Our Desk",
    }
    assert review["analysis"]["text"] == "A dull, clumsy mess with wooden acting."


def test_api_and_pages_find_a_film_as_typed(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    post_reviews(client, token, {"text": "A tender, beautiful film.", "film": "Barbie (2023)"})
    assert client.get("/v1/films/Barbie%20(2023)").json()["key"] == "barbie (2023)"
    assert client.get("/v1/films/barbie").json()["title"] == "Barbie"
    assert client.get("/films/Barbie%20(2023)").status_code == 200
    assert client.get("/v1/films/Oppenheimer").status_code == 404


def test_api_batches_are_bounded(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    too_many = {"reviews": [{"text": "Fine."}] * (MAX_BATCH + 1)}
    assert post_reviews(client, token, too_many).status_code == 422


def test_api_links_names_when_the_database_holds_a_knowledge_base(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    import_imdb(ROOT / "tests" / "data" / "imdb-kb", url)
    with TestClient(create_app(WebSettings.for_database(url))) as client:
        result = client.post(
            "/v1/analyze", json={"text": "Cape Fear is loud. Robert De Niro chews the scenery."}
        )
    assert result.json()["film"]["link"] == "tt0101540"
