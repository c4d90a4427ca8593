"""Every option the command line takes, declared once: name, default, help, type and the values it
accepts feed `--help`, the README and the tests, so they cannot drift apart.

Where one option means something a little different to one command (`--db`, `--json`, `--limit`,
`--out`, `--film`, `--data`), the setting carries that command's own help (`helps`) and default
(`defaults`), keyed by the command as typed (`"analyze"`, `"kb import"`); `for_command` gives the
setting as that command takes it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .batching import DEFAULT_BATCH_SIZE
from .corpus.aggregate import FILM_ORDERS, LISTED_REVIEWS
from .inputs import FORMATS
from .text.reading import DEFAULT_MAX_CHARS

EXPORT_FORMATS = ("auto", "csv", "jsonl", "parquet")  # `reelsense export --to`

__all__ = ["Setting", "SETTINGS", "DEFAULT_DATA"]

DEFAULT_DATA = "../shared/data/imdb"  # the shared IMDB folder beside a checkout


@dataclass(frozen=True)
class Setting:
    """One option: `--name`, its default and help, the type its value is read as, and its limits."""

    name: str  # the option, without the leading dashes
    default: Any
    help: str  # says the default itself only where `default` is None and means something
    type: type = str  # bool: a flag, off unless given
    choices: tuple[str, ...] = ()
    minimum: float | None = None  # for number settings: the smallest value accepted
    maximum: float | None = None
    repeat: bool = False  # given once per value (`--conf a=1 --conf b=2`), a list
    helps: Mapping[str, str] = field(default_factory=dict)  # command -> its own help
    defaults: Mapping[str, Any] = field(default_factory=dict)  # command -> its own default

    @property
    def flag(self) -> str:
        return f"--{self.name}"

    def for_command(self, command: str) -> Setting:
        """This setting as `command` takes it: that command's own help and default where it has them."""
        return replace(
            self,
            help=self.helps.get(command, self.help),
            default=self.defaults.get(command, self.default),
            helps={},
            defaults={},
        )

    def help_text(self) -> str:
        """The help with the default said once, and not at all for a flag or an unset default."""
        if self.type is bool or self.default is None:
            return self.help
        return f"{self.help} (default: {self.default})"

    def parse(self, text: str) -> Any:
        """The value of `text` for this setting; ValueError, with a message for the user, if refused."""
        if self.type not in (int, float):
            return self.type(text)
        kind = "a whole number" if self.type is int else "a number"
        try:
            value = self.type(text)
        except ValueError:
            raise ValueError(f"expected {kind}, not {text!r}") from None
        if not math.isfinite(value):
            raise ValueError(f"expected {kind}, not {text!r}")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"must be at least {self.minimum}, not {value}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"must be at most {self.maximum}, not {value}")
        return value


_DB = "(default: $REELSENSE_DB, else sqlite:///reelsense.db)"
_READ_DB = f"the database to read {_DB}"

