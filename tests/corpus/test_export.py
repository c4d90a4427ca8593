"""`reelsense export`: every table out whole, in batches, to CSV, JSON lines and Parquet."""

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from reelsense.cli.main import main
from reelsense.corpus import export as exporting
from reelsense.corpus.export import COLUMNS, count_rows, export, format_of
from reelsense.corpus.store import Store
from reelsense.review import Aspect, Evidence, Mention

from ..conftest import make_new_review, make_review


def _review(n: int) -> object:
    evidence = (Evidence(0, 12, "A fine film.", 2, 6, 0.8),)
    aspects = tuple(Aspect(name, "positive", 0.8, 1, evidence) for name in ("acting", "music")[: 1 + n % 2])
    mentions = (Mention(0, 5, "Ann B", "person", "Ann B", "actor"),)
    review = make_review(text=f"A fine film. Take {n}.", id=f"r{n}", aspects=aspects, mentions=mentions)
    return make_new_review(review=review, film_key=f"tt{n % 3:07d}", source_rating=float(n % 10))


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'corpus.db'}")
    store.save([_review(n) for n in range(7)])
    return store


@pytest.mark.parametrize("table", ["reviews", "films", "aspects", "mentions"])
def test_export_every_row_in_small_batches(store: Store, table: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(exporting, "BATCH", 2)  # ranges of two reviews: a review's rows stay together
    seen: list[int] = []
    path = tmp_path / f"{table}.jsonl"
    written = export(store, table, path, "jsonl", progress=seen.append)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert (
        written
        == len(rows)
        == count_rows(store, table)
        == {"reviews": 7, "films": 3, "aspects": 10, "mentions": 7}[table]
    )
    assert all(list(r) == list(COLUMNS[table]) for r in rows)
    assert seen == sorted(seen) and seen[-1] == written
    if table != "films":
        ids = [r["review_id"] for r in rows]
        assert ids == sorted(ids)


def test_export_csv_and_parquet_hold_the_same_rows(store: Store, tmp_path: Path) -> None:
    export(store, "reviews", tmp_path / "r.jsonl", "jsonl")
    export(store, "reviews", tmp_path / "r.csv", "csv")
    export(store, "reviews", tmp_path / "r.parquet", "parquet")
    lines = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    with open(tmp_path / "r.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    table = pq.read_table(tmp_path / "r.parquet")
    assert table.column_names == list(COLUMNS["reviews"]) == list(rows[0])
    assert (
        table.column("review_id").to_pylist()
        == [r["review_id"] for r in lines]
        == [int(r["review_id"]) for r in rows]
    )
    assert table.column("source_rating").to_pylist() == [r["source_rating"] for r in lines]
    assert [r["text"] for r in rows] == [r["text"] for r in lines] == table.column("text").to_pylist()


def test_export_format_goes_by_the_name() -> None:
    assert [format_of(n, "auto") for n in ("a.parquet", "a.CSV", "a.jsonl", "-")] == [
        "parquet",
        "csv",
        "jsonl",
        "jsonl",
    ]
    assert format_of("a.csv", "jsonl") == "jsonl"


def test_export_cli(store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = str(store.engine.url)
    assert main(["export", "films", "--db", url, "--out", str(tmp_path / "films.csv")]) == 0
    assert "3 rows of films written" in capsys.readouterr().err
    assert (tmp_path / "films.csv").read_text(encoding="utf-8").startswith("key,title,year,reviews,")
    assert main(["export", "reviews", "--db", url, "--to", "parquet"]) == 2
    assert "Parquet is written to a file" in capsys.readouterr().err
    assert main(["export", "films", "--db", f"sqlite:///{tmp_path / 'none.db'}"]) == 4  # no such database
