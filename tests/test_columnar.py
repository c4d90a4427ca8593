"""Records and analyses as table rows (`reelsense.columnar`), and Parquet as an input, without Spark:
an analysis row gives back the very review and what the store keeps of it; Parquet tables read as
records, and the analysis tables `reelsense spark analyze` writes read back as the records they were."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from reelsense.columnar import (
    ANALYSIS_COLUMNS,
    analysed_rows,
    analysis_schema,
    is_analysis,
    item_of,
    new_review_of,
    record_row,
    record_schema,
    review_of,
)
from reelsense.corpus.ingest import FieldMap, ingest
from reelsense.corpus.store import Store
from reelsense.errors import SourceError
from reelsense.inputs import read_source
from reelsense.pipeline import Pipeline
from reelsense.review import Item, Rejected

pa = pytest.importorskip("pyarrow", reason="pyarrow is absent: pip install 'reelsense[frames]'")
pq = pytest.importorskip("pyarrow.parquet")

FIELDS = FieldMap(film_field="film", critic_field="critic", rating_field="grade")
RECORDS = [
    Item("A tender, beautifully acted film; the last act drifts.", "r1",
         {"film": "Harbour Lights (2024)", "critic": "Ann Marsh", "grade": "B+", "date": "2024-03-02"}),
    Item(b"Dull, thin and far too long.", "folder/r2.txt", {"label": "neg"}, own_id=False),
    Item("", "r3", {"film": "tt0000001"}),
    Rejected("in.jsonl:4", "not valid JSON (Expecting value, column 1)"),
    Item("Lone surrogate \udcff kept as read.", "r5", {}),
]  # fmt: skip


def test_analysis_rows_give_back_the_review_and_what_the_store_keeps(pipeline: Pipeline) -> None:
    rows = [record_row(0, n, "in.jsonl", record) for n, record in enumerate(RECORDS)]
    assert [item_of(row) for row in rows] == RECORDS
    pa.Table.from_pylist(rows, schema=record_schema())  # every record row fits its schema
    analysed = analysed_rows(pipeline, rows, FIELDS)
    table = pa.Table.from_pylist(analysed, schema=analysis_schema())
    assert table.column_names == [name for name, _ in ANALYSIS_COLUMNS] and is_analysis(table.column_names)
    local = pipeline.pipe(RECORDS)
    for row, result in zip(table.to_pylist(), local, strict=True):
        if isinstance(result, Rejected):
            assert (row["id"], row["rejected"]) == (result.id, result.reason) and row["verdict"] is None
            continue
        assert review_of(row) == result
    first = new_review_of(table.to_pylist()[0])
    assert (first.film_key, first.film_title, first.film_year) == (
        "harbour lights (2024)",
        "Harbour Lights",
        2024,
    )
    assert (first.source, first.source_rating, first.date) == (
        "Ann Marsh",
        8.3,
        "2024-03-02",
    )  # B+, as grades.md has it
    assert new_review_of(table.to_pylist()[1]).source == "in.jsonl"  # no critic named: the input's name


def test_parquet_tables_read_as_records_and_analyses_as_the_records_they_were(
    tmp_path: Path, pipeline: Pipeline
) -> None:
    plain = tmp_path / "plain.parquet"
    pq.write_table(
        pa.table({
            "body": ["A gorgeous, moving film.", "Dull and far too long."],
            "key": ["a", None],
            "seen": [datetime.date(2024, 1, 5), None],
            "stars": [5, 1],
        }),
        plain,
    )  # fmt: skip
    records = list(read_source(str(plain), text_field="body", id_field="key"))
    assert records == [
        Item("A gorgeous, moving film.", "a", {"seen": "2024-01-05", "stars": 5}),
        Item("Dull and far too long.", f"{plain}:2", {"seen": None, "stars": 1}, own_id=False),
    ]
    with pytest.raises(SourceError, match="no 'text' column"):
        list(read_source(str(plain)))
    rows = analysed_rows(pipeline, [record_row(0, n, "in", r) for n, r in enumerate(RECORDS)], FieldMap())
    folder = tmp_path / "analysed"
    folder.mkdir()
    pq.write_table(pa.Table.from_pylist(rows[:2], schema=analysis_schema()), folder / "part-00000.parquet")
    pq.write_table(pa.Table.from_pylist(rows[2:], schema=analysis_schema()), folder / "part-00001.parquet")
    back = list(read_source(str(folder)))
    assert [(r.id, getattr(r, "reason", None)) for r in back] == [
        ("r1", None), ("folder/r2.txt", None), ("r3", "empty text"),
        ("in.jsonl:4", "not valid JSON (Expecting value, column 1)"),
        ("r5", "holds a lone surrogate (U+DCFF) at character 15: no Unicode text"),
    ]  # fmt: skip
    store = Store("sqlite://")
    report = ingest(store, pipeline, read_source(str(plain), text_field="body", id_field="key"), "plain")
    assert (report.read, report.stored) == (2, 2)
    (tmp_path / "nothing").mkdir()
    with pytest.raises(SourceError):
        list(read_source(str(tmp_path / "nothing")))
