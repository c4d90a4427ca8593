"""Records and analyses as table rows: what `reelsense spark analyze` writes and `ingest` reads back.

Two row shapes, each with a fixed Arrow schema:

- a *record row* (`RECORD_SCHEMA`) is one input record before analysis: where it sits in the input
  (`input`, `position`), its id, its text as bytes, its metadata as JSON, or the reason a reader
  rejected it;
- an *analysis row* (`ANALYSIS_SCHEMA`) is one record after it: everything the store keeps of it
  (identity, critic, film, stated rating, date, url, metadata, text), the headline figures as
  columns (verdict, probability, rating, grade, confidence, flags, model), the aspects and mentions
  as nested columns, and the whole analysis as JSON (`analysis`, without the text and metadata,
  which are columns of their own), so `review_of(row)` rebuilds the very `Review` the pipeline
  made. A rejected record is a row too, with its reason in `rejected` and no findings.

Only pyarrow is needed, and only by the schema functions; the row functions are plain Python.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .corpus.aggregate import consensus_sentences
from .corpus.ingest import FieldMap, keyed, new_review, source_of
from .corpus.records import NewReview
from .errors import SourceError
from .review import Item, Rejected, Review

if TYPE_CHECKING:
    from .pipeline import Pipeline

__all__ = [
    "record_row", "item_of", "analysed_rows", "analysis_row", "rejected_row", "review_of", "new_review_of",
    "record_schema", "analysis_schema", "is_analysis", "ANALYSIS_COLUMNS", "RECORD_COLUMNS",
    "parquet_files", "is_parquet", "parquet_columns", "parquet_rows", "parquet_row_count",
]  # fmt: skip

# (name, Arrow type as a string pyarrow and Spark both read) of each column, in order.
RECORD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("input", "int32"),  # which of the inputs it came from, in the order they were given
    ("position", "int64"),  # its place in that input: orders its records (no line number)
    ("source", "string"),  # the input's name: a review's source where it names no critic
    ("id", "string"),
    ("own_id", "bool"),  # the id is the record's own, not made from where it sits
    ("text", "binary"),  # a str as UTF-8 (lone surrogates kept), bytes as read
    ("text_is_bytes", "bool"),  # bytes to be decoded (a file's contents), not a str
    ("meta", "string"),  # JSON
    ("rejected", "string"),  # the reader's reason, when it could not make a record of it
)

_ASPECT = "struct<name: string, polarity: string, score: double, mentions: int32>"
_MENTION = (
    "struct<kind: string, name: string, role: string, character: string, link: string, "
    "start: int32, end: int32>"
)
_SENTENCE = "struct<text: string, score: double, aspects: list<string>>"

ANALYSIS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("input", "int32"),
    ("position", "int64"),
    ("id", "string"),
    ("rejected", "string"),  # the reason, for a record that could not be analysed; else null
    ("source", "string"),  # the critic the input names, else the input's name
    ("identity", "string"),  # `records.review_identity`: what makes the review itself in a store
    ("content_hash", "string"),
    ("film", "string"),  # the film's key: as the input gives it, else as the analysis found it
    ("film_title", "string"),
    ("film_year", "int32"),
    ("source_rating", "double"),  # the source's own rating on 0–10 (`--rating-field`)
    ("date", "string"),
    ("url", "string"),
    ("meta", "string"),  # JSON
    ("text", "string"),
    ("verdict", "string"),
    ("probability", "double"),
    ("rating", "double"),
    ("predicted_rating", "double"),
    ("confidence", "double"),
    ("grade", "double"),
    ("pull_quote", "string"),
    ("reviewed_film", "string"),  # the film the analysis found the review to be about
    ("reviewed_film_year", "int32"),
    ("reviewed_film_confidence", "double"),
    ("flags", "list<string>"),
    ("model", "string"),
    ("aspects", f"list<{_ASPECT}>"),
    ("mentions", f"list<{_MENTION}>"),
    # The summary's opinion sentences with their reading and the aspects each evidences: what a
    # film's consensus is chosen from (`corpus.aggregate.choose_consensus`).
    ("consensus_sentences", f"list<{_SENTENCE}>"),
    ("analysis", "string"),  # Review.to_stored() as JSON, without meta
)


def _arrow_type(spec: str) -> Any:
    import pyarrow as pa

    spec = spec.strip()
    if spec.startswith("list<"):
        return pa.list_(_arrow_type(spec[5:-1]))
    if spec.startswith("struct<"):
        fields, depth, current = [], 0, ""
        for char in spec[7:-1] + ",":
            if char == "," and depth == 0:
                name, _, kind = current.partition(":")
                fields.append(pa.field(name.strip(), _arrow_type(kind)))
                current = ""
                continue
            depth += char == "<"
            depth -= char == ">"
            current += char
        return pa.struct(fields)
    plain = {"bool": pa.bool_, "binary": pa.binary, "double": pa.float64, "int32": pa.int32,
             "int64": pa.int64, "string": pa.string}  # fmt: skip
    return plain[spec]()


def record_schema() -> Any:
    """The Arrow schema of record rows."""
    import pyarrow as pa

    return pa.schema([(name, _arrow_type(kind)) for name, kind in RECORD_COLUMNS])


def analysis_schema() -> Any:
    """The Arrow schema of analysis rows."""
    import pyarrow as pa

    return pa.schema([(name, _arrow_type(kind)) for name, kind in ANALYSIS_COLUMNS])


def is_analysis(column_names: list[str]) -> bool:
    """Whether a table with these columns holds analysis rows (rather than records to analyse)."""
    return {"analysis", "identity", "rejected", "text"} <= set(column_names)


def record_row(input: int, position: int, source: str, record: Item | Rejected) -> dict[str, Any]:
    """A record as a record row. Its id and metadata must already be fit for JSON (a reader's
    records are checked with `text.reading.check_meta` first, and rejected when they are not)."""
    if isinstance(record, Rejected):
        return {
            "input": input, "position": position, "source": source, "id": record.id, "own_id": False,
            "text": None,
            "text_is_bytes": False, "meta": json.dumps(dict(record.meta)), "rejected": record.reason,
        }  # fmt: skip
    text = record.text
    raw = bytes(text) if isinstance(text, bytes | bytearray) else str(text).encode("utf-8", "surrogatepass")
    return {
        "input": input,
        "position": position,
        "source": source,
        "id": record.id,
        "own_id": record.own_id,
        "text": raw,
        "text_is_bytes": isinstance(text, bytes | bytearray),
        "meta": json.dumps(dict(record.meta)),
        "rejected": None,
    }


def item_of(row: Mapping[str, Any]) -> Item | Rejected:
    """The record a record row holds, as the reader made it."""
    meta = json.loads(row["meta"]) if row.get("meta") else {}
    if row.get("rejected") is not None:
        return Rejected(row["id"], row["rejected"], meta)
    raw = row["text"]
    text: object = raw if row["text_is_bytes"] else raw.decode("utf-8", "surrogatepass")
    return Item(text, row["id"], meta, own_id=bool(row["own_id"]))


def analysed_rows(
    pipeline: Pipeline, rows: list[Mapping[str, Any]], fields: FieldMap
) -> list[dict[str, Any]]:
    """Analyse a batch of record rows: an analysis row for each, with what `corpus.ingest.ingest`
    would store of it (its source, identity, film, stated rating…), or its reason where it was
    rejected, under the record id ingest would keep the reject under."""
    items = [item_of(row) for row in rows]
    analysed = []
    for row, item, result in zip(rows, items, pipeline.pipe(items), strict=True):
        source = source_of(item, row["source"], fields)
        if isinstance(result, Rejected):
            record_id = (
                result.id or item.id or (keyed(item, fields)[0][:16] if isinstance(item, Item) else "")
            )
            analysed.append(
                rejected_row(
                    row["input"], row["position"], str(record_id), source, result.reason, result.meta
                )
            )
            continue
        assert isinstance(item, Item)
        digest, identity = keyed(item, fields)
        new = new_review(item, result, source, digest, identity, fields)
        analysed.append(analysis_row(row["input"], row["position"], new))
    return analysed


def analysis_row(input: int, position: int, new: NewReview) -> dict[str, Any]:
    """An analysed record (as the store would keep it, `corpus.ingest.new_review`) as an analysis row."""
    review = new.review
    analysis = review.to_stored()
    del analysis["meta"]
    film = review.film
    return {
        "input": input,
        "position": position,
        "id": new.record_id,
        "rejected": None,
        "source": new.source,
        "identity": new.identity,
        "content_hash": new.content_hash,
        "film": new.film_key,
        "film_title": new.film_title,
        "film_year": new.film_year,
        "source_rating": new.source_rating,
        "date": new.date,
        "url": new.url,
        "meta": json.dumps(new.meta, ensure_ascii=False),
        "text": review.text,
        "verdict": review.verdict,
        "probability": review.probability,
        "rating": review.rating,
        "predicted_rating": review.predicted_rating,
        "confidence": review.confidence,
        "grade": review.grade.value if review.grade else None,
        "pull_quote": review.pull_quote.text if review.pull_quote else None,
        "reviewed_film": film.title[:300] if film else None,  # as the store keeps it
        "reviewed_film_year": film.year if film else None,
        "reviewed_film_confidence": film.confidence if film else None,
        "flags": list(review.flags),
        "model": review.model,
        "aspects": [
            {"name": a.name, "polarity": a.polarity, "score": a.score, "mentions": a.mentions}
            for a in review.aspects
        ],
        "mentions": [
            {
                "kind": m.kind,
                "name": m.name,
                "role": m.role,
                "character": m.character,
                "link": m.link,
                "start": m.start,
                "end": m.end,
            }
            for m in review.mentions
        ],  # fmt: skip
        "consensus_sentences": [
            {"text": text, "score": score, "aspects": judged}
            for text, score, judged in consensus_sentences(review)
        ],
        "analysis": json.dumps(analysis, ensure_ascii=False, separators=(",", ":")),
    }


def rejected_row(input: int, position: int, record_id: str, source: str, reason: str,
                 meta: Mapping[str, Any]) -> dict[str, Any]:  # fmt: skip
    """A record that could not be analysed, as an analysis row with its reason and no findings."""
    row: dict[str, Any] = dict.fromkeys(name for name, _ in ANALYSIS_COLUMNS)
    return row | {
        "input": input, "position": position, "id": record_id, "rejected": reason, "source": source,
        "meta": json.dumps(dict(meta), ensure_ascii=False), "flags": [], "aspects": [], "mentions": [],
        "consensus_sentences": [],
    }  # fmt: skip


def review_of(row: Mapping[str, Any]) -> Review:
    """The `Review` an analysis row holds, equal to the one the pipeline made."""
    meta = json.loads(row["meta"]) if row.get("meta") else {}
    return Review.from_stored({**json.loads(row["analysis"]), "meta": meta}, row["text"])


def new_review_of(row: Mapping[str, Any]) -> NewReview:
    """What the store keeps of an analysis row (the inverse of `analysis_row`)."""
    review = review_of(row)
    return NewReview(
        identity=row["identity"],
        content_hash=row["content_hash"],
        source=row["source"],
        film_key=row["film"],
        film_title=row["film_title"],
        film_year=row["film_year"],
        record_id=row["id"],
        source_rating=row["source_rating"],
        date=row["date"],
        url=row["url"],
        meta=dict(review.meta),
        review=review,
    )


def parquet_files(path: Path) -> list[Path]:
    """The Parquet files a path names: the file itself, or a folder's `*.parquet` (a Spark output
    folder's part files), sorted by name, which is the order Spark wrote them in."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*.parquet") if p.is_file() and not p.name.startswith((".", "_")))
    return [path]


