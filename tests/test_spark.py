"""reelsense on Spark (`reelsense.spark`) is the same system: on `local[2]`, its analysis rows are the
local pipeline's reviews and rejects record for record, its film reports the store's film for film,
and its Parquet ingests into a store that equals one ingested the usual way.

Needs pyspark (`reelsense[spark]`, in `make test`'s set) and Java 17 or later; skips saying which is
missing. CI has both (`.ci/run` installs Java where it is absent)."""

from __future__ import annotations

import gzip
import itertools
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reelsense.columnar import review_of
from reelsense.corpus.aggregate import film_report
from reelsense.corpus.ingest import FieldMap, ingest
from reelsense.corpus.store import Store
from reelsense.inputs import read_source
from reelsense.pipeline import Pipeline
from reelsense.review import Rejected

from .conftest import IMDB

pytest.importorskip("pyspark", reason="pyspark is absent: pip install 'reelsense[spark]' (make test has it)")
if shutil.which("java") is None:
    pytest.skip(
        "Spark needs Java 17 or later and there is no `java` here (CI installs it)", allow_module_level=True
    )

from reelsense import spark as rs  # noqa: E402
from reelsense.cli.main import main  # noqa: E402

FIELDS = FieldMap(film_field="film", critic_field="critic", rating_field="grade")

# Records of our own, written here, around the real ones: a critic with a stated grade and a date,
# the same review twice (stored once), lines that are no records, an empty text, a film named by title.
HL = "Harbour Lights (2024)"
WARM = "A warm, funny and moving portrait of a town."
OWN = [
    {"id": "own-1", "film": HL, "critic": "Ann Marsh", "grade": "B+", "date": "2024-03-02",
     "text": "Harbour Lights is tender and beautifully acted, though its last act drifts. A lovely film."},
    {"id": "own-2", "film": HL, "critic": "Ben Ode", "grade": "2/4", "date": "2024-04-11",
     "text": "Handsome to look at, but the story is thin and the pacing drags badly. I was bored."},
    {"film": HL, "critic": "Ann Marsh", "text": WARM},
    {"film": HL, "critic": "Ann Marsh", "text": WARM},
    {"id": "own-5", "film": HL, "text": ""},
    {"id": "own-6", "text": "No film named here, and a dull, lifeless script."},
]  # fmt: skip


def _imdb_lines(n: int) -> list[str]:
    path = IMDB / "test.jsonl.gz"
    if not path.exists():
        pytest.skip(f"real-data test: {path} is absent (it lives in ../shared beside the checkout)")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return list(itertools.islice(f, n))


@pytest.fixture(scope="module")
def session() -> Iterator[Any]:
    spark = rs.session("local[2]")
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A JSONL file of real IMDB test reviews (their films in the `film` field) with our records and
    bad lines among them, and a gzip file of more."""
    folder = tmp_path_factory.mktemp("spark-inputs")
    lines = _imdb_lines(320)
    plain = folder / "imdb-and-ours.jsonl"
    with open(plain, "w", encoding="utf-8") as f:
        f.writelines(lines[:150])
        f.write("this line is no JSON\n")
        f.writelines(json.dumps(r) + "\n" for r in OWN)
        f.write("[1, 2]\n")
        f.writelines(lines[150:200])
    packed = folder / "more.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as f:
        f.writelines(lines[200:])
    return [str(plain), str(packed)]


@pytest.fixture(scope="module")
def analysed(session: Any, inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The inputs analysed on Spark and written as Parquet, the JSONL file cut into several parts."""
    out = tmp_path_factory.mktemp("spark-out") / "analysed"
    original = rs.analysis.SMALLEST_PART
    rs.analysis.SMALLEST_PART = 32 << 10  # parts of 32 KB and up: the file is read by several tasks
    try:
        planned = rs.analysis.plan(inputs, parts=4)
        assert sum(p["input"] == 0 for p in planned) == 4  # the JSONL file really is cut
        rs.analyze(rs.read(session, inputs), FIELDS).write.parquet(str(out))
    finally:
        rs.analysis.SMALLEST_PART = original
    return out


def _rows(session: Any, out: Path) -> list[dict[str, Any]]:
    frame = session.read.parquet(str(out)).orderBy("input", "position")
    return [row.asDict(recursive=True) for row in frame.collect()]


def test_spark_analysis_is_the_local_pipelines_record_for_record(
    session: Any, inputs: list[str], analysed: Path, pipeline: Pipeline
) -> None:
    rows = _rows(session, analysed)
    local = [result for source in inputs for result in pipeline.analyze_many(read_source(source))]
    assert len(rows) == len(local) == 320 + len(OWN) + 2
    for row, result in zip(rows, local, strict=True):
        if isinstance(result, Rejected):
            assert (row["id"], row["rejected"]) == (result.id, result.reason)
        else:
            assert row["rejected"] is None
            assert review_of(row) == result, result.id
            assert (row["verdict"], row["probability"], row["rating"]) == (
                result.verdict,
                result.probability,
                result.rating,
            )
    reasons = {row["id"]: row["rejected"] for row in rows if row["rejected"]}
    assert reasons["own-5"] == "empty text"
    assert any(reason.startswith("not valid JSON") for reason in reasons.values())
    assert any(reason.startswith("expected a JSON object") for reason in reasons.values())
    # the output's files are in input order: Spark keeps the parts' order, and spreads the gzip
    # file's records by their place in it
    by_file = _rows_in_file_order(analysed)
    assert by_file == sorted(by_file)


