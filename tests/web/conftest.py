"""The web app in-process (httpx against the ASGI app) on a fresh SQLite file, with one API token."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from reelsense import Pipeline
from reelsense.corpus.store import Store
from reelsense.web import WebSettings, create_app

HOSTILE = 'Great fun. <script>alert("owned")</script> <img src=x onerror=alert(1)> The cast is superb.'


@pytest.fixture()
def site(tmp_path: Path, pipeline: Pipeline) -> Iterator[tuple[TestClient, str, str]]:
    """A client on an open server, a token named "Our Desk", and the database URL."""
    url = f"sqlite:///{tmp_path / 'web.db'}"
    token = Store(url).create_token("Our Desk")
    with TestClient(create_app(WebSettings(url), pipeline=pipeline)) as client:
        yield client, token, url


def post_reviews(client: TestClient, token: str, body: object) -> httpx.Response:
    return client.post("/v1/reviews", json=body, headers={"Authorization": f"Bearer {token}"})
