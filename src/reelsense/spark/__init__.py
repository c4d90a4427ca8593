"""reelsense on Spark: the same pipeline over every core of a cluster, for corpora one machine is too
slow for. What it writes is what `analyze_many` and `ingest` make, row for row (`reelsense.columnar`).

    from reelsense import spark as rs
    session = rs.session("local[2]")
    records = rs.read(session, ["reviews.jsonl"])   # a record row per input record
    analysed = rs.analyze(records)                  # an analysis row per record, rejects included
    analysed.write.parquet("analysed")
    reports = rs.films(session.read.parquet("analysed"))  # a FilmReport per film, as the store's

`analyze` takes any DataFrame with a text column as well (its other columns become the metadata).
The pipeline runs inside `mapInArrow`, its models loaded once per Python worker (Spark reuses
them), from the package or the paths a `PipelineSpec` names, which every executor must see.
pyspark is the optional extra `reelsense[spark]`; Spark needs Java 17 or later.
"""

from __future__ import annotations

try:
    import pyspark  # noqa: F401
except ImportError as exc:  # the CLI turns this into its usage error
    raise ImportError("reelsense.spark needs pyspark: pip install 'reelsense[spark]'") from exc

from .analysis import PipelineSpec, analyze, read, session
from .films import films

__all__ = ["PipelineSpec", "analyze", "films", "read", "session"]
