"""The corpus end to end on IMDB test: ingest + analyse + store, then per-film aggregates against the labels.

    python bench/corpus.py --data ../shared/data/imdb [--jobs 2] [--db sqlite:///…]

Ingests test.jsonl.gz (24,998 reviews, grouped into films by their `film` field) into a fresh SQLite
database (or the one given) with the full pipeline, then: for films with at least 10 reviews, the
Pearson correlation between the predicted share of positive reviews and the share of positive labels,
and between mean predicted and mean true rating; the time to list every film (`reelsense films`);
a second ingest of the same file (all already stored); how many films the corpus names by the title
their reviews give (IMDB gives ids only); and the process's peak memory.
Writes bench/results/corpus.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

from reelsense import Pipeline
from reelsense.corpus.aggregate import film_listing
from reelsense.corpus.ingest import FieldMap, ingest
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
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
