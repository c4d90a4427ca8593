"""The full default pipeline beside VADER's bare score, in one process on the same reviews, and what
each stage costs.

    python bench/speed.py [--reviews 3000] [--runs 3]

Times, best of `--runs`, in this one process (no worker pool, so the ratio is per core): VADER's
`polarity_scores` on each review, TextBlob's polarity, and `Pipeline().analyze_many(texts, jobs=1)`
(reading, verdict with explanations, anatomy with the sentence model, coherence, people); then the
same pipeline's stages one by one over the same batches, so each model's cost is seen. Writes
`bench/results/speed.md`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from reelsense import Pipeline
from reelsense.batching import DEFAULT_BATCH_SIZE, batched
from reelsense.review import Review
from reelsense.text.reading import read

ROOT = Path(__file__).resolve().parent.parent


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "imdb")
    parser.add_argument("--reviews", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = args.data / "test.jsonl.gz"
    if not source.exists():
        print(f"{source} is absent (it lives in ../shared beside the checkout)", file=sys.stderr)
        return 2
    with gzip.open(source, "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(args.reviews), f, strict=False)]

    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    pipeline = Pipeline()
    list(pipeline.analyze_many(texts[:100], jobs=1))  # warm up
    seconds = {
        "VADER polarity_scores": best_of(args.runs, lambda: [vader.polarity_scores(t) for t in texts]),
        "TextBlob polarity": best_of(args.runs, lambda: [TextBlob(t).sentiment.polarity for t in texts]),
        "reelsense, full default pipeline": best_of(
            args.runs, lambda: list(pipeline.analyze_many(texts, jobs=1))
        ),
    }
    stage_time = dict.fromkeys(["reading", *(s.name for s in pipeline.stages)], 0.0)
    for _ in range(1):
        for chunk in batched(texts, DEFAULT_BATCH_SIZE):
            began = time.perf_counter()
            reviews: list[Review] = [read(Review(text=t)) for t in chunk]
            stage_time["reading"] += time.perf_counter() - began
            for stage in pipeline.stages:
                began = time.perf_counter()
                reviews = stage.pipe(reviews)
                stage_time[stage.name] += time.perf_counter() - began
    vader_rate = len(texts) / seconds["VADER polarity_scores"]
    out = [
        f"# Speed, one process, {date.today().isoformat()}, {platform.machine()} with {os.cpu_count()} cores "
        f"(Python {platform.python_version()})",
        "",
        f"`python bench/speed.py --reviews {args.reviews} --runs {args.runs}`: the first {len(texts):,} IMDB "
        f"test reviews, best of {args.runs}, model {pipeline.name}.",
        "",
        "| system | reviews/s | against VADER |",
        "|---|---|---|",
    ]
    for name, s in seconds.items():
        rate = len(texts) / s
        out.append(f"| {name} | {rate:,.0f} | ×{rate / vader_rate:.2f} |")
    total = sum(stage_time.values())
    out += [
        "",
        "What each stage of the pipeline costs (one pass, batches of "
        f"{DEFAULT_BATCH_SIZE}, milliseconds per review):",
        "",
        "| stage | model | ms per review | share |",
        "|---|---|---|---|",
    ]
    models = {s.name: (s.model.name if s.model is not None else "—") for s in pipeline.stages}
    for name, s in stage_time.items():
        out.append(f"| {name} | {models.get(name, '—')} | {1000 * s / len(texts):.2f} | {s / total:.0%} |")
    text = "\n".join(out) + "\n"
    print(text)
    (ROOT / "bench" / "results" / "speed.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
