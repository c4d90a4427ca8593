"""The web app in-process (httpx against the ASGI app) on a fresh SQLite file, with one API token;
and `reelsense serve` as a real server process, for what only a real server shows."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from reelsense import Pipeline
from reelsense.corpus.store import Store
from reelsense.web import WebSettings, create_app

from ..conftest import ROOT

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(url: str, *options: str) -> Iterator[str]:
    """`reelsense serve --db URL OPTIONS…` on a free port of 127.0.0.1, until the block ends: its base URL."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "reelsense", "serve", "--db", url, "--port", str(port), *options],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(base + "/v1/films", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError(f"reelsense serve did not start: {proc.stderr.read() if proc.stderr else ''}")
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
