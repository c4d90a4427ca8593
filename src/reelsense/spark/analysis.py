"""Reading inputs into Spark and analysing them there: `session`, `read`, `analyze`, `PipelineSpec`.

`read` plans *parts* on the driver (an uncompressed JSONL file cut into line-aligned byte ranges,
a folder's .txt files in groups, any other input whole) and reads each part in an
executor with the very readers `reelsense analyze` uses, so records get the same ids, metadata and
rejections. Parts too few to keep every core busy are spread by range of (input, position), so the
output still comes in input order. `analyze` then runs `Pipeline.pipe` over batches of record rows
inside `mapInArrow`.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..batching import DEFAULT_BATCH_SIZE, batched
from ..columnar import (
    ANALYSIS_COLUMNS,
    RECORD_COLUMNS,
    analysed_rows,
    analysis_schema,
    record_row,
    record_schema,
)
from ..corpus.ingest import FieldMap
from ..errors import SourceError
from ..inputs import _folder, _jsonl, folder_files, input_format, read_source
from ..text.reading import DEFAULT_MAX_CHARS

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

    from ..pipeline import Pipeline

__all__ = ["PipelineSpec", "session", "read", "analyze", "ddl", "SPLIT_BYTES"]

SPLIT_BYTES = 32 << 20  # an uncompressed JSONL file is read in parts of at most about this size
SMALLEST_PART = 1 << 20  # and, cut to keep every core busy, of at least this size
ROWS_PER_BATCH = 1024  # record rows per Arrow batch a reading task hands on
POSITION_BITS = 32  # a record's position: its part's number above these bits, its place in it below


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    """What makes the pipeline each executor builds (`Pipeline`'s arguments, as paths): small enough
    to travel with every task, and the key its models are cached under in each worker process."""

    model: str | None = None
    opinion_model: str | None = None
    sentence_model: str | None = None
    encoder: str | None = None
    encoder_head: str | None = None
    kb: str | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    explain: bool = True
    anatomy: bool = True
    people: bool = True

    def pipeline(self) -> Pipeline:
        """The pipeline, built once per process for each spec."""
        built = _PIPELINES.get(self)
        if built is None:
            from ..pipeline import Pipeline

            encoder = None
            if self.encoder is not None:
                from ..anatomy.encoder import Encoder

                encoder = Encoder(self.encoder, self.encoder_head)
            built = _PIPELINES[self] = Pipeline(
                self.model,
                opinion_model=self.opinion_model,
                sentence_model=self.sentence_model,
                encoder=encoder,
                kb=self.kb,
                max_chars=self.max_chars,
                explain=self.explain,
                anatomy=self.anatomy,
                people=self.people,
            )
        return built


_PIPELINES: dict[PipelineSpec, Pipeline] = {}


def session(
    master: str = "local[2]", conf: Mapping[str, str] | None = None, app_name: str = "reelsense"
) -> SparkSession:
    """A Spark session on `master` ("local[N]", "spark://host:7077", "yarn"…) with `conf` set, whose
    Python workers run this interpreter (so they import this reelsense and its models)."""
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise SourceError(
            "Spark needs Java 17 or later, and there is no `java` here: install one "
            "(apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
        )
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # one machine: no address to guess
    quiet = f"-Dlog4j.configurationFile={Path(__file__).with_name('log4j2.properties').as_uri()}"
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.extraJavaOptions", quiet)
        .config("spark.executor.extraJavaOptions", quiet)
        .config("spark.ui.showConsoleProgress", "false")  # the CLI draws its own bar
        .config("spark.python.worker.reuse", "true")  # models load once per worker, not per task
        # a film's totals are small: a few shuffle partitions per core, not Spark's 200
        .config("spark.sql.shuffle.partitions", str(4 * _cores(master)))
    )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _cores(master: str) -> int:
    """The cores a local master names ("local[2]", "local[*]"); 50 for a cluster's."""
    if not master.startswith("local"):
        return 50
    inside = master.partition("[")[2].partition("]")[0].partition(",")[0]
    return (os.cpu_count() or 1) if inside in ("", "*") else max(1, int(inside))


def ddl(columns: Sequence[tuple[str, str]]) -> str:
    """The columns (`reelsense.columnar`) as a Spark DDL schema."""
    words = {"int32": "int", "int64": "bigint", "bool": "boolean", "list<": "array<"}

    def spark_type(kind: str) -> str:
        for arrow, spark in words.items():
            kind = kind.replace(arrow, spark)
        return kind

    return ", ".join(f"`{name}` {spark_type(kind)}" for name, kind in columns)


def read(
    spark: SparkSession,
    sources: Sequence[str],
    *,
    format: str = "auto",
    text_field: str = "text",
    id_field: str = "id",
) -> DataFrame:
    """The records of the sources (paths every executor can read), one record row each
    (`columnar.RECORD_COLUMNS`), in input order. An input that cannot be read at all raises
    SourceError here, on the driver, before any task runs."""
    wanted = 2 * spark.sparkContext.defaultParallelism
    parts = plan(sources, format=format, text_field=text_field, id_field=id_field, parts=wanted)
    spread = spark.sparkContext.parallelize([(json.dumps(p),) for p in parts], len(parts))
    frame = spark.createDataFrame(spread, "part string")
    records = frame.mapInArrow(partial(_read_parts, text_field, id_field), ddl(RECORD_COLUMNS))
    if len(parts) < wanted:  # a gzip file, a CSV: one task reads it; the analysis is spread
        records = records.repartitionByRange(wanted, "input", "position").sortWithinPartitions(
            "input", "position"
        )
    return records


def plan(
    sources: Sequence[str], *, format: str = "auto", text_field: str = "text", id_field: str = "id",
    parts: int = 4,
) -> list[dict[str, Any]]:  # fmt: skip
    """The parts the sources are read in, in order: an uncompressed JSONL file in `parts` parts (of
    `SMALLEST_PART` to `SPLIT_BYTES` bytes), a folder's files in `parts` groups, any other input
    whole. Each input's first record is read here, so one that cannot be read fails now."""
    planned: list[dict[str, Any]] = []
    for index, source in enumerate(sources):
        if source == "-":
            raise SourceError("Spark reads files: save standard input to a file and name it")
        path = Path(source)
        if not path.exists():
            raise SourceError(f"{source}: no such file or folder")
        fmt = input_format(path) if format == "auto" else format
        next(iter(read_source(source, format=fmt, text_field=text_field, id_field=id_field)), None)
        whole = {"input": index, "source": source, "name": path.name, "format": fmt}
        size = path.stat().st_size if path.is_file() else 0
        cut = min(SPLIT_BYTES, max(SMALLEST_PART, math.ceil(size / parts)))
        if fmt == "jsonl" and path.suffix != ".gz" and size > cut:
            ranges = _line_ranges(path, cut)
            planned += [whole | {"start": a, "end": b, "line": line} for a, b, line in ranges]
        elif fmt == "folder":
            files = [str(f.relative_to(path)) for f in folder_files(path)]
            size = max(1, math.ceil(len(files) / parts))
            planned += [whole | {"files": files[i : i + size]} for i in range(0, len(files), size)]
        else:
            planned.append(whole)
    for number, part in enumerate(planned):
        part["part"] = number
    return planned


def _line_ranges(path: Path, cut: int) -> list[tuple[int, int, int]]:
    """(start, end, number of the first line) of the parts of a JSONL file: about `cut` bytes
    each, cut just after a newline. A UTF-16 file (told by its byte-order mark) stays whole."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        if f.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            return [(0, size, 1)]
        ranges, start, line = [], 0, 1
        while start < size:
            f.seek(min(size, start + cut))
            f.readline()  # on to the end of the line the cut falls in
            end = min(size, f.tell())
            f.seek(start)
            newlines = sum(block.count(b"\n") for block in _blocks(f, end - start))
            ranges.append((start, end, line))
            start, line = end, line + newlines
    return ranges


def _blocks(f: io.BufferedReader | Any, length: int, block: int = 1 << 22) -> Iterator[bytes]:
    while length > 0:
        data = f.read(min(block, length))
        if not data:
            return
        length -= len(data)
        yield data


def _read_parts(
    text_field: str, id_field: str, batches: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """A reading task: the record rows of each part it is given."""
    import pyarrow as pa

    schema = record_schema()
    for batch in batches:
        for planned in batch.column("part").to_pylist():
            part = json.loads(planned)
            rows = (
                record_row(part["input"], (part["part"] << POSITION_BITS) | place, part["name"], record)
                for place, record in enumerate(_records_of(part, text_field, id_field))
            )
            for chunk in batched(rows, ROWS_PER_BATCH):
                yield pa.RecordBatch.from_pylist(chunk, schema=schema)


def _records_of(part: Mapping[str, Any], text_field: str, id_field: str) -> Iterator[Any]:
    path = Path(part["source"])
    if "start" in part:
        with open(path, "rb") as f:
            f.seek(part["start"])
            data = f.read(part["end"] - part["start"])
        yield from _jsonl(io.BytesIO(data), str(path), text_field, id_field, first_line=part["line"])
    elif "files" in part:
        yield from _folder(path, [path / name for name in part["files"]])
    else:
        yield from read_source(
            part["source"], format=part["format"], text_field=text_field, id_field=id_field
        )


def analyze(
    frame: DataFrame,
    fields: FieldMap | None = None,
    *,
    spec: PipelineSpec = PipelineSpec(),
    text_column: str = "text",
    id_column: str = "id",
    source: str = "spark",
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> DataFrame:
    """An analysis row (`columnar.ANALYSIS_COLUMNS`) for every row of `frame`: the record rows
    `read` gives, or any DataFrame with a `text_column` (and, where it has one, an `id_column`;
    its other columns become the metadata, `source` the name of the input). Rejected records
    are rows with their reason."""
    if not {name for name, _ in RECORD_COLUMNS} <= set(frame.columns):
        frame = _as_records(frame, text_column, id_column, source)
    task = partial(_analyse_batches, spec, fields or FieldMap(), batch_size)
    return frame.mapInArrow(task, ddl(ANALYSIS_COLUMNS))


def _as_records(frame: DataFrame, text_column: str, id_column: str, source: str) -> DataFrame:
    """Any DataFrame's rows as record rows, in the order Spark holds them."""
    from pyspark.sql import functions as F

    if text_column not in frame.columns:
        raise SourceError(f"no {text_column!r} column (columns: {', '.join(frame.columns)})")
    position = F.monotonically_increasing_id()
    given = F.col(id_column).cast("string") if id_column in frame.columns else F.lit(None).cast("string")
    own = given.isNotNull() & (given != "")
    others = [c for c in frame.columns if c not in (text_column, id_column)]
    text = F.col(text_column)
    is_bytes = frame.schema[text_column].dataType.typeName() == "binary"
    numbered = frame.withColumn("__position", position)
    return numbered.select(
        F.lit(0).cast("int").alias("input"),
        F.col("__position").alias("position"),
        F.lit(source).alias("source"),
        F.when(own, given).otherwise(F.concat(F.lit(f"{source}:"), F.col("__position"))).alias("id"),
        own.alias("own_id"),
        (text if is_bytes else F.encode(text.cast("string"), "UTF-8")).alias("text"),
        F.lit(is_bytes).alias("text_is_bytes"),
        (F.to_json(F.struct(*others)) if others else F.lit("{}")).alias("meta"),
        F.when(text.isNull(), F.lit(f"no text: the {text_column!r} column is empty")).alias("rejected"),
    )


def _analyse_batches(
    spec: PipelineSpec, fields: FieldMap, batch_size: int, batches: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """An analysing task: the analysis rows of the record rows it is given, a batch at a time."""
    import pyarrow as pa

    pipeline = spec.pipeline()
    schema = analysis_schema()
    for batch in batches:
        for chunk in batched(batch.to_pylist(), batch_size):
            yield pa.RecordBatch.from_pylist(analysed_rows(pipeline, chunk, fields), schema=schema)
