"""The app as composed: settings in, bounded bodies, the API documented, private reads, worker factory."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelsense import Pipeline
from reelsense.corpus.store import Store
from reelsense.web import WebSettings, create_app
from reelsense.web.app import app_from_environment
from reelsense.web.settings import MAX_BODY_BYTES, SETTINGS_VARIABLE


def test_app_bodies_are_bounded(site: tuple[TestClient, str, str]) -> None:
    client, _, _ = site
    huge = client.post(
        "/v1/analyze", content=b"x" * (MAX_BODY_BYTES + 1), headers={"content-type": "application/json"}
    )
    assert (huge.status_code, huge.json()) == (
        413,
        {"error": "request body too large: at most 16,777,216 bytes"},
    )


def test_app_private_server_closes_reads(tmp_path: Path, pipeline: Pipeline) -> None:
    url = f"sqlite:///{tmp_path / 'private.db'}"
    token = Store(url).create_token("me")
    app = create_app(WebSettings(url, private=True), pipeline=pipeline)
    with TestClient(app) as client:
        assert client.get("/v1/films").status_code == 401
        assert client.get("/").status_code == 401
        assert client.get("/v1/films", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_app_openapi_documents_the_limits(site: tuple[TestClient, str, str]) -> None:
    client, _, _ = site
    spec = client.get("/openapi.json").json()
    assert "/v1/analyze" in spec["paths"] and "/v1/reviews" in spec["paths"]
    assert "at most 100,000 characters" in spec["info"]["description"]
    assert sorted(spec["paths"]) == [
        "/v1/analyze", "/v1/films", "/v1/films/{key}", "/v1/reviews", "/v1/reviews/{review_id}", "/v1/search",
    ]  # fmt: skip


def test_app_reads_no_environment(
    tmp_path: Path, pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELSENSE_DB", f"sqlite:///{tmp_path / 'not-this.db'}")
    monkeypatch.setenv("REELSENSE_PRIVATE", "1")
    url = f"sqlite:///{tmp_path / 'this.db'}"
    with TestClient(create_app(WebSettings(url), pipeline=pipeline)) as client:
        listed = client.get("/v1/films").json()
        assert listed == {"total": 0, "hidden": 0, "page": 1, "per_page": 20, "films": [], "next": None}
    assert not (tmp_path / "not-this.db").exists()


def test_app_from_environment_takes_the_settings_serve_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'worker.db'}"
    monkeypatch.setenv(SETTINGS_VARIABLE, WebSettings(url, private=True).to_json())
    app = app_from_environment()
    assert app.state.site.settings == WebSettings(url, private=True)
    with TestClient(app) as client:
        assert client.get("/v1/films").status_code == 401


def chunks(total: int, size: int = 1 << 20):  # type: ignore[no-untyped-def]
    """A body of `total` bytes sent chunked: no Content-Length declares it."""
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def test_app_a_chunked_body_is_bounded_by_what_arrives(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    anonymous = client.post(
        "/v1/reviews", content=chunks(64 << 20), headers={"content-type": "application/json"}
    )
    assert anonymous.status_code == 401  # refused before the body is read
    headers = {"content-type": "application/json", "Authorization": f"Bearer {token}"}
    signed = client.post("/v1/reviews", content=chunks(MAX_BODY_BYTES + (1 << 20)), headers=headers)
    assert (signed.status_code, signed.json()["error"]) == (
        413,
        "request body too large: at most 16,777,216 bytes",
    )


def test_app_numbers_past_any_database_are_invalid_requests(site: tuple[TestClient, str, str]) -> None:
    client, _, _ = site
    for path in ("/v1/films?min_reviews=9223372036854775808", "/v1/reviews/99999999999999999999"):
        answer = client.get(path)
        assert answer.status_code == 422 and answer.json()["error"].startswith("invalid request"), path
    page = client.get("/?page=99999999999999999999")
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert client.get("/reviews/99999999999999999999").status_code == 422


def test_app_answers_carry_security_headers_and_never_the_host(site: tuple[TestClient, str, str]) -> None:
    client, _, _ = site
    for path in ("/", "/v1/films", "/docs", "/nothing-here"):
        answer = client.get(path, headers={"Host": "evil.example"})
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert (
            answer.headers["x-frame-options"] == "DENY" and answer.headers["referrer-policy"] == "no-referrer"
        )
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert "evil.example" not in answer.text, path
    assert "script-src" not in client.get("/").headers["content-security-policy"]  # pages run no script


def test_app_unknown_routes_and_bad_parameters_answer_in_kind(site: tuple[TestClient, str, str]) -> None:
    client, _, _ = site
    assert client.get("/v1/nothing").json() == {"error": "Not Found"}
    missing = client.get("/nothing")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")


def test_app_the_bearer_scheme_is_case_blind(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    body = {"text": "A warm, funny film.", "film": "tt0000001"}
    for scheme in ("bearer", "BEARER", "Bearer"):
        answer = client.post("/v1/reviews", json=body, headers={"Authorization": f"{scheme} {token}"})
        assert answer.status_code == 201, scheme


def test_app_docs_load_nothing_from_elsewhere_and_close_with_a_private_server(
    site: tuple[TestClient, str, str], tmp_path: Path, pipeline: Pipeline
) -> None:
    client, _, _ = site
    docs = client.get("/docs")
    assert (
        docs.status_code == 200 and "cdn." not in docs.text and "https://" not in docs.text.split("<body")[0]
    )
    for asset in (a.split('"')[0] for a in docs.text.split('src="')[1:]):
        assert client.get(asset).status_code == 200, asset
    url = f"sqlite:///{tmp_path / 'private.db'}"
    token = Store(url).create_token("me")
    with TestClient(create_app(WebSettings(url, private=True), pipeline=pipeline)) as private:
        for path in ("/docs", "/openapi.json"):
            assert private.get(path).status_code == 401, path
        assert private.get("/openapi.json", headers={"Authorization": f"Bearer {token}"}).status_code == 200
