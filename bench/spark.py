"""reelsense on Spark at scale: `local[1]` beside `local[2]` (and the plain in-process pipeline) on the
same synthesised corpus, in one run.

    python bench/spark.py --data ../shared/data/imdb [--reviews 100000] [--masters 'local[1]' 'local[2]']

The corpus is the texts of train and unsup (75,000 real reviews) repeated to `--reviews` records,
each with its own id and its review's film, written as one uncompressed JSONL file (so Spark cuts it
into parts). For each master it times `reelsense.spark` reading, analysing (the full default
pipeline) and writing Parquet, end to end (Spark's start-up timed apart), then `spark films` on what
was written; it records the high-water mark of resident memory (VmHWM) of every Python worker and of
the JVM while it runs, and the bytes of Parquet written per review. The in-process row is
`analyze_many` in this one process on the corpus's first `--local` records, the per-core rate the
Spark rows are compared with. Writes bench/results/spark.md.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent


def synthesise(data: Path, reviews: int, out: Path) -> int:
    """`reviews` records from train + unsup, cycled, ids distinct; returns the file's bytes."""

    def texts() -> Iterator[dict]:
        while True:
            for split in ("train", "unsup"):
                with gzip.open(data / f"{split}.jsonl.gz", "rt", encoding="utf-8") as f:
                    yield from map(json.loads, f)

    with open(out, "w", encoding="utf-8") as f:
        for n, row in enumerate(itertools.islice(texts(), reviews)):
            f.write(json.dumps({"id": f"syn-{n}", "film": row["film"], "text": row["text"]}) + "\n")
    return out.stat().st_size


class Memory:
    """The high-water marks of resident memory of the Spark processes (the JVM, Python workers), polled."""

    def __init__(self) -> None:
        self.peaks: dict[int, tuple[str, int]] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.poll, daemon=True)

    def poll(self) -> None:
        while not self.stop.wait(0.5):
            for pid in (p for p in os.listdir("/proc") if p.isdigit()):
                try:
                    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                kinds = [
                    k
                    for k, mark in (("jvm", "org.apache.spark"), ("worker", "pyspark.daemon"))
                    if mark in command
                ]
                if not kinds:
                    continue
                kind = kinds[0]
                peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
                self.peaks[int(pid)] = (kind, max(peak, self.peaks.get(int(pid), (kind, 0))[1]))

    def __enter__(self) -> Memory:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def largest(self, kind: str) -> float:
        """The largest peak of a process of this kind, MB."""
        return max((peak for k, peak in self.peaks.values() if k == kind), default=0) / 1024

    def count(self, kind: str) -> int:
        return sum(k == kind for k, _ in self.peaks.values())


def run_master(master: str, corpus: Path, out: Path, reviews: int) -> dict:
    from pyspark.sql import functions as F

    from reelsense import spark as rs
    from reelsense.corpus.ingest import FieldMap

    began = time.perf_counter()
    session = rs.session(master)
    started = time.perf_counter() - began
    with Memory() as memory:
        began = time.perf_counter()
        records = rs.read(session, [str(corpus)])
        rs.analyze(records, FieldMap(film_field="film")).write.parquet(str(out))
        seconds = time.perf_counter() - began
        written = session.read.parquet(str(out))
        rejected = written.where(F.col("rejected").isNotNull()).count()
        began = time.perf_counter()
        films = rs.films(written)
        films_seconds = time.perf_counter() - began
    size = sum(p.stat().st_size for p in out.rglob("*.parquet"))
    cores = session.sparkContext.defaultParallelism
    session.stop()
    return {
        "master": master,
        "cores": cores,
        "start": started,
        "seconds": seconds,
        "rate": reviews / seconds,
        "rejected": rejected,
        "films": len(films),
        "films_seconds": films_seconds,
        "bytes_per_review": size / reviews,
        "worker_mb": memory.largest("worker"),
        "workers": memory.count("worker"),
        "jvm_mb": memory.largest("jvm"),
    }


