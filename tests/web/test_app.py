"""The web service in-process over HTTP (httpx against the ASGI app): API, pages, tokens, escaping."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from reelsense import Pipeline
from reelsense.corpus.store import Store
from reelsense.kb.imdb import import_imdb
from reelsense.web import create_app
from reelsense.web.app import MAX_BATCH, MAX_BODY_BYTES

from ..conftest import ROOT

HOSTILE = 'Great fun. <script>alert("owned")</script> <img src=x onerror=alert(1)> The cast is superb.'


@pytest.fixture()
def site(tmp_path: Path, pipeline: Pipeline) -> Iterator[tuple[TestClient, str, str]]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    token = Store(url).create_token("Our Desk")
    with TestClient(create_app(url, pipeline=pipeline)) as client:
        yield client, token, url


def post_reviews(client: TestClient, token: str, body: object) -> httpx.Response:
    return client.post("/v1/reviews", json=body, headers={"Authorization": f"Bearer {token}"})


def test_web_analyze_stores_nothing(site: tuple[TestClient, str, str]) -> None:
    client, _, url = site
    response = client.post("/v1/analyze", json={"text": "A superb, moving film. The score is haunting."})
    assert response.status_code == 200
    assert response.json()["verdict"] == "positive"
    assert Store(url).counts()["reviews"] == 0


def test_web_errors_are_json_with_status(site: tuple[TestClient, str, str]) -> None:
    client, _, _ = site
    empty = client.post("/v1/analyze", json={"text": "   "})
    assert (empty.status_code, empty.json()) == (422, {"error": "empty text"})
    long = client.post("/v1/analyze", json={"text": "x" * 100_001})
    assert long.status_code == 422 and "at most 100000 characters" in long.json()["error"]
    missing = client.get("/v1/films/nothing")
    assert (missing.status_code, missing.json()) == (404, {"error": "no film 'nothing'"})
    assert client.get("/v1/reviews/99").json() == {"error": "no review 99"}


def test_web_writes_need_a_token(site: tuple[TestClient, str, str]) -> None:
    client, _, _ = site
    anonymous = client.post("/v1/reviews", json={"text": "Fine."})
    assert anonymous.status_code == 401 and "API token" in anonymous.json()["error"]
    wrong = post_reviews(client, "not-a-token", {"text": "Fine."})
    assert wrong.status_code == 401


def test_web_submit_then_read_films_reviews_search(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    batch = {"reviews": [
        {"text": "A haunting score and superb acting. I loved it.", "film": "Tidewater (2024)", "id": "a"},
        {"text": "Gorgeous and moving; the score is haunting.", "film": "Tidewater (2024)", "id": "b"},
        {"text": "A dull, clumsy mess with wooden acting.", "film": "Dry Dock (2023)", "id": "c"},
    ]}  # fmt: skip
    created = post_reviews(client, token, batch)
    assert created.status_code == 201 and created.json()["stored"] == 3
    assert post_reviews(client, token, batch).json()["already_stored"] == 3
    single = post_reviews(client, token, {"text": "Another fine film.", "film": "Dry Dock (2023)"})
    assert single.json()["stored"] == 1

    films = client.get("/v1/films", params={"sort": "score", "per_page": 1}).json()
    assert (films["total"], films["per_page"], [f["key"] for f in films["films"]]) == (
        2,
        1,
        ["tidewater (2024)"],
    )
    assert client.get("/v1/films", params={"q": "dock"}).json()["films"][0]["key"] == "dry dock (2023)"
    assert client.get("/v1/films", params={"per_page": 101}).status_code == 422
    film = client.get("/v1/films/tidewater (2024)").json()
    assert film["reviews"] == 2 and film["share_positive"] == 1.0
    hits = client.get("/v1/search", params={"q": "wooden"}).json()["results"]
    assert [h["film"] for h in hits] == ["dry dock (2023)"]
    review = client.get(f"/v1/reviews/{hits[0]['review_id']}").json()
    assert review["source"] == "Our Desk" and review["analysis"]["verdict"] == "negative"


def test_web_batches_and_bodies_are_bounded(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    too_many = {"reviews": [{"text": "Fine."}] * (MAX_BATCH + 1)}
    assert post_reviews(client, token, too_many).status_code == 422
    huge = client.post(
        "/v1/analyze", content=b"x" * (MAX_BODY_BYTES + 1), headers={"content-type": "application/json"}
    )
    assert (huge.status_code, huge.json()) == (
        413,
        {"error": "request body too large: at most 16,777,216 bytes"},
    )


def test_web_pages_render_and_escape_hostile_reviews(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    post_reviews(client, token, {"text": HOSTILE, "film": "Tidewater (2024)"})
    home = client.get("/")
    assert home.status_code == 200 and "Tidewater" in home.text
    film = client.get("/films/tidewater (2024)")
    assert film.status_code == 200 and "<svg" in film.text
    review_id = client.get("/v1/search", params={"q": "cast superb"}).json()["results"][0]["review_id"]
    page = client.get(f"/reviews/{review_id}").text
    assert "<script>" not in page and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in page
    pasted = client.post("/analyze", data={"text": HOSTILE}).text
    assert "<script>alert" not in pasted and "&lt;script&gt;" in pasted and 'id="verdict"' in pasted
    assert client.get("/films/nothing").status_code == 404


def test_web_private_server_closes_reads(tmp_path: Path, pipeline: Pipeline) -> None:
    url = f"sqlite:///{tmp_path / 'private.db'}"
    token = Store(url).create_token("me")
    app = create_app(url, private=True, pipeline=pipeline)
    with TestClient(app) as client:
        assert client.get("/v1/films").status_code == 401
        assert client.get("/").status_code == 401
        assert client.get("/v1/films", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_web_openapi_documents_the_limits(site: tuple[TestClient, str, str]) -> None:
    client, _, _ = site
    spec = client.get("/openapi.json").json()
    assert "/v1/analyze" in spec["paths"] and "/v1/reviews" in spec["paths"]
    assert "at most 100,000 characters" in spec["info"]["description"]


def test_web_links_names_when_the_database_holds_a_knowledge_base(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    import_imdb(ROOT / "tests" / "data" / "imdb-kb", url)
    with TestClient(create_app(url)) as client:
        result = client.post(
            "/v1/analyze", json={"text": "Cape Fear is loud. Robert De Niro chews the scenery."}
        )
    assert result.json()["film"]["link"] == "tt0101540"
