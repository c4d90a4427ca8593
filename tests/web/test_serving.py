"""`reelsense serve` as a real server on raw sockets: a request's headers and body have deadlines.

The server runs with `--header-timeout 0.5` (a body gets six times that); each socket waits at most
20 s for the server's answer, so a server that keeps a connection open fails the test instead of
hanging it.
"""

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelsense.corpus.store import Store

from .conftest import serving

WAIT = 20.0  # seconds a socket waits for the server: far past every deadline under test


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('serving') / 'site.db'}"
    Store(url)
    with serving(url, "--header-timeout", "0.5") as base:
        host, port = base.removeprefix("http://").split(":")
        yield host, int(port)


def connect(server: tuple[str, int]) -> socket.socket:
    sock = socket.create_connection(server, timeout=WAIT)
    sock.settimeout(WAIT)
    return sock


def answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def response(sock: socket.socket) -> bytes:
    """One whole response (head and a body of its content-length) off a kept-open connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536) or pytest.fail(f"closed mid-response: {data!r}")
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536) or pytest.fail("closed mid-body")
    return head


def test_serving_half_sent_headers_are_answered_408_and_closed(server: tuple[str, int]) -> None:
    sock = connect(server)
    sock.sendall(b"GET /v1/films HTTP/1.1\r\nHost: x\r\n")  # the headers never end
    got = answer(sock)  # within the socket's WAIT, or the test fails: the deadline is what answers
    assert got.startswith(b"HTTP/1.1 408 ") and got.endswith(
        b'"the request\'s headers did not come in time"}'
    )


def test_serving_many_half_open_connections_are_all_closed(server: tuple[str, int]) -> None:
    socks = [connect(server) for _ in range(200)]
    for k, sock in enumerate(socks):
        if k % 2:
            sock.sendall(b"GET / HTTP/1.1\r\n")  # half a request; the others send nothing at all
    assert all(answer(sock).startswith(b"HTTP/1.1 408 ") for sock in socks)
    for sock in socks:
        sock.close()


def test_serving_a_body_that_stops_coming_closes_the_connection(server: tuple[str, int]) -> None:
    sock = connect(server)
    sock.sendall(
        b"POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000\r\n\r\n" + b'{"text": "A fine'  # and then nothing more
    )
    assert answer(sock) == b""  # closed without an answer: the app saw the client leave


def test_serving_requests_in_time_are_served_on_one_connection(server: tuple[str, int]) -> None:
    sock = connect(server)
    for _ in range(3):  # each request's headers come in two parts, well inside the deadline
        sock.sendall(b"GET /v1/films HTTP/1.1\r\n")
        time.sleep(0.1)
        sock.sendall(b"Host: x\r\n\r\n")
        head = response(sock)
        assert head.startswith(b"HTTP/1.1 200 "), head[:100]
        time.sleep(0.3)  # idle between requests, within the deadline
    sock.close()


def test_serving_header_timeout_refuses_nonsense(tmp_path: Path) -> None:
    from reelsense.settings import SETTINGS

    setting = SETTINGS["header-timeout"]
    assert setting.parse("2.5") == 2.5
    for bad in ("0", "-1", "nan", "inf", "soon"):
        with pytest.raises(ValueError):
            setting.parse(bad)


def test_serving_log_prints_a_line_per_request(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    import httpx

    from ..conftest import ROOT
    from .conftest import free_port

    url = f"sqlite:///{tmp_path / 'logged.db'}"
    Store(url)
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "reelsense", "serve", "--db", url, "--port", str(port), "--log"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/v1/films?page=1", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert '"GET /v1/films?page=1 HTTP/1.1" 200' in err
