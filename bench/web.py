"""Load on the web service: 16 concurrent clients against `reelsense serve --workers 2` on 127.0.0.1 only.

    python bench/web.py --data ../shared/data/imdb [--clients 16] [--seconds 20] [--workers 2]

Ingests 600 IMDB test reviews into a fresh SQLite database, starts the server with two workers (one
per core), and for each of `POST /v1/analyze` (a real IMDB test review each time, full anatomy) and
a film page (`GET /films/<key>`) keeps `--clients` requests in flight for `--seconds`, printing
requests/s, p50 and p99 latency and errors. Writes bench/results/web.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
import numpy as np

from reelsense import Pipeline
from reelsense.corpus.ingest import FieldMap, ingest
from reelsense.corpus.store import Store
from reelsense.review import Item

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def load(base: str, make: object, clients: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def client(k: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        n = 0
        while time.perf_counter() < stop:
            method, path, body = make(k * 100_000 + n)  # type: ignore[operator]
            began = time.perf_counter()
            try:
                response = await http.request(method, base + path, json=body)
                if response.status_code >= 400:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - began)
            n += 1

    began = time.perf_counter()
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        await asyncio.gather(*(client(k, http) for k in range(clients)))
    elapsed = time.perf_counter() - began
    ms = np.array(latencies) * 1000
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50": float(np.percentile(ms, 50)),
        "p99": float(np.percentile(ms, 99)),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data/imdb"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with gzip.open(args.data / "test.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for _, line in zip(range(3000), f, strict=False)]
    texts = [r["text"] for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'web.db'}"
        items = [Item(r["text"], r["id"], {"film": r["film"]}) for r in rows[:600]]
        ingest(Store(url), Pipeline(), items, "imdb-test", FieldMap(film_field="film"), jobs=2)
        film = max(Store(url).film_rows(), key=lambda r: r.reviews)
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
                f"GET /films/{film.key} (page, {film.reviews} reviews)": lambda i: (
                    "GET",
                    f"/films/{film.key}",
                    None,
                ),
            }
            results = {
                name: asyncio.run(load(base, make, args.clients, args.seconds))
                for name, make in scenarios.items()
            }
        finally:
            server.terminate()
            server.wait(timeout=20)
    lines = [
        f"Measured {date.today()} on {platform.machine()} with {os.cpu_count()} cores, `python bench/web.py "
        f"--clients {args.clients} --seconds {args.seconds:g} --workers {args.workers}` "
        "(server and clients on the same machine, 127.0.0.1).",
        "",
        "| endpoint | clients | requests | requests/s | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {args.clients} | {r['requests']:,} | {r['per_second']:,.0f} | {r['p50']:.0f} "
            f"| {r['p99']:.0f} | {r['errors']} |"
        )
    out = "\n".join(lines)
    print(out)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "web.md").write_text(out + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
