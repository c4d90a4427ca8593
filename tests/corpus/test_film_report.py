"""A film's report as the database totals it (`Store.film_report`) is, figure for figure, the report
made from its reviews in memory (`aggregate.film_report`), on real reviews and our own."""

import gzip
import itertools
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from reelsense import Pipeline, Review
from reelsense.corpus.aggregate import CONSENSUS_SENTENCES, choose_consensus, film_report
from reelsense.corpus.ingest import FieldMap, ingest
from reelsense.corpus.store import Store
from reelsense.inputs import read_source

from ..conftest import IMDB
from .test_ingest import empty_database
from .test_store import at_revision

FIELDS = FieldMap(film_field="film", critic_field="critic", rating_field="grade")
HL = "Harbour Lights (2024)"
# Records of our own, written here: critics with stated grades, dates of every shape a date field
# holds (a day, a month, a year, spaces before it, none, not a date), one critic twice.
OWN = [
    {"id": "o1", "film": HL, "critic": "Ann Marsh", "grade": "B+", "date": "2024-03-02",
     "text": "Harbour Lights is tender and beautifully acted, though its last act drifts. A lovely film."},
    {"id": "o2", "film": HL, "critic": "Ben Ode", "grade": "2/4", "date": "2024-04",
     "text": "Handsome to look at, but the story is thin and the pacing drags badly. I was bored."},
    {"id": "o3", "film": HL, "critic": "Ann Marsh", "date": "  2024-04-30",
     "text": "A second look: the score soars and the two leads are wonderful together."},
    {"id": "o4", "film": HL, "critic": "Cy Dee", "grade": "8/10", "date": "soon",
     "text": "The cinematography is gorgeous and the ending moved me to tears."},
    {"id": "o5", "film": HL, "text": "Warm, funny and moving, with a score I keep humming."},
    {"id": "o6", "film": "Tin Roof (2023)", "critic": "Ann Marsh", "date": "2023",
     "text": "A dull, lifeless script and wooden acting sink it. Avoid."},
    {"id": "o7", "film": "Tin Roof (2023)", "critic": "Ben Ode", "date": "2023-11-05",
     "text": "Clumsy, predictable and far too long; the jokes never land."},
]  # fmt: skip


def _inputs(folder: Path) -> Path:
    path = IMDB / "test.jsonl.gz"
    if not path.exists():
        pytest.skip(f"real-data test: {path} is absent (it lives in ../shared beside the checkout)")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = list(itertools.islice(f, 400))  # IMDB test keeps a film's reviews together
    written = folder / "reviews.jsonl"
    written.write_text("".join(lines) + "".join(json.dumps(r) + "\n" for r in OWN), encoding="utf-8")
    return written


@pytest.fixture(scope="module")
def reviews_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _inputs(tmp_path_factory.mktemp("film-report"))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_film_report_is_the_report_of_the_films_reviews(
    backend: str, reviews_file: Path, pipeline: Pipeline, tmp_path: Path
) -> None:
    store = Store(empty_database(backend, tmp_path))
    ingest(store, pipeline, read_source(str(reviews_file)), reviews_file.name, FIELDS)
    rows = store.film_rows()
    assert len(rows) > 30 and max(r.reviews for r in rows) >= 15
    for row in rows:
        expected = film_report(row.key, row.title, row.year, store.film_reviews(row.key), row.title_share)
        assert store.film_report(row) == expected, row.key
    ours = store.film_report(store.film("harbour lights (2024)"))  # type: ignore[arg-type]
    assert [p.period for p in ours.over_time] == ["2024-03", "2024-04"]  # "soon" is no date
    assert [s.source for s in ours.sources] == ["Ann Marsh", "Ben Ode", "Cy Dee"]
    assert ours.uncredited_reviews == 1 and ours.stated is not None and ours.stated.reviews == 3
    assert ours.consensus and ours.aspects
    tin = store.film_report(store.film("tin roof (2023)"))  # type: ignore[arg-type]
    assert [p.period for p in tin.over_time] == ["2023"]  # one review gives only a year


