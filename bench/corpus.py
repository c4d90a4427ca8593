"""The corpus end to end on IMDB test: ingest + analyse + store, then per-film aggregates against the labels.

    python bench/corpus.py --data ../shared/data/imdb [--jobs 2] [--db sqlite:///…]

Ingests test.jsonl.gz (24,998 reviews, grouped into films by their `film` field) into a fresh SQLite
database (or the one given) with the full pipeline, then: for films with at least 10 reviews, the
Pearson correlation between the predicted share of positive reviews and the share of positive labels,
and between mean predicted and mean true rating; the time to list every film (`reelsense films`);
a second ingest of the same file (all already stored); how many films the corpus names by the title
their reviews give (IMDB gives ids only); and the process's peak memory.
Writes bench/results/corpus.md.

    python bench/corpus.py --reviews 1000000 [--base 10000] [--db …] [--out corpus-scale.md]

measures the store itself at scale instead: it analyses `--base` IMDB train reviews once, then stores
copies of them (distinct record ids, so distinct reviews) into one growing database, 25 a film with
every 20th review going to one film that grows to 5% of the corpus, 5,000 critics, dates over 20
years and the reviewers' own ratings. At 25,000, 100,000, 250,000 and `--reviews` stored reviews it
times the writes, the database's size per review, listing every film (`reelsense films`), the
largest film's report (`reelsense film`) with the Python memory it takes at its peak (tracemalloc),
and full-text searches. With `PYTHONPATH` at another checkout's `src` it measures that release's
store (one without `Store.film_report` makes the report from `film_reviews`, as it did).
Writes bench/results/corpus-scale.md.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import platform
import resource
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

import reelsense
from reelsense import Pipeline, Review
from reelsense.corpus.aggregate import film_listing, film_report
from reelsense.corpus.ingest import FieldMap, ingest
from reelsense.corpus.records import NewReview, content_hash, review_identity
from reelsense.corpus.store import Store
from reelsense.inputs import read_source

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data/imdb"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--reviews", type=int, default=0, help="measure the store at this many reviews")
    parser.add_argument("--base", type=int, default=10_000, help="distinct reviews analysed for --reviews")
    parser.add_argument("--out", default="corpus-scale.md", help="the results file of --reviews")
    args = parser.parse_args()
    if args.reviews:
        scale(args)
        return
    path = args.data / "test.jsonl.gz"
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'corpus.db'}"
        began = time.perf_counter()
        store = Store(url)
        pipeline = Pipeline()
        fields = FieldMap(film_field="film", rating_field="rating")
        report = ingest(store, pipeline, read_source(str(path)), path.name, fields, jobs=args.jobs)
        ingest_seconds = time.perf_counter() - began
        listed = time.perf_counter()
        films = store.film_rows(min_reviews=1)
        film_listing(films)  # what `reelsense films` adds: share, interval, score, order
        list_seconds = time.perf_counter() - listed
        again = ingest(store, pipeline, read_source(str(path)), path.name, fields, jobs=args.jobs)
        size = Path(tmp, "corpus.db").stat().st_size if not args.db else 0
    with gzip.open(path, "rt", encoding="utf-8") as f:
        truth: dict[str, list[tuple[bool, int]]] = defaultdict(list)
        for row in map(json.loads, f):
            truth[row["film"]].append((row["label"] == "pos", row["rating"]))
    big = [f for f in films if f.reviews >= 10 and f.key in truth]
    predicted_share = np.array([f.positive / f.reviews for f in big])
    true_share = np.array([np.mean([p for p, _ in truth[f.key]]) for f in big])
    predicted_rating = np.array([f.mean_rating for f in big])
    true_rating = np.array([np.mean([r for _, r in truth[f.key]]) for f in big])
    share_r = float(np.corrcoef(predicted_share, true_share)[0, 1])
    rating_r = float(np.corrcoef(predicted_rating, true_rating)[0, 1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        f"Measured {date.today()} on {platform.machine()} with {os.cpu_count()} cores, "
        f"`python bench/corpus.py --jobs {args.jobs}`, {path.name} into "
        f"{'a fresh SQLite file' if not args.db else 'the given database'}.",
        "",
        "| step | figure |",
        "|---|---|",
        f"| ingest + analyse (full pipeline) + store, end to end "
        f"| {report.read:,} reviews in {ingest_seconds:.1f} s "
        f"({report.read / ingest_seconds:,.0f}/s); {report.stored:,} stored, {report.rejected} rejected |",
        f"| films | {len(films):,} ({len(big):,} with 10+ reviews) |",
        f"| films given only as ids that get a title from their reviews (`records.inferred_title`) "
        f"| {sum(f.title_share is not None for f in films):,} |",
        f"| list every film with its share and interval (`reelsense films`) | {list_seconds * 1000:.0f} ms |",
        f"| ingest the same file again | {again.already_stored:,} already stored, {again.stored} new, "
        f"{again.seconds:.1f} s |",
        f"| database size | {size / 1e6:.0f} MB |" if size else "| database size | (not a local file) |",
        f"| peak memory of the whole run | {peak:,.0f} MB |",
        f"| films with 10+ reviews: predicted share positive vs share of positive labels "
        f"| Pearson {share_r:.3f} |",
        f"| films with 10+ reviews: mean predicted rating vs mean reviewer rating | Pearson {rating_r:.3f} |",
    ]
    out = "\n".join(lines)
    print(out)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "corpus.md").write_text(out + "\n", encoding="utf-8")


CHECKPOINTS = (25_000, 100_000, 250_000)
SEARCHES = ("haunting score", "terrible acting", "masterpiece", "boring plot", "special effects")
LARGEST = "tt9000000"  # every 20th review: 5% of the corpus


def _copies(base: list[tuple[Review, float | None]], start: int, stop: int) -> list[NewReview]:
    """Stored reviews `start` … `stop - 1`: copies of the analysed base, each a review of its own."""
    batch = []
    for i in range(start, stop):
        review, rating = base[i % len(base)]
        film = LARGEST if i % 20 == 0 else f"tt{1 + i // 25:07d}"
        digest = content_hash(f"{i}:{review.text}")
        source = f"critic {i % 5000}"
        batch.append(
            NewReview(
                identity=review_identity(source, film, f"r{i}", digest),
                content_hash=digest,
                source=source,
                film_key=film,
                film_title=None,
                film_year=None,
                record_id=f"r{i}",
                source_rating=rating,
                date=f"{2004 + (i % 240) // 12}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                url=None,
                meta={},
                review=review,
            )
        )
    return batch


def _largest_report(store: Store) -> tuple[float, float, int]:
    """Seconds and peak Python memory (MB) of the largest film's report, and its review count."""
    row = store.film(LARGEST)
    assert row is not None

    def report() -> object:
        if hasattr(store, "film_report"):
            return store.film_report(row)
        return film_report(row.key, row.title, row.year, store.film_reviews(row.key), row.title_share)

    began = time.perf_counter()
    report()
    seconds = time.perf_counter() - began
    tracemalloc.start()
    report()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, row.reviews


