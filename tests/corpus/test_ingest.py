"""Ingest into a real database: idempotent, resumable after a kill, never losing a bad record."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reelsense import Pipeline
from reelsense.corpus.ingest import FieldMap, film_of, ingest
from reelsense.corpus.records import StoredReject
from reelsense.corpus.store import Store
from reelsense.inputs import read_source

from ..conftest import ROOT

POSITIVE = "A warm, funny and beautifully acted film. The score is lovely. I adored it."
NEGATIVE = "A dull, clumsy mess. The plot makes no sense and the acting is wooden. Avoid it."


def write_jsonl(path: Path, n: int, bad: int = 0) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            text = (POSITIVE if i % 3 else NEGATIVE) + f" Review number {i}."
            f.write(
                json.dumps({"id": f"r{i}", "text": text, "film": f"tt{1000000 + i % 4:07d}", "rating": 8})
                + "\n"
            )
        for i in range(bad):
            f.write(json.dumps({"id": f"bad{i}", "text": "   "}) + "\n")
    return path


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'corpus.db'}")


def run(store: Store, pipeline: Pipeline, path: Path, **kw: object) -> dict[str, object]:
    items = read_source(str(path))
    fields = FieldMap(film_field="film", rating_field="rating")
    return ingest(store, pipeline, items, path.name, fields, **kw).to_dict()  # type: ignore[arg-type]


def test_ingest_stores_once_and_rejects_with_reasons(
    store: Store, pipeline: Pipeline, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "reviews.jsonl", 30, bad=2)
    first = run(store, pipeline, path)
    assert (first["read"], first["stored"], first["already_stored"], first["rejected"]) == (32, 30, 0, 2)
    again = run(store, pipeline, path)
    assert (again["read"], again["stored"], again["already_stored"], again["rejected"]) == (32, 0, 30, 0)
    assert store.counts() == {"films": 4, "sources": 1, "reviews": 30, "analyses": 30, "rejects": 2}
    assert store.rejected() == [
        StoredReject(source="reviews.jsonl", record_id="bad0", reason="empty text", meta={}),
        StoredReject(source="reviews.jsonl", record_id="bad1", reason="empty text", meta={}),
    ]


def test_ingest_same_text_from_another_source_is_another_review(
    store: Store, pipeline: Pipeline, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", 5)
    run(store, pipeline, path)
    items = read_source(str(path))
    report = ingest(store, pipeline, items, "a.jsonl", FieldMap(critic="Another Critic"))
    assert report.stored == 5
    assert store.counts()["reviews"] == 10


def test_ingest_resumes_after_a_kill(tmp_path: Path) -> None:
    """Kill a real ingest process mid-way, run it again: every review once, none lost."""
    path = write_jsonl(tmp_path / "many.jsonl", 3000)
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    command = [
        sys.executable,
        "-m",
        "reelsense",
        "ingest",
        str(path),
        "--db",
        url,
        "--film-field",
        "film",
        "--batch-size",
        "64",
        "--no-people",
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    store = Store(url)
    deadline = time.time() + 120
    while store.counts()["reviews"] < 300 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = store.counts()["reviews"]
    assert 0 < partial < 3000, "the kill should land mid-way"
    done = subprocess.run([*command, "--json"], env=env, capture_output=True, text=True, check=True)
    summary = json.loads(done.stdout)
    assert summary["stored"] == 3000 - partial and summary["already_stored"] == partial
    counts = store.counts()
    assert counts["reviews"] == counts["analyses"] == 3000


def test_ingest_film_keys() -> None:
    assert film_of("tt0111161") == ("tt0111161", None, None)
    assert film_of("The Third Man (1949)") == ("the third man (1949)", "The Third Man", 1949)
    assert film_of("Harbour Lights") == ("harbour lights", "Harbour Lights", None)
    assert film_of("  ") is None


def test_store_search_and_film_rows(store: Store, pipeline: Pipeline, tmp_path: Path) -> None:
    run(store, pipeline, write_jsonl(tmp_path / "s.jsonl", 12))
    rows = {r.key: r for r in store.film_rows()}
    assert sorted(rows) == ["tt1000000", "tt1000001", "tt1000002", "tt1000003"]
    assert sum(r.reviews for r in rows.values()) == 12
    hits = store.search("wooden acting")
    assert hits and all("wooden" in h.text for h in hits)
    only = store.search("wooden", film="tt1000001")  # that film's reviews are 1, 5 and 9; 9 is negative
    assert [(h.film, h.text.endswith("number 9.")) for h in only] == [("tt1000001", True)]
    assert store.search("!!!") == []


def test_store_reanalyze_brings_old_analyses_up_to_date(
    store: Store, pipeline: Pipeline, tmp_path: Path
) -> None:
    run(store, pipeline, write_jsonl(tmp_path / "s.jsonl", 6))
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE analyses SET model = 'old@0'")
    stale = [batch for batch in store.stale(pipeline.name)]
    assert sum(len(b) for b in stale) == 6
    for batch in stale:
        store.replace_analyses([(i, pipeline.analyze(t)) for i, t in batch])
    assert list(store.stale(pipeline.name)) == []


PG = os.environ.get("REELSENSE_TEST_POSTGRES")


@pytest.mark.skipif(
    not PG, reason="set REELSENSE_TEST_POSTGRES=postgresql+psycopg://… to test PostgreSQL (CI does)"
)
def test_store_on_postgresql(pipeline: Pipeline, tmp_path: Path) -> None:
    store = Store(PG)
    with store.engine.begin() as conn:
        for table in (
            "review_aspects",
            "review_mentions",
            "analyses",
            "reviews",
            "films",
            "sources",
            "rejects",
        ):
            conn.exec_driver_sql(f"DELETE FROM {table}")
    path = write_jsonl(tmp_path / "pg.jsonl", 20, bad=1)
    assert run(store, pipeline, path)["stored"] == 20
    assert run(store, pipeline, path)["already_stored"] == 20
    assert store.counts()["reviews"] == 20 and store.counts()["rejects"] == 1
    assert store.search("wooden acting")
    assert sum(r.reviews for r in store.film_rows()) == 20