def test_film_report_of_analyses_stored_before_their_results_moved(
    reviews_file: Path, pipeline: Pipeline, tmp_path: Path
) -> None:
    """A database from before `analysis_results` and `analyses.predicted_rating`, its results in
    their full form: upgrading moves and reads them, and the reports are the same."""
    new = Store(f"sqlite:///{tmp_path / 'new.db'}")
    ingest(new, pipeline, read_source(str(reviews_file)), reviews_file.name, FIELDS)
    url = f"sqlite:///{tmp_path / 'old.db'}"
    read = new.engine.connect()
    with at_revision(url, "0005") as conn:
        for table in ("sources", "films", "reviews", "review_aspects", "review_mentions"):
            for row in read.exec_driver_sql(f"SELECT * FROM {table}").mappings().all():
                places = ", ".join("?" for _ in row)
                conn.exec_driver_sql(
                    f"INSERT INTO {table} ({', '.join(row)}) VALUES ({places})", tuple(row.values())
                )
        kept = "review_id, model, verdict, probability, rating, confidence, grade, pull_quote, result"
        columns = ", ".join("a." + c for c in kept.split(", ")[:-1])
        query = (
            f"SELECT {columns}, x.result, r.text FROM analyses a JOIN reviews r ON r.id = a.review_id "
            "JOIN analysis_results x ON x.review_id = a.review_id"
        )
        for *row, text in read.exec_driver_sql(query).all():
            full = Review.from_stored(json.loads(row[-1]), text).to_dict()  # the form stored then
            del full["text"]
            row[-1] = json.dumps(full)
            conn.exec_driver_sql(f"INSERT INTO analyses ({kept}) VALUES ({', '.join('?' * 9)})", tuple(row))
    read.close()
    old = Store(url)  # migrates to head
    for row in new.film_rows():
        assert old.film_report(row) == new.film_report(row), row.key


def _brute_consensus(parts: list[Any], majority_positive: bool) -> list[tuple[Any, str]]:
    """The consensus as it was chosen before candidates were pruned: every candidate, sorted."""
    side = 1 if majority_positive else -1
    agreeing = [p for p in parts if p[1] == majority_positive]
    votes = Counter(a for p in agreeing for a in p[2])
    candidates = []
    for review_id, _, aspects, sentences in agreeing:
        for text, score, names in sentences:
            lean = (2 * score - 1) * side
            if lean > 0.2:
                weight = sum(votes[(n, p)] for n, p in aspects if n in set(names))
                candidates.append((lean + weight / max(1, len(agreeing)), review_id, text, set(names)))
    chosen: list[tuple[Any, str]] = []
    covered: set[str] = set()
    used: set[Any] = set()
    ranked = sorted(candidates, key=lambda c: -c[0])
    for _, review_id, text, judged in ranked:
        if review_id in used or (chosen and judged <= covered) or len(chosen) == CONSENSUS_SENTENCES:
            continue
        chosen.append((review_id, text))
        used.add(review_id)
        covered |= judged
    for _, review_id, text, _ in ranked:
        if len(chosen) >= 2:
            break
        if review_id not in used:
            chosen.append((review_id, text))
            used.add(review_id)
    return chosen


def test_consensus_kept_candidates_choose_what_every_candidate_would() -> None:
    names = ["acting", "story", "music"]  # few aspects and coarse scores: many ties, many sets shared
    for seed in range(400):
        rng = random.Random(seed)
        parts = []
        for review_id in range(rng.randint(1, 40)):
            aspects = [
                (n, rng.choice(["positive", "negative", "mixed"])) for n in names if rng.random() < 0.5
            ]
            sentences = [
                (f"{review_id}.{k}", rng.choice([0.0, 0.1, 0.5, 0.8, 0.9, 1.0]),
                 [n for n, _ in aspects if rng.random() < 0.5])
                for k in range(rng.randint(0, 4))
            ]  # fmt: skip
            parts.append((review_id, rng.random() < 0.7, aspects, sentences))
        for majority in (True, False):
            assert choose_consensus(parts, majority) == _brute_consensus(parts, majority), seed