def is_parquet(path: Path) -> bool:
    """Whether a path is a Parquet file (by its name) or a folder holding Parquet files."""
    if path.is_dir():
        return any(p.suffix == ".parquet" for p in path.rglob("*.parquet"))
    return path.suffix.lower() == ".parquet"


def parquet_columns(path: Path) -> list[str]:
    """The columns of the Parquet files a path names (the first file's)."""
    files = parquet_files(path)
    if not files:
        raise SourceError(f"{path}: no Parquet files in this folder")
    return list(_parquet().ParquetFile(files[0]).schema_arrow.names)


def parquet_row_count(path: Path) -> int:
    """How many rows the Parquet files a path names hold (from their footers: nothing is read)."""
    return sum(_parquet().ParquetFile(file).metadata.num_rows for file in parquet_files(path))


def parquet_rows(path: Path, batch_size: int = 1024) -> Iterator[list[dict[str, Any]]]:
    """The rows of the Parquet files a path names, as dicts, a batch at a time (memory stays flat)."""
    pq = _parquet()
    for file in parquet_files(path):
        try:
            parquet = pq.ParquetFile(file)
        except Exception as exc:  # pyarrow's errors for a file that is no Parquet vary by version
            raise SourceError(f"cannot read {file} as Parquet: {exc}") from None
        for batch in parquet.iter_batches(batch_size=batch_size):
            yield batch.to_pylist()


def _parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise SourceError(
            "Parquet needs pyarrow: pip install 'reelsense[frames]' (make test has it)"
        ) from None
    return pq