def _database_bytes(url: str) -> int:
    path = Path(url.removeprefix("sqlite:///"))
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def scale(args: argparse.Namespace) -> None:
    with gzip.open(args.data / "train.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in itertools.islice(f, 0, 25_000, max(1, 25_000 // args.base))]
    rows = rows[: args.base]
    pipeline = Pipeline()
    analysed = pipeline.analyze_many([r["text"] for r in rows], jobs=args.jobs)
    base = [(r, float(row["rating"])) for r, row in zip(analysed, rows, strict=True) if isinstance(r, Review)]
    points = sorted({n for n in CHECKPOINTS if n < args.reviews} | {args.reviews})
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'corpus.db'}"
        store = Store(url)
        stored = 0
        writing = 0.0
        for point in points:
            while stored < point:
                batch = _copies(base, stored, min(point, stored + 2000))
                began = time.perf_counter()
                store.save(batch)
                writing += time.perf_counter() - began
                stored += len(batch)
            listed = time.perf_counter()
            films = film_listing(store.film_rows(min_reviews=1))
            list_seconds = time.perf_counter() - listed
            film_seconds, film_peak, largest = _largest_report(store)
            searched = []
            for query in SEARCHES:
                began = time.perf_counter()
                store.search(query, limit=20)
                searched.append(time.perf_counter() - began)
            size = _database_bytes(url) if url.startswith("sqlite:///") else 0
            lines.append(
                f"| {stored:,} | {stored / writing:,.0f} | {size / stored / 1e3:.1f} KB | {len(films):,} "
                f"| {list_seconds:.2f} s | {largest:,} | {film_seconds:.2f} s | {film_peak:,.1f} MB "
                f"| {statistics.median(searched) * 1000:.0f} ms |"
            )
            print(lines[-1], flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    release = getattr(reelsense, "__version__", "?")
    commit = _commit(Path(reelsense.__file__).resolve().parent)
    out = "\n".join(
        [
            f"Measured {date.today()} on {platform.machine()} with {os.cpu_count()} cores, "
            f"`python bench/corpus.py --reviews {args.reviews} --base {args.base}`, reelsense {release} "
            f"({commit}), {'a fresh SQLite file' if not args.db else 'the given database'}: "
            f"{len(base):,} IMDB train reviews analysed once and stored as copies.",
            "",
            "| reviews stored | stored/s (writes alone) | database per review | films | `films` "
            "| the largest film's reviews | its report (`film`) | its report's peak Python memory "
            "| a search (median of 5) |",
            "|---|---|---|---|---|---|---|---|---|",
            *lines,
            "",
            f"Peak memory of the whole run: {peak:,.0f} MB.",
        ]
    )
    print(out)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / args.out).write_text(out + "\n", encoding="utf-8")


def _commit(package: Path) -> str:
    """The commit of the checkout the package was imported from."""
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=package, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "no git checkout"
    return found.stdout.strip()


if __name__ == "__main__":
    main()
