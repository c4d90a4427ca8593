"""Load and abuse on the web service: `reelsense serve --workers 2` on 127.0.0.1, a full IMDB corpus.

    python bench/web.py --data ../shared/data/imdb [--clients 16] [--seconds 20] [--workers 2]
                        [--reviews 25000] [--slow 200] [--chunked 4]

Ingests IMDB test (all 25,000 records unless `--reviews` says fewer, each review with its film) into a
fresh SQLite database and starts the server with two workers (one per core). For each of
`POST /v1/analyze` (a real IMDB test review each time, full anatomy), a film page, the home page and
`GET /v1/films` it keeps `--clients` requests in flight for `--seconds`, and all the while, on the same
server:

- `--slow` slow-header clients each hold a connection open by sending one more header line every two
  seconds and never finishing; when the server closes one (408, its header deadline) it opens another;
- `--chunked` clients each send `POST /v1/analyze` with a chunked body, 1 MiB chunks as fast as the
  server takes them, until the server answers (413 past 16 MiB) or closes; then start again.

Prints requests/s, p50 and p99 latency and errors per endpoint, what became of the hostile clients,
and the server's peak memory (the high-water mark of each of its processes). Writes
bench/results/web.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from reelsense import Pipeline
from reelsense.corpus.aggregate import LISTED_REVIEWS
from reelsense.corpus.ingest import FieldMap, ingest
from reelsense.corpus.store import Store
from reelsense.review import Item

HERE = Path(__file__).resolve().parent
CHUNK = 1 << 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Abuse:
    """What became of the hostile clients during one endpoint's run."""

    slow_opened: int = 0
    slow_closed_408: int = 0
    slow_closed_other: int = 0
    slow_held: list[float] = field(default_factory=list)  # seconds until the server closed each
    slow_open_at_end: int = 0  # still held (not yet at their deadline) when the run ended
    chunked_sent: int = 0
    chunked_413: int = 0
    chunked_other: int = 0
    chunked_at_end: int = 0  # still sending when the run ended
    chunked_bytes: list[int] = field(default_factory=list)  # body bytes sent before the answer


