"""Ingest into a real database: idempotent, resumable after a kill, never losing a bad record."""

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reelsense import Pipeline
from reelsense.corpus.ingest import FieldMap, film_of, ingest, stated_rating
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


PG = os.environ.get("REELSENSE_TEST_POSTGRES")


def empty(store: Store) -> None:
    """Delete every corpus row (the PostgreSQL test database outlives a test)."""
    with store.engine.begin() as conn:
        for table in (
            "review_aspects",
            "review_mentions",
            "analysis_results",
            "analyses",
            "reviews",
            "films",
            "sources",
            "rejects",
        ):
            conn.exec_driver_sql(f"DELETE FROM {table}")


def empty_database(backend: str, tmp_path: Path) -> str:
    """The URL of an empty corpus on `backend` ("sqlite" or "postgresql"; skips without one)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'corpus.db'}"
    if not PG:
        pytest.skip("set REELSENSE_TEST_POSTGRES=postgresql+psycopg://… to test PostgreSQL (CI does)")
    empty(Store(PG))
    return PG


def ingest_until(
    command: list[str], env: dict[str, str], url: str, reviews: int
) -> tuple[subprocess.Popen[bytes], Store]:
    """Start an ingest process and return once the store holds `reviews` reviews (or it ended)."""
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    store = Store(url)
    deadline = time.time() + 120
    while store.counts()["reviews"] < reviews and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    return proc, store


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
    again = run(store, pipeline, path)  # the rejects are rejected again, and kept once
    assert (again["read"], again["stored"], again["already_stored"], again["rejected"]) == (32, 0, 30, 2)
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


def test_ingest_the_same_records_under_any_name_are_stored_once(
    store: Store, pipeline: Pipeline, tmp_path: Path
) -> None:
    """A review's identity never depends on the file name it came in (nor on stdin)."""
    path = write_jsonl(tmp_path / "a.jsonl", 12)
    copy = tmp_path / "b.jsonl"
    copy.write_bytes(path.read_bytes())
    assert run(store, pipeline, path)["stored"] == 12
    assert run(store, pipeline, copy)["already_stored"] == 12
    items = read_source("-", format="jsonl", stdin=io.BytesIO(path.read_bytes()))
    report = ingest(store, pipeline, items, "stdin", FieldMap(film_field="film", rating_field="rating"))
    assert (report.read, report.stored, report.already_stored) == (12, 0, 12)
    assert store.counts()["reviews"] == 12


