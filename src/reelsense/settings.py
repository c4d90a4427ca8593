"""Settings the command line takes, declared once: name, default and help feed `--help` and the README."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .pipeline import DEFAULT_BATCH_SIZE
from .text.reading import DEFAULT_MAX_CHARS

__all__ = ["Setting", "SETTINGS"]


@dataclass(frozen=True)
class Setting:
    name: str  # the option, without the leading dashes
    default: Any
    help: str
    type: type = str


SETTINGS = {
    s.name: s
    for s in (
        Setting("batch-size", DEFAULT_BATCH_SIZE, "reviews analysed together; larger is faster", int),
        Setting("jobs", 1, "worker processes; 0 means one per CPU core", int),
        Setting("max-chars", DEFAULT_MAX_CHARS, "longest text accepted as one review", int),
        Setting("model", None, "a model file from `reelsense train` (default: the shipped one)"),
        Setting("no-explain", False, "skip the phrases behind each verdict (about 40% faster)", bool),
        Setting(
            "no-anatomy",
            False,
            "stop after the verdict: no sentence labels, aspects, pull quote or summary",
            bool,
        ),
        Setting("no-people", False, "skip finding people, films and checks", bool),
        Setting(
            "db",
            None,
            "the database URL ($REELSENSE_DB, else sqlite:///reelsense.db): the corpus and the knowledge "
            "base; analyze links names when it holds one",
        ),
        Setting(
            "film-field", None, "ingest: the field or column with the film (an IMDb tt id or 'Title (Year)')"
        ),
        Setting("film", None, "ingest: the film of every record, as 'Title (Year)' or a tt id"),
        Setting("critic-field", None, "ingest: the field or column with the critic or source"),
        Setting(
            "critic", None, "ingest: the critic or source of every record (default: the input's file name)"
        ),
        Setting("rating-field", None, "ingest: the field or column with the source's own 0–10 rating"),
        Setting("date-field", "date", "ingest: the field or column with the review's date"),
        Setting("url-field", "url", "ingest: the field or column with the review's address"),
        Setting("min-reviews", 1, "films: only films with at least this many reviews", int),
        Setting(
            "sort", "score", "films: order by score, share (lower bound of share positive), reviews or title"
        ),
        Setting(
            "host",
            "127.0.0.1",
            "serve: the address to listen on (keep 127.0.0.1 unless it must be reachable)",
        ),
        Setting("port", 8000, "serve: the port", int),
        Setting("workers", 1, "serve: worker processes (each loads the model once)", int),
        Setting("private", False, "serve: reads need an API token too (writes always do)", bool),
        Setting("text-column", "text", "the JSONL field or CSV column holding the review text"),
        Setting("id-column", "id", "the JSONL field or CSV column holding the record id"),
        Setting("format", "auto", "input format: auto, text, jsonl, csv or folder"),
    )
}