def _rows_in_file_order(out: Path) -> list[tuple[int, int]]:
    import pyarrow.parquet as pq

    return [
        (row["input"], row["position"])
        for file in sorted(out.glob("*.parquet"))
        for row in pq.read_table(file, columns=["input", "position"]).to_pylist()
    ]


def _store_reports(store: Store) -> dict[str, dict[str, Any]]:
    """Every film's report as the store makes it, quotes naming reviews by their record id."""
    reports = {}
    for row in store.film_rows():
        reviews = store.film_reviews(row.key)
        ids = {r.id: r.record_id for r in reviews}
        report = film_report(row.key, row.title, row.year, reviews, row.title_share).to_dict()
        reports[row.key] = _by_record_id(report, ids)
    return reports


def _by_record_id(report: dict[str, Any], ids: dict[Any, Any]) -> dict[str, Any]:
    for quote in report["consensus"]:
        quote["review_id"] = ids.get(quote["review_id"], quote["review_id"])
    for side in ("top_positive", "top_negative"):
        if report[side]:
            report[side]["review_id"] = ids.get(report[side]["review_id"], report[side]["review_id"])
    return report


def test_spark_films_are_the_stores_film_for_film(
    session: Any, inputs: list[str], analysed: Path, pipeline: Pipeline
) -> None:
    store = Store("sqlite://")
    for source in inputs:
        ingest(store, pipeline, read_source(source), Path(source).name, FIELDS)
    expected = _store_reports(store)
    reports = {r.key: _by_record_id(r.to_dict(), {}) for r in rs.films(session.read.parquet(str(analysed)))}
    assert len(expected) > 20 and set(reports) == set(expected)
    for key, report in expected.items():
        assert reports[key] == report, key
    ours = reports["harbour lights (2024)"]
    assert ours["reviews"] == 3  # the review given twice counts once; the empty one is rejected
    assert ours["stated"]["reviews"] == 2 and [p["period"] for p in ours["over_time"]] == [
        "2024-03",
        "2024-04",
    ]
    assert [s["source"] for s in ours["sources"]] == ["Ann Marsh", "Ben Ode"]


def test_spark_parquet_ingests_as_the_records_would(
    session: Any, inputs: list[str], analysed: Path, pipeline: Pipeline, tmp_path: Path
) -> None:
    direct = Store("sqlite://")
    for source in inputs:
        ingest(direct, pipeline, read_source(source), Path(source).name, FIELDS)
    db = f"sqlite:///{tmp_path / 'bulk.db'}"
    assert main(["ingest", str(analysed), "--db", db]) == 1  # some records were rejected
    bulk = Store(db)
    assert _store_reports(bulk) == _store_reports(direct)
    assert sorted((r.record_id, r.reason) for r in bulk.rejected()) == sorted(
        (r.record_id, r.reason) for r in direct.rejected()
    )
    again = ingest(bulk, pipeline, read_source(inputs[1]), Path(inputs[1]).name, FIELDS)
    assert again.already_stored == again.read  # the same reviews: nothing stored twice


def test_spark_analyses_any_dataframe_with_a_text_column(session: Any, pipeline: Pipeline) -> None:
    frame = session.createDataFrame(
        [("a", "A gorgeous, moving film.", "2024-01-05", 3), (None, "Dull and far too long.", None, 1),
         ("c", None, None, 2)],
        "key string, body string, seen string, stars int",
    )  # fmt: skip
    rows = sorted(
        (r.asDict(recursive=True) for r in rs.analyze(frame, text_column="body", id_column="key").collect()),
        key=lambda r: r["position"],
    )
    first = pipeline.analyze("A gorgeous, moving film.", id="a", seen="2024-01-05", stars=3)
    assert review_of(rows[0]) == first
    assert rows[1]["id"].startswith("spark:") and rows[1]["verdict"] == "negative"
    assert rows[2]["id"] == "c" and rows[2]["rejected"] == "no text: the 'body' column is empty"


def test_spark_commands_write_the_analyses_and_the_films(inputs: list[str], tmp_path: Path) -> None:
    out, films = tmp_path / "analysed", tmp_path / "films"
    assert (
        main(
            ["spark", "analyze", inputs[1], "--out", str(out), "--master", "local[2]", "--film-field", "film"]
        )
        == 0
    )
    assert main(["spark", "analyze", inputs[1], "--out", str(out)]) == 2  # never over what is there
    assert main(["spark", "films", str(out), "--out", str(films), "--master", "local[2]"]) == 0
    written = [json.loads(line) for line in open(films / "films.jsonl", encoding="utf-8")]
    assert written and all(f["reviews"] >= 1 and len(f["rating_histogram"]) == 10 for f in written)
    assert main(["spark", "analyze", "-", "--out", str(tmp_path / "x")]) == 2
    assert main(["spark", "analyze", inputs[1], "--out", str(tmp_path / "y"), "--conf", "nonsense"]) == 2
