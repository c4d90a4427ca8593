"""Reviews per second of one process on the first N IMDB test reviews, verdict only and full
pipeline, best of R: for comparing two checkouts back to back on a noisy machine.

    python bench/throughput.py                          # this checkout
    PYTHONPATH=/path/to/old/src python bench/throughput.py   # another checkout's package
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

import reelsense
from reelsense import Pipeline

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "imdb")
    parser.add_argument("--reviews", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with gzip.open(args.data / "test.jsonl.gz", "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(args.reviews), f, strict=False)]
    print(f"{reelsense.__file__}: {len(texts):,} IMDB test reviews, one process, best of {args.runs}")
    for name, options in (("verdict only", dict(explain=False, anatomy=False, people=False)), ("full", {})):
        pipeline = Pipeline(**options)  # type: ignore[arg-type]
        list(pipeline.analyze_many(texts[:200]))  # warm up
        best = float("inf")
        for _ in range(args.runs):
            start = time.perf_counter()
            list(pipeline.analyze_many(texts))
            best = min(best, time.perf_counter() - start)
        print(f"{name}: {len(texts) / best:,.0f} reviews/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