def test_ingest_the_same_text_for_two_films_is_a_review_of_each(
    store: Store, pipeline: Pipeline, tmp_path: Path
) -> None:
    """IMDB's test set gives 146 texts to two films each: neither film may lose its review, and no
    film row is left without reviews."""
    path = tmp_path / "twice.jsonl"
    rows = [
        {"id": "a", "text": POSITIVE, "film": "tt0000001"},
        {"id": "b", "text": POSITIVE, "film": "tt0000002"},
        {"id": "c", "text": NEGATIVE, "film": "tt0000002"},
        {"id": "d", "text": NEGATIVE, "film": "tt0000002"},  # its own id: another record of that film
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    first = run(store, pipeline, path)
    assert (first["read"], first["stored"], first["already_stored"]) == (4, 4, 0)
    assert {r.key: r.reviews for r in store.film_rows()} == {"tt0000001": 1, "tt0000002": 3}
    assert store.counts()["films"] == 2


def test_ingest_counts_add_up_when_rejected_records_share_an_id(
    store: Store, pipeline: Pipeline, tmp_path: Path
) -> None:
    path = tmp_path / "shared-ids.jsonl"
    rows = [{"id": "x", "text": POSITIVE}] + [
        {"id": "x", "text": " ", "film": f"tt000000{i}"} for i in range(3)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for _ in range(2):
        report = run(store, pipeline, path)
        assert report["read"] == report["stored"] + report["already_stored"] + report["rejected"] == 4
        assert report["rejected"] == 3
    assert store.counts()["rejects"] == 3
    fixed = tmp_path / "fixed.jsonl"
    fixed.write_text(json.dumps({"id": "y", "text": " "}) + "\n", encoding="utf-8")
    assert run(store, pipeline, fixed)["rejected"] == 1
    fixed.write_text(json.dumps({"id": "y", "text": NEGATIVE}) + "\n", encoding="utf-8")
    assert run(store, pipeline, fixed)["stored"] == 1
    assert [r.record_id for r in store.rejected()] == ["x", "x", "x"]  # y's reject went when y was stored


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_ingest_two_at_once_both_finish_with_every_review_once(tmp_path: Path, backend: str) -> None:
    """Two processes ingesting one source into one database: no IntegrityError, no lock error."""
    url = empty_database(backend, tmp_path)
    Store(url)  # migrated before the race, as a first ingest would leave it
    path = write_jsonl(tmp_path / "both.jsonl", 400)
    command = [sys.executable, "-m", "reelsense", "ingest", str(path), "--db", url, "--film-field", "film",
               "--batch-size", "16", "--no-people", "--json"]  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err.decode()
        summary = json.loads(out)
        assert summary["read"] == summary["stored"] + summary["already_stored"] == 400
    assert sum(json.loads(out)["stored"] for out, _ in outs) == 400
    counts = Store(url).counts()
    assert counts["reviews"] == counts["analyses"] == 400 and counts["films"] == 4


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_ingest_resumes_after_a_kill(tmp_path: Path, backend: str) -> None:
    """Kill -9 a real ingest process mid-way, run it again: every review once, none lost, no orphans."""
    path = write_jsonl(tmp_path / "many.jsonl", 3000)
    url = empty_database(backend, tmp_path)
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
    proc, store = ingest_until(command, env, url, 300)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = store.counts()["reviews"]
    assert 0 < partial < 3000, "the kill should land mid-way"
    done = subprocess.run([*command, "--json"], env=env, capture_output=True, text=True, check=True)
    summary = json.loads(done.stdout)
    assert summary["stored"] == 3000 - partial and summary["already_stored"] == partial
    counts = store.counts()
    assert counts["reviews"] == counts["analyses"] == 3000
    with store.engine.connect() as conn:  # no film without its reviews, no analysis without its review
        orphans = conn.exec_driver_sql(
            "SELECT (SELECT COUNT(*) FROM films f"
            " WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.film_id = f.id))"
            " + (SELECT COUNT(*) FROM analyses a"
            " WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.id = a.review_id))"
        ).scalar()
    assert orphans == 0


def test_ingest_ctrl_c_says_how_to_resume_and_a_rerun_completes(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "many.jsonl", 3000)
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    command = [sys.executable, "-m", "reelsense", "ingest", str(path), "--db", url, "--film-field", "film",
               "--batch-size", "64", "--no-people"]  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc, store = ingest_until(command, env, url, 300)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert b"re-run the same command to resume" in err and b"Traceback" not in err
    done = subprocess.run([*command, "--json"], env=env, capture_output=True, text=True, check=True)
    summary = json.loads(done.stdout)
    assert summary["stored"] + summary["already_stored"] == 3000
    assert store.counts()["reviews"] == store.counts()["analyses"] == 3000


def test_ingest_a_full_disk_is_one_clear_error_and_the_database_stays_whole(tmp_path: Path) -> None:
    """On a 2 MiB tmpfs (where this machine lets us mount one): the ingest stops with exit 4."""
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({made.stderr.decode().strip() or 'not root'})")
    try:
        path = write_jsonl(tmp_path / "many.jsonl", 3000)
        url = f"sqlite:///{mount / 'corpus.db'}"
        command = [sys.executable, "-m", "reelsense", "ingest", str(path), "--db", url,
                   "--film-field", "film", "--batch-size", "64", "--no-people"]  # fmt: skip
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 4, done.stderr
        assert (
            "database error: cannot write to the database" in done.stderr and "Traceback" not in done.stderr
        )
        store = Store(url)
        counts = store.counts()  # what was stored is whole: every review with its analysis
        store.engine.dispose()
        assert 0 < counts["reviews"] == counts["analyses"] < 3000
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], capture_output=True)


def test_ingest_film_keys() -> None:
    assert film_of("tt0111161") == ("tt0111161", None, None)
    assert film_of("The Third Man (1949)") == ("the third man (1949)", "The Third Man", 1949)
    assert film_of("Harbour Lights") == ("harbour lights", "Harbour Lights", None)
    assert film_of("  ") is None


def test_ingest_reads_a_sources_rating_as_a_number_or_a_grade(
    store: Store, pipeline: Pipeline, tmp_path: Path
) -> None:
    assert [stated_rating(v) for v in (8, "7.5", "3/4", "B+", "★★★½", "2 out of 5")] == [
        8,
        7.5,
        7.5,
        8.3,
        7,
        4,
    ]
    assert [stated_rating(v) for v in (11, -1, "nan", "loved it", "", None, True)] == [None] * 7
    path = tmp_path / "graded.jsonl"
    given = ["3/4", "B-", 9, "a lot"]
    with open(path, "w", encoding="utf-8") as f:
        for i, rating in enumerate(given):
            f.write(
                json.dumps(
                    {"id": f"g{i}", "text": POSITIVE + f" Take {i}.", "film": "tt1000001", "rating": rating}
                )
                + "\n"
            )
    report = run(store, pipeline, path)
    assert (report["stored"], report["ratings_unread"]) == (4, 1)  # stored all the same, and said so
    assert sorted(r.source_rating or -1 for r in store.film_reviews("tt1000001")) == [-1, 6.7, 7.5, 9.0]
    assert store.film("tt1000001") is not None


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


@pytest.mark.skipif(
    not PG, reason="set REELSENSE_TEST_POSTGRES=postgresql+psycopg://… to test PostgreSQL (CI does)"
)
def test_store_on_postgresql(pipeline: Pipeline, tmp_path: Path) -> None:
    store = Store(PG)
    empty(store)
    path = write_jsonl(tmp_path / "pg.jsonl", 20, bad=1)
    assert run(store, pipeline, path)["stored"] == 20
    assert run(store, pipeline, path)["already_stored"] == 20
    assert store.counts()["reviews"] == 20 and store.counts()["rejects"] == 1
    assert store.search("wooden acting")
    assert sum(r.reviews for r in store.film_rows()) == 20
