"""`reelsense spark analyze` and `reelsense spark films`: the library's Spark calls, with a bar."""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from ..errors import SourceError
from .common import EXIT_OK, EXIT_REJECTED, field_map, progress_bar


def _spark() -> Any:
    try:
        from .. import spark
    except ImportError as exc:
        raise SourceError(str(exc)) from None
    return spark


def _session(args: argparse.Namespace) -> Any:
    conf = {}
    for setting in args.conf or []:
        key, equals, value = setting.partition("=")
        if not equals or not key.strip():
            raise SourceError(f"--conf {setting!r}: give a Spark setting as KEY=VALUE")
        conf[key.strip()] = value.strip()
    return _spark().session(args.master, conf)


@contextmanager
def _tasks_bar(session: Any, err: Console, what: str) -> Iterator[None]:
    """A bar of the Spark tasks done in the jobs running meanwhile (polled from Spark's tracker)."""
    tracker = session.sparkContext.statusTracker()
    done = threading.Event()
    with progress_bar(err) as progress:
        task = progress.add_task(what, total=None, done="", rate="")

        def watch() -> None:
            while not done.wait(0.5):
                stages = [tracker.getStageInfo(s) for s in tracker.getActiveStageIds()]
                stages = [s for s in stages if s is not None]
                if stages:
                    total = sum(s.numTasks for s in stages)
                    finished = sum(s.numCompletedTasks for s in stages)
                    progress.update(task, total=total, completed=finished, done=f"{finished}/{total} tasks")

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            yield
        finally:
            done.set()
            watcher.join()


def spec_of(args: argparse.Namespace) -> Any:
    """The pipeline the options ask for, as each executor builds it."""
    if args.encoder and args.no_anatomy:
        raise SourceError("--encoder reads short reviews with the anatomy: drop --no-anatomy")
    db = args.db or os.environ.get("REELSENSE_DB")
    kb = None
    if db and not args.no_people:
        from ..kb.base import KnowledgeBase

        kb = db if KnowledgeBase.loaded(db) else None
    return _spark().PipelineSpec(
        model=str(args.model) if args.model else None,
        encoder=args.encoder,
        encoder_head=args.encoder_head,
        kb=kb,
        max_chars=args.max_chars,
        explain=not args.no_explain,
        anatomy=not args.no_anatomy,
        people=not args.no_people,
    )


def cmd_spark_analyze(args: argparse.Namespace, out: Console, err: Console) -> int:
    from pyspark.sql import functions as F

    target = Path(args.out)
    if target.exists():
        raise SourceError(f"{target}: already exists; name a new folder for the analyses")
    spark = _spark()
    fields = field_map(args)
    spec = spec_of(args)
    session = _session(args)
    began = time.perf_counter()
    records = spark.read(
        session, args.sources, format=args.format, text_field=args.text_column, id_field=args.id_column
    )
    analysed = spark.analyze(records, fields, spec=spec, batch_size=args.batch_size)
    with _tasks_bar(session, err, "analysing"):
        analysed.write.parquet(str(target))
    seconds = time.perf_counter() - began
    written = session.read.parquet(str(target))
    reasons = written.where(F.col("rejected").isNotNull()).groupBy("rejected").count().collect()
    total = written.count()
    rejected = sum(int(r["count"]) for r in reasons)
    summary = {
        "read": total,
        "analysed": total - rejected,
        "rejected": rejected,
        "seconds": round(seconds, 2),
        "reviews_per_second": round(total / seconds, 1) if seconds else None,
        "out": str(target),
    }
    if args.json:
        out.print_json(json.dumps(summary))
    else:
        out.print(
            f"{total:,} read: {total - rejected:,} analysed, {rejected:,} rejected, in {seconds:.1f} s "
            f"({summary['reviews_per_second']:,} reviews/s), written to {escape(str(target))}",
            soft_wrap=True,
        )
        for row in sorted(reasons, key=lambda r: -int(r["count"]))[:20]:
            out.print(f"  rejected {int(row['count']):,}: {escape(row['rejected'])}", soft_wrap=True)
    return EXIT_REJECTED if rejected else EXIT_OK


def cmd_spark_films(args: argparse.Namespace, out: Console, err: Console) -> int:
    from ..corpus.aggregate import FILM_ORDERS, FilmSummary
    from .corpus import _labels
    from .render import films_table

    source = Path(args.source)
    if not source.is_dir() and source.suffix != ".parquet":
        raise SourceError(f"{source}: expected the Parquet folder `reelsense spark analyze` wrote")
    spark = _spark()
    session = _session(args)
    frame = session.read.parquet(str(source))
    missing = {"analysis", "identity", "rejected"} - set(frame.columns)
    if missing:
        raise SourceError(f"{source}: no analyses here (no {', '.join(sorted(missing))} column)")
    with _tasks_bar(session, err, "totalling films"):
        reports = spark.films(frame, _labels(args))
    target = Path(args.out)
    target.mkdir(parents=True, exist_ok=True)
    with open(target / "films.jsonl", "w", encoding="utf-8") as f:
        for report in reports:
            f.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
    listed = [
        FilmSummary(
            r.key, r.title, r.year, r.reviews, r.share_positive, r.share_positive_interval, r.mean_rating,
            r.score, r.title_share, r.standing, r.score_words,
        )
        for r in reports
        if r.reviews >= args.min_reviews
    ]  # fmt: skip
    listed.sort(key=FILM_ORDERS[args.sort])
    if args.json:
        for film in listed[: args.limit or None]:
            out.file.write(json.dumps(film.to_dict(), ensure_ascii=False) + "\n")
    else:
        out.print(films_table(listed[: args.limit or 20]))
        err.print(f"{len(reports):,} films written to {escape(str(target / 'films.jsonl'))}", highlight=False)
    return EXIT_OK
