"""What the commands share: exit codes, the pipeline and records their options ask for, progress."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from ..inputs import read_source
from ..pipeline import Pipeline
from ..review import Item, Rejected

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_MODEL, EXIT_STORE = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130  # the shell's code for Ctrl-C


def make_pipeline(args: argparse.Namespace) -> Pipeline:
    db = args.db or os.environ.get("REELSENSE_DB")
    linked = False
    if db and not args.no_people:
        from ..kb.base import KnowledgeBase  # the database layer loads only when a database is named

        linked = KnowledgeBase.loaded(db)
    return Pipeline(
        args.model,
        max_chars=args.max_chars,
        explain=not args.no_explain,
        anatomy=not args.no_anatomy,
        people=not args.no_people,
        kb=db if linked else None,
    )


def job_count(args: argparse.Namespace) -> int:
    return args.jobs if args.jobs > 0 else (os.cpu_count() or 1)


def records(args: argparse.Namespace) -> Iterator[Item | Rejected]:
    for source in args.sources:
        yield from read_source(
            source, format=args.format, text_field=args.text_column, id_field=args.id_column
        )


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal,
    )