def bulk_load(out: Path, db: Path) -> dict:
    """`reelsense ingest OUT` into a fresh SQLite file: the Parquet stored as it is (no analysis)."""
    from reelsense.columnar import parquet_rows
    from reelsense.corpus.ingest import ingest_analysed
    from reelsense.corpus.store import Store

    began = time.perf_counter()
    report = ingest_analysed(Store(f"sqlite:///{db}"), parquet_rows(out))
    seconds = time.perf_counter() - began
    return {"stored": report.stored, "seconds": seconds, "bytes": db.stat().st_size}


def run_local(corpus: Path, n: int) -> float:
    """Reviews per second of `analyze_many` in this process (one core) on the first `n` records."""
    from reelsense import Pipeline
    from reelsense.inputs import read_source

    pipeline = Pipeline()
    items = list(itertools.islice(read_source(str(corpus)), n))
    began = time.perf_counter()
    for _ in pipeline.analyze_many(items):
        pass
    return n / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data/imdb"))
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--local", type=int, default=5_000, help="records the in-process row reads")
    parser.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    parser.add_argument("--one", nargs=2, metavar=("MASTER", "CORPUS"), help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core per task, as the executors are given
    if args.one:  # one master in a process of its own, so its JVM's memory is its own
        master, corpus_path = args.one
        out = Path(corpus_path).with_name("out")
        print(json.dumps(run_master(master, Path(corpus_path), out, args.reviews)))
        if not args.keep:
            shutil.rmtree(out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus_bytes = synthesise(args.data, args.reviews, corpus)
        local_rate = run_local(corpus, min(args.local, args.reviews))
        results = []
        for n, master in enumerate(args.masters):
            one = [sys.executable, __file__, "--one", master, str(corpus), "--reviews", str(args.reviews)]
            one += ["--keep"] if n == len(args.masters) - 1 else []
            done = subprocess.run(one, check=True, stdout=subprocess.PIPE, text=True)
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"{master}: {results[-1]['rate']:,.0f} reviews/s", flush=True)
        load = bulk_load(corpus.with_name("out"), Path(tmp) / "bulk.db")
    one = next((r for r in results if r["cores"] == 1), results[0])
    command = f"python bench/spark.py --reviews {args.reviews} --masters {' '.join(args.masters)}"
    lines = [
        "# reelsense on Spark",
        "",
        f"Measured {date.today()} on {platform.machine()} with {os.cpu_count()} cores, `{command}`: "
        f"{args.reviews:,} reviews synthesised from IMDB train + unsup (ids distinct, "
        f"{corpus_bytes / 1e6:,.0f} MB of JSONL), the full default pipeline, Parquet out.",
        "",
        "| run | cores | reviews/s | per core | parallel efficiency | end to end | Spark start-up | "
        "spark films | Parquet per review | peak memory per Python worker | peak memory of the JVM |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| `analyze_many` in one process (first {min(args.local, args.reviews):,}) | 1 | "
        f"{local_rate:,.0f} | {local_rate:,.0f} | — | — | — | — | — | — | — |",
    ]
    for r in results:
        efficiency = r["rate"] / (one["rate"] * r["cores"] / one["cores"])
        lines.append(
            f"| Spark `{r['master']}` | {r['cores']} | {r['rate']:,.0f} | {r['rate'] / r['cores']:,.0f} "
            f"({r['rate'] / r['cores'] / local_rate:.2f}× in-process) | {efficiency:.0%} | "
            f"{r['seconds']:,.0f} s | {r['start']:.1f} s | "
            f"{r['films_seconds']:.1f} s ({r['films']:,} films) | "
            f"{r['bytes_per_review']:,.0f} B | {r['worker_mb']:,.0f} MB ({r['workers']} workers) | "
            f"{r['jvm_mb']:,.0f} MB |"
        )
    rejected = {r["rejected"] for r in results}
    lines += [
        "",
        f"Bulk load of the last run's Parquet into a fresh SQLite file (`reelsense ingest DIR`, stored as "
        f"it is, in this one process): {load['stored']:,} reviews in {load['seconds']:,.0f} s "
        f"({load['stored'] / load['seconds']:,.0f}/s), {load['bytes'] / max(1, load['stored']):,.0f} B "
        "of database per review.",
        f"Records rejected: {', '.join(map(str, sorted(rejected)))} (every record is a row either way). "
        "Parallel efficiency is the rate over the one-core Spark rate times the cores.",
    ]
    text = "\n".join(lines) + "\n"
    (HERE / "results" / "spark.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