async def connect(host: str, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
    """A connection, or None (after a pause) when the server refuses one."""
    try:
        return await asyncio.open_connection(host, port)
    except OSError:
        await asyncio.sleep(0.5)
        return None


async def slow_header_client(host: str, port: int, stop: float, abuse: Abuse) -> None:
    while time.perf_counter() < stop:
        if (connection := await connect(host, port)) is None:
            continue
        reader, writer = connection
        abuse.slow_opened += 1
        opened = time.perf_counter()
        writer.write(b"GET / HTTP/1.1\r\nHost: bench\r\n")
        answer = b""
        try:
            while time.perf_counter() < stop:
                try:
                    answer = await asyncio.wait_for(reader.read(4096), 2.0)
                    break  # the server answered or closed
                except TimeoutError:
                    writer.write(b"X-Still-Coming: yes\r\n")
                    await writer.drain()
            else:
                abuse.slow_open_at_end += 1  # the run ended with this one still held
                return
        except OSError:
            answer = b""
        finally:
            writer.close()
        abuse.slow_held.append(time.perf_counter() - opened)
        if answer.startswith(b"HTTP/1.1 408"):
            abuse.slow_closed_408 += 1
        else:
            abuse.slow_closed_other += 1


async def chunked_client(host: str, port: int, stop: float, abuse: Abuse) -> None:
    chunk = b"%x\r\n%s\r\n" % (CHUNK, b"a" * CHUNK)
    while time.perf_counter() < stop:
        if (connection := await connect(host, port)) is None:
            continue
        reader, writer = connection
        abuse.chunked_sent += 1
        writer.write(
            b"POST /v1/analyze HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        sent = 0
        answer = b""
        read = asyncio.ensure_future(reader.read(4096))
        try:
            while not read.done() and time.perf_counter() < stop and sent < (64 << 20):
                writer.write(chunk)
                await writer.drain()
                sent += CHUNK
            if not read.done() and time.perf_counter() >= stop:
                abuse.chunked_at_end += 1
                return
            answer = await asyncio.wait_for(read, 10)
        except (OSError, TimeoutError):
            pass
        finally:
            read.cancel()
            writer.close()
        abuse.chunked_bytes.append(sent)
        if answer.startswith(b"HTTP/1.1 413"):
            abuse.chunked_413 += 1
        else:
            abuse.chunked_other += 1


async def load(base: str, make: Any, clients: int, seconds: float, slow: int, chunked: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    host, port = base.removeprefix("http://").split(":")
    abuse = Abuse()

    async def client(k: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        n = 0
        while time.perf_counter() < stop:
            method, path, body = make(k * 100_000 + n)
            began = time.perf_counter()
            try:
                response = await http.request(method, base + path, json=body)
                if response.status_code >= 400:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - began)
            n += 1

    hostile = [
        *(asyncio.ensure_future(slow_header_client(host, int(port), stop, abuse)) for _ in range(slow)),
        *(asyncio.ensure_future(chunked_client(host, int(port), stop, abuse)) for _ in range(chunked)),
    ]
    began = time.perf_counter()
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        await asyncio.gather(*(client(k, http) for k in range(clients)))
    elapsed = time.perf_counter() - began
    await asyncio.gather(*hostile)  # each ends at `stop` too
    ms = np.array(latencies) * 1000
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50": float(np.percentile(ms, 50)),
        "p99": float(np.percentile(ms, 99)),
        "errors": errors,
        "abuse": abuse,
    }


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants (Linux /proc)."""
    found = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        found += process_tree(int(child))
    return found


def peak_kib(pid: int) -> int:
    """The process's peak resident memory (VmHWM), KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data/imdb"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reviews", type=int, default=25_000)
    parser.add_argument("--slow", type=int, default=200, help="slow-header connections held throughout")
    parser.add_argument("--chunked", type=int, default=4, help="clients sending endless chunked bodies")
    args = parser.parse_args()
    with gzip.open(args.data / "test.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for _, line in zip(range(args.reviews), f, strict=False)]
    texts = [r["text"] for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'web.db'}"
        items = [Item(r["text"], r["id"], {"film": r["film"]}) for r in rows]
        began = time.perf_counter()
        ingest(Store(url), Pipeline(), items, "imdb-test", FieldMap(film_field="film"), jobs=2)
        print(f"ingested {len(items):,} reviews in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        store = Store(url)
        films = store.film_rows()
        film = max(films, key=lambda r: r.reviews)
        listed = sum(f.reviews >= LISTED_REVIEWS for f in films)
        home = f"GET / (home page, the {listed:,} of {len(films):,} films with {LISTED_REVIEWS}+ reviews)"
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "reelsense", "serve", "--db", url, "--port", str(port),
             "--workers", str(args.workers)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(base + "/v1/films", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            scenarios = {
                "POST /v1/analyze (an IMDB test review, full anatomy)": lambda i: (
                    "POST",
                    "/v1/analyze",
                    {"text": texts[i % len(texts)]},
                ),
                f"GET /films/{film.key} (film page, {film.reviews} reviews)": lambda i: (
                    "GET",
                    f"/films/{film.key}",
                    None,
                ),
                home: lambda i: ("GET", "/", None),
                "GET /v1/films?sort=share&min_reviews=5": lambda i: (
                    "GET",
                    "/v1/films?sort=share&min_reviews=5",
                    None,
                ),
            }
            results = {}
            for name, make in scenarios.items():
                print(f"{name} …", file=sys.stderr)
                results[name] = asyncio.run(
                    load(base, make, args.clients, args.seconds, args.slow, args.chunked)
                )
            peaks = sorted((peak_kib(pid) for pid in process_tree(server.pid)), reverse=True)
        finally:
            server.terminate()
            server.wait(timeout=20)
    lines = [
        f"Measured {date.today()} on {platform.machine()} with {os.cpu_count()} cores, `python bench/web.py "
        f"--clients {args.clients} --seconds {args.seconds:g} --workers {args.workers} --reviews "
        f"{args.reviews} --slow {args.slow} --chunked {args.chunked}` (server and clients on the same "
        "machine, 127.0.0.1; the hostile clients run throughout each endpoint's run).",
        "",
        "| endpoint | clients | requests | requests/s | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {args.clients} | {r['requests']:,} | {r['per_second']:,.0f} | {r['p50']:.0f} "
            f"| {r['p99']:.0f} | {r['errors']} |"
        )
    abuse = [r["abuse"] for r in results.values()]
    held = [s for a in abuse for s in a.slow_held]
    sent = [b for a in abuse for b in a.chunked_bytes]
    lines += [
        "",
        "| hostile clients (all runs) | opened | answered as meant | otherwise | cut by the run's end | |",
        "|---|---|---|---|---|---|",
        f"| slow headers ({args.slow} at a time, a line every 2 s, never done) "
        f"| {sum(a.slow_opened for a in abuse):,} | {sum(a.slow_closed_408 for a in abuse):,} × 408 "
        f"| {sum(a.slow_closed_other for a in abuse):,} | {sum(a.slow_open_at_end for a in abuse):,} "
        + (
            f"| held {statistics.median(held):.1f} s (median), {max(held):.1f} s at most |"
            if held
            else "| none closed yet |"
        ),
        f"| chunked bodies ({args.chunked} at a time, 1 MiB chunks, endless) "
        f"| {sum(a.chunked_sent for a in abuse):,} | {sum(a.chunked_413 for a in abuse):,} × 413 "
        f"| {sum(a.chunked_other for a in abuse):,} | {sum(a.chunked_at_end for a in abuse):,} "
        + (
            f"| {statistics.median(sent) / CHUNK:.0f} MiB sent before the answer (median) |"
            if sent
            else "| — |"
        ),
        "",
        "Server peak memory (the high-water mark, VmHWM, of each of its processes, largest first): "
        + ", ".join(f"{kib / 1024:,.0f} MiB" for kib in peaks)
        + f"; {sum(peaks) / 1024:,.0f} MiB in all.",
    ]
    out = "\n".join(lines)
    print(out)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "web.md").write_text(out + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
