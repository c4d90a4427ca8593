"""Reviews per second of pipeline variants over the same texts, as Markdown rows (shared by the benches)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from reelsense import Pipeline


def speed_rows(variants: Sequence[tuple[str, Pipeline]], texts: Sequence[str], jobs: int) -> list[str]:
    """One row per variant, each timed end to end from raw text after a short warm-up."""
    lines = ["| pipeline | reviews | jobs | reviews/s |", "|---|---|---|---|"]
    for label, pipeline in variants:
        list(pipeline.analyze_many(texts[:200], jobs=1))
        began = time.perf_counter()
        done = sum(1 for _ in pipeline.analyze_many(texts, jobs=jobs))
        lines.append(f"| {label} | {done:,} | {jobs} | {done / (time.perf_counter() - began):,.0f} |")
    return lines