SETTINGS = {
    s.name: s
    for s in (
        # Reading and analysing reviews.
        Setting(
            "batch-size", DEFAULT_BATCH_SIZE, "reviews analysed together; larger is faster", int, minimum=1
        ),
        Setting("jobs", 1, "worker processes; 0 means one per CPU core", int, minimum=0),
        Setting("max-chars", DEFAULT_MAX_CHARS, "longest text accepted as one review", int, minimum=1),
        Setting("model", None, "a model file from `reelsense train` (default: the shipped one)"),
        Setting(
            "encoder",
            None,
            "a sentence-transformers model folder whose learnt head reads short reviews instead of the "
            "sentence model (slower, more accurate on critic snippets; the encoder extra)",
            helps={"train-encoder": "the sentence-transformers model folder to learn a head for"},
        ),
        Setting(
            "encoder-head",
            None,
            "the encoder's learnt head (default: reelsense-encoder-heads.json in the encoder's folder)",
        ),
        Setting("no-explain", False, "skip the phrases behind each verdict (about 40% faster)", bool),
        Setting(
            "no-anatomy",
            False,
            "stop after the verdict: no sentence labels, aspects, pull quote or summary",
            bool,
        ),
        Setting("no-people", False, "skip finding people, films and checks", bool),
        Setting("text-column", "text", "the JSONL field or CSV column holding the review text"),
        Setting("id-column", "id", "the JSONL field or CSV column holding the record id"),
        Setting("format", "auto", "input format; auto goes by the file's name", choices=FORMATS),
        Setting(
            "to",
            "auto",
            "the format to write; auto goes by the --out name, and is JSON lines for standard output",
            choices=EXPORT_FORMATS,
        ),
        Setting(
            "db",
            None,
            f"the database URL {_DB}",
            helps={
                "analyze": "a database whose knowledge base links the names and films found "
                "(default: $REELSENSE_DB, else no linking)",
                "evaluate": "a database whose knowledge base links the names and films found "
                "(default: $REELSENSE_DB, else no linking)",
                "ingest": f"the database the reviews are stored in; its knowledge base links names {_DB}",
                "kb import": f"the database the knowledge base is written to {_DB}",
                "films": _READ_DB,
                "film": _READ_DB,
                "search": _READ_DB,
                "rejects": _READ_DB,
                "export": _READ_DB,
                "reanalyze": f"the database whose stored analyses are redone {_DB}",
                "serve": f"the database to serve {_DB}",
                "token create": f"the database the token is stored in {_DB}",
                "token list": f"the database whose tokens are listed {_DB}",
                "token revoke": f"the database the token is revoked in {_DB}",
            },
        ),
        Setting(
            "json",
            False,
            "print JSON instead of tables",
            bool,
            helps={
                "analyze": "one JSON result per line on stdout",
                "evaluate": "print the figures as JSON",
                "ingest": "print the summary as JSON",
                "films": "one JSON object per film",
                "film": "the report as JSON",
                "search": "one JSON object per hit",
                "rejects": "one JSON object per record",
            },
        ),
        Setting(
            "limit",
            None,
            "at most this many",
            int,
            minimum=1,
            helps={
                "train": "train on N reviews spread over train (quick runs)",
                "evaluate": "evaluate a random sample of N records, the same each run, not the first N",
                "films": "show only the first N films",
                "spark films": "show only the first N films (all are written)",
                "search": "at most this many hits",
                "rejects": "at most this many records",
            },
            defaults={"search": 20, "rejects": 1000},
        ),
        # Training and evaluating the models.
        Setting(
            "data",
            DEFAULT_DATA,
            "the IMDB folder (train/unsup .jsonl.gz)",
            helps={
                "train": "the IMDB folder: train.jsonl.gz for the labels, unsup.jsonl.gz for the vocabulary",
                "train-opinion": "the IMDB folder: the train reviews the labelled sentences come from, "
                "and unsup and train for word vectors",
                "train-sentences": "the shared data folder: rt/train.jsonl.gz for the snippets, "
                "imdb/ for the labelled sentences' reviews, the transfer head and word vectors",
                "train-encoder": "the shared data folder: rt/train.jsonl.gz for the snippets",
            },
            defaults={"train-sentences": "../shared/data", "train-encoder": "../shared/data"},
        ),
        Setting(
            "out",
            None,
            "where to write the model",
            helps={
                "train": "where to write the verdict model",
                "train-opinion": "where to write the opinion model",
                "train-sentences": "where to write the sentence model",
                "train-encoder": "where to write the head (default: reelsense-encoder-heads.json in the "
                "encoder's folder, where analyze looks for it)",
                "export": "where to write: a file (.csv, .jsonl, .parquet) or - for standard output",
                "spark analyze": "the folder to write the analyses to, as Parquet (it must not exist yet)",
                "spark films": "the folder to write the film reports to, as films.jsonl (made if missing)",
            },
            defaults={
                "train": "verdict-model.zip",
                "train-opinion": "opinion-model.json",
                "train-sentences": "sentence-model.zip",
                "export": "-",
            },
        ),
        Setting(
            "labels",
            "bench/data/sentences.tsv",
            "labelled sentences; only their dev rows are read",
            helps={
                "train-sentences": "the folder of our labels (rt-snippets.tsv, sentences.tsv, "
                "sentence-aspects.tsv); only their dev rows are read",
                "train-encoder": "the folder of our labels (rt-snippets.tsv); only its dev rows are read",
            },
            defaults={"train-sentences": "bench/data", "train-encoder": "bench/data"},
        ),
        Setting(
            "label-column",
            "label",
            "the field or column with the label (pos/neg, 1/0); a 'rating' field of 1–10 stars also works",
        ),
        # Storing reviews.
        Setting("film-field", None, "the field or column with the film (an IMDb tt id or 'Title (Year)')"),
        Setting(
            "film",
            None,
            "the film of every record, as 'Title (Year)' or a tt id",
            helps={"search": "only this film's reviews (its key or title, as `reelsense films` lists it)"},
        ),
        Setting("critic-field", None, "the field or column with the critic or source"),
        Setting("critic", None, "the critic or source of every record (default: the input's file name)"),
        Setting(
            "rating-field",
            None,
            "the field or column with the source's own rating: 0–10, or a grade like 3/4 or B+",
        ),
        Setting("date-field", "date", "the field or column with the review's date"),
        Setting("url-field", "url", "the field or column with the review's address"),
        # Reading the corpus.
        Setting(
            "min-reviews",
            LISTED_REVIEWS,
            "only films with at least this many reviews; 1 lists every film",
            int,
            minimum=1,
        ),
        Setting(
            "sort",
            "share",
            "how to rank films; share goes by the low end of the share positive's 95% interval, so "
            "a film's few glowing reviews do not outrank many good ones, and score by the mean rating",
            choices=tuple(FILM_ORDERS),
        ),
        # How a film's standing is put in words (`corpus.aggregate.Labels`).
        Setting(
            "liked-share",
            0.6,
            "a film is liked when at least this share of its reviews are positive",
            float,
            minimum=0,
            maximum=1,
        ),
        Setting("liked-reviews", 5, "reviews a film needs before it is called liked or not", int, minimum=1),
        Setting(
            "widely-liked-share",
            0.75,
            "a film is widely liked when at least this share of its reviews are positive",
            float,
            minimum=0,
            maximum=1,
        ),
        Setting(
            "widely-liked-reviews",
            20,
            "reviews a film needs before it is called widely liked",
            int,
            minimum=1,
        ),
        Setting("score-reviews", 4, "reviews a film needs before its score is put in words", int, minimum=1),
        # Spark (`reelsense spark`).
        Setting(
            "master",
            "local[*]",
            "the Spark master: local[N] for N cores here, spark://host:7077, yarn, k8s://… for a cluster",
        ),
        Setting(
            "conf",
            None,
            "a Spark setting as KEY=VALUE (spark.executor.memory=4g); give it once for each",
            repeat=True,
        ),
        # The web service.
        Setting("host", "127.0.0.1", "the address to listen on; keep 127.0.0.1 unless it must be reachable"),
        Setting("port", 8000, "the port to listen on", int, minimum=0, maximum=65535),
        Setting("workers", 1, "worker processes, each loading the model once", int, minimum=1),
        Setting("private", False, "reads need an API token too (writes always do)", bool),
        Setting(
            "log", False, "print a line per request (client, method, path, status) on standard error", bool
        ),
        Setting(
            "header-timeout",
            10.0,
            "seconds a connection has to send a request's headers before it is answered 408 and "
            "closed; a body gets six times that",
            float,
            minimum=0.1,
        ),
    )
}
