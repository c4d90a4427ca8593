"""Read review records from files: plain text, JSONL(.gz), CSV(.gz), Parquet, folders of .txt (aclImdb).

Readers yield an `Item` per record, or a `Rejected` for a record that cannot even be read (a line
that is not JSON, a CSV row without the text column), so the batch goes on and nothing is lost.
Files are read as bytes and decoded per record, so one bad byte rejects one record, not the file.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import SourceError
from .review import Item, Rejected

__all__ = ["read_source", "label_of", "folder_files", "input_format", "FORMATS"]

FORMATS = ("auto", "text", "jsonl", "csv", "parquet", "folder")
_ACLIMDB_NAME = re.compile(r"^(?P<n>\d+)_(?P<rating>\d+)\.txt$")
csv.field_size_limit(1 << 30)


class _Counted(io.RawIOBase):
    """A file that tells `on_bytes` how many of its bytes have been read so far (a progress bar's
    measure when the number of records is not known until the end)."""

    def __init__(self, raw: IO[bytes], on_bytes: Callable[[int], None]) -> None:
        self.raw = raw
        self.on_bytes = on_bytes
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        self.done += n or 0
        self.on_bytes(self.done)
        return int(n or 0)

    def close(self) -> None:
        self.raw.close()
        super().close()


@contextmanager
def _open_binary(path: Path, on_bytes: Callable[[int], None] | None = None) -> Iterator[IO[bytes]]:
    """The file's bytes (decompressed for .gz), counted for `on_bytes` as they are read from disk."""
    with open(path, "rb") as raw:
        counted: IO[bytes] = raw
        if on_bytes is not None:
            counted = io.BufferedReader(_Counted(raw, on_bytes))
        if path.suffix == ".gz":
            with gzip.GzipFile(fileobj=counted, mode="rb") as unpacked:
                yield unpacked  # type: ignore[misc]
        else:
            yield counted


def input_format(path: Path) -> str:
    """The format `read_source` reads a path in when told "auto"."""
    if path.is_dir():
        # a folder of Parquet part files (what Spark writes) is one table; any other, .txt files
        has_parquet = any(path.glob("*.parquet"))
        return "parquet" if has_parquet and not any(path.rglob("*.txt")) else "folder"
    if path.suffix.lower() == ".parquet":
        return "parquet"
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    last = suffixes[-1] if suffixes else ""
    if last in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if last in (".csv", ".tsv"):
        return "csv"
    return "text"


