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
        assert client.get("/v1/films").json() == {"total": 0, "page": 1, "per_page": 20, "films": []}
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
