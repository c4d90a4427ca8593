import argparse
import os

from reelsense.cli.common import (
    EXIT_MODEL,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    job_count,
    make_pipeline,
    records,
)
from reelsense.review import Item, Rejected

from ..conftest import EXAMPLES


def _args(**values: object) -> argparse.Namespace:
    options = dict(
        db=None, no_people=False, no_anatomy=False, no_explain=False, model=None, max_chars=1000,
        jobs=1, sources=[], format="auto", text_column="text", id_column="id",
    )  # fmt: skip
    return argparse.Namespace(**{**options, **values})


def test_common_exit_codes_are_the_documented_ones() -> None:
    assert (EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_MODEL) == (0, 1, 2, 3)


def test_common_job_count_reads_0_as_every_core() -> None:
    assert job_count(_args(jobs=0)) == (os.cpu_count() or 1)
    assert job_count(_args(jobs=3)) == 3


def test_common_pipeline_follows_the_options(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("REELSENSE_DB", raising=False)
    pipeline = make_pipeline(_args(no_anatomy=True, no_people=True, max_chars=1000))
    assert [s.name for s in pipeline.stages] == ["verdict"] and pipeline.max_chars == 1000
    assert [s.name for s in make_pipeline(_args()).stages] == ["verdict", "anatomy", "coherence", "people"]


def test_common_records_read_every_source_in_order() -> None:
    snippets = EXAMPLES / "short-snippets.jsonl"
    review = EXAMPLES / "mixed-harbour-lights.txt"
    found = list(records(_args(sources=[str(review), str(snippets)])))
    assert all(isinstance(r, Item | Rejected) for r in found)
    assert isinstance(found[0], Item) and "Harbour" in str(found[0].text)
    assert len(found) == 1 + len(snippets.read_text(encoding="utf-8").splitlines())