def read_source(
    source: str,
    *,
    format: str = "auto",
    text_field: str = "text",
    id_field: str = "id",
    stdin: IO[bytes] | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[Item | Rejected]:
    """Yield the records of one source: a path, or '-' for standard input. `on_bytes(n)`, where
    given, hears how many bytes of a JSONL or CSV file (compressed, as stored) have been read."""
    if source == "-":
        data = (stdin or sys.stdin.buffer).read()
        if format in ("jsonl", "csv"):
            yield from _records(io.BytesIO(data), format, "stdin", text_field, id_field)
        else:
            yield Item(data, "stdin", own_id=False)
        return
    path = Path(source)
    if not path.exists():
        raise SourceError(f"{source}: no such file or folder")
    fmt = input_format(path) if format == "auto" else format
    if fmt == "folder":
        if not path.is_dir():
            raise SourceError(f"{source}: not a folder")
        yield from _folder(path)
    elif fmt == "text":
        yield Item(path.read_bytes(), str(path), own_id=False)
    elif fmt == "parquet":
        yield from _parquet(path, text_field, id_field)
    else:
        with _open_binary(path, on_bytes) as f:
            yield from _records(f, fmt, str(path), text_field, id_field)


def _records(f: IO[bytes], fmt: str, name: str, text_field: str, id_field: str) -> Iterator[Item | Rejected]:
    if fmt == "jsonl":
        yield from _jsonl(f, name, text_field, id_field)
    elif fmt == "csv":
        yield from _csv(f, name, text_field, id_field)
    else:
        raise SourceError(f"{name}: unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _lines(f: IO[bytes], name: str) -> Iterator[bytes]:
    """The lines of a file as UTF-8 bytes (a UTF-16 file, told by its byte-order mark, re-encoded);
    a compressed file that ends early ends its lines with SourceError after the last whole one."""
    try:
        first = f.readline()
        if first.startswith((b"\xff\xfe", b"\xfe\xff")):
            whole = io.BytesIO(first + f.read())
            text = io.TextIOWrapper(whole, encoding="utf-16", errors="surrogateescape")
            for line in text:
                yield line.encode("utf-8", "surrogateescape")
            return
        yield first
        yield from f
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise _Truncated(f"{name}: {exc}") from None


class _Truncated(Exception):
    """A compressed input that ends early or is not what its name says (its message says which)."""


def _jsonl(
    f: IO[bytes], name: str, text_field: str, id_field: str, first_line: int = 1
) -> Iterator[Item | Rejected]:
    """The records of JSON lines; `first_line` is the number of the file's line `f` starts at (a
    part of a file read on its own, as Spark reads one)."""
    number = first_line - 1
    lines = _lines(f, name)
    while True:
        try:
            raw = next(lines)
        except StopIteration:
            return
        except _Truncated as exc:
            if number == first_line - 1:
                raise SourceError(f"cannot read {exc} (is it really gzip-compressed?)") from None
            # What was read stays read; the rest of the file is one rejected record, said so.
            yield Rejected(f"{name}:{number + 1}", f"the file ends early, after line {number} ({exc})")
            return
        number += 1
        where = f"{name}:{number}"
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except UnicodeDecodeError:
            yield Rejected(where, "not valid UTF-8")
            continue
        except json.JSONDecodeError as exc:
            yield Rejected(where, f"not valid JSON ({exc.msg}, column {exc.colno})")
            continue
        except RecursionError:
            yield Rejected(where, "not readable JSON: nested too deeply")
            continue
        except ValueError as exc:  # a number of thousands of digits
            yield Rejected(where, f"not readable JSON: {str(exc).split(';')[0]}")
            continue
        if not isinstance(record, dict):
            yield Rejected(where, f"expected a JSON object, got {type(record).__name__}")
            continue
        own = record.get(id_field) not in (None, "")  # an empty id is none: the line names the record
        rid = str(record[id_field]) if own else where
        if text_field not in record:
            yield Rejected(rid, f"no {text_field!r} field (fields: {', '.join(sorted(record))})")
            continue
        meta = {k: v for k, v in record.items() if k not in (text_field, id_field)}
        yield Item(record[text_field], rid, meta, own_id=own)


def _csv(f: IO[bytes], name: str, text_field: str, id_field: str) -> Iterator[Item | Rejected]:
    # utf-8-sig: a byte-order mark before the header is no part of the first column's name.
    lines = io.TextIOWrapper(f, encoding="utf-8-sig", errors="surrogateescape", newline="")
    delimiter = "\t" if name.endswith((".tsv", ".tsv.gz")) else ","
    reader = csv.DictReader(lines, delimiter=delimiter)
    try:
        columns = reader.fieldnames
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise SourceError(f"cannot read {name}: {exc} (is it really gzip-compressed?)") from None
    if columns is None or text_field not in columns:
        raise SourceError(
            f"{name}: no {text_field!r} column (columns: {', '.join(columns or [])}); "
            "name it with --text-column"
        )
    rows = enumerate(reader, start=2)
    while True:
        try:
            number, row = next(rows)
        except StopIteration:
            return
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            yield Rejected(f"{name}:end", f"the file ends early, after the last whole row ({name}: {exc})")
            return
        where = f"{name}:{number}"
        own = bool(row.get(id_field))
        rid = row.get(id_field) or where
        text = row.get(text_field)
        if text is None:
            yield Rejected(rid, "row is shorter than the header")
            continue
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            yield Rejected(rid, "not valid UTF-8")
            continue
        meta: dict[str, Any] = {k: v for k, v in row.items() if k not in (text_field, id_field)}
        yield Item(text, rid, meta, own_id=own)


def _parquet(path: Path, text_field: str, id_field: str) -> Iterator[Item | Rejected]:
    """The rows of a Parquet file or folder as records: `text_field` the text, `id_field` the id, the
    other columns metadata. A table `reelsense spark analyze` wrote gives back the records it read
    (their text, id and metadata; a record it rejected, rejected again with its reason)."""
    from .columnar import is_analysis, parquet_columns, parquet_rows  # pyarrow loads only here

    columns = parquet_columns(path)
    if is_analysis(columns):
        for batch in parquet_rows(path):
            for row in batch:
                meta = json.loads(row["meta"]) if row["meta"] else {}
                if row["rejected"] is not None:
                    yield Rejected(row["id"], row["rejected"], meta)
                else:
                    yield Item(row["text"], row["id"], meta)
        return
    if text_field not in columns:
        raise SourceError(
            f"{path}: no {text_field!r} column (columns: {', '.join(columns)}); name it with --text-column"
        )
    number = 0
    for batch in parquet_rows(path):
        for row in batch:
            number += 1
            own = row.get(id_field) not in (None, "")
            rid = str(row[id_field]) if own else f"{path}:{number}"
            meta = {k: _plain(v) for k, v in row.items() if k not in (text_field, id_field)}
            yield Item(row[text_field], rid, meta, own_id=own)


def _plain(value: Any) -> Any:
    """A Parquet value as JSON can hold it: dates and times as ISO text, other objects as text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _folder(path: Path, files: list[Path] | None = None) -> Iterator[Item | Rejected]:
    """Every .txt below `path` (or those of `files`, a part of them), sorted; aclImdb-style pos/neg
    folders and N_R.txt names give labels."""
    for file in folder_files(path) if files is None else files:
        meta: dict[str, Any] = {}
        if file.parent.name in ("pos", "neg"):
            meta["label"] = file.parent.name
        m = _ACLIMDB_NAME.match(file.name)
        if m and meta:
            meta["rating"] = int(m["rating"])
        yield Item(file.read_bytes(), str(file.relative_to(path)), meta)


def folder_files(path: Path) -> list[Path]:
    """The .txt files below a folder, sorted: its records, in order."""
    files = sorted(p for p in path.rglob("*.txt") if p.is_file())
    if not files:
        raise SourceError(f"{path}: no .txt files in this folder")
    return files


_POSITIVE = {"pos", "positive", "1", "true", "yes", "fresh", "good"}
_NEGATIVE = {"neg", "negative", "0", "false", "no", "rotten", "bad"}


def label_of(meta: Mapping[str, Any], label_field: str = "label") -> bool | None:
    """A record's gold label (True for positive) from its label field or its 1–10 rating."""
    value = meta.get(label_field)
    if value is not None:
        text = str(value).strip().lower()
        if text in _POSITIVE:
            return True
        if text in _NEGATIVE:
            return False
    rating = meta.get("rating")
    try:
        stars = float(rating) if rating is not None else None
    except (TypeError, ValueError):
        stars = None
    if stars is not None and (stars >= 7 or stars <= 4):
        return stars >= 7
    return None
