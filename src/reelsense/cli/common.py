"""What the commands share: exit codes, the pipeline and records their options ask for, progress."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..errors import SourceError
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
    encoder = None
    if getattr(args, "encoder", None):
        from ..anatomy.encoder import Encoder

        if args.no_anatomy:
            raise SourceError("--encoder reads short reviews with the anatomy: drop --no-anatomy")
        encoder = Encoder(args.encoder, args.encoder_head)
    return Pipeline(
        args.model,
        encoder=encoder,
        max_chars=args.max_chars,
        explain=not args.no_explain,
        anatomy=not args.no_anatomy,
        people=not args.no_people,
        kb=db if linked else None,
    )


def field_map(args: argparse.Namespace) -> Any:
    """Where the records keep what a store keeps of them, as the options say (`corpus.ingest.FieldMap`)."""
    from ..corpus.ingest import FieldMap  # the database layer loads only for the commands that store

    return FieldMap(
        film_field=args.film_field,
        film=args.film,
        critic_field=args.critic_field,
        critic=args.critic,
        rating_field=args.rating_field,
        date_field=args.date_field,
        url_field=args.url_field,
    )


def job_count(args: argparse.Namespace) -> int:
    return args.jobs if args.jobs > 0 else (os.cpu_count() or 1)


def source_bytes(sources: Sequence[str]) -> int | None:
    """The bytes the sources hold on disk, or None when one of them is no file (standard input,
    a folder): a progress bar's total when the number of records is not known."""
    sizes = [Path(s).stat().st_size if s != "-" and Path(s).is_file() else None for s in sources]
    return None if any(size is None for size in sizes) else sum(s for s in sizes if s is not None)


def records(
    args: argparse.Namespace, on_bytes: Callable[[int], None] | None = None
) -> Iterator[Item | Rejected]:
    """Every record of the sources, in order; `on_bytes(n)` hears the bytes read of them all."""
    before = 0
    for source in args.sources:
        hear = None if on_bytes is None else (lambda n, at=before: on_bytes(at + n))
        yield from read_source(
            source, format=args.format, text_field=args.text_column, id_field=args.id_column, on_bytes=hear
        )
        if source != "-" and Path(source).is_file():
            before += Path(source).stat().st_size


def progress_bar(console: Console) -> Progress:
    """A bar with what was done ("1,204 reviews"), the rate, the time taken and, with a total, the
    time left; tasks carry `done` and `rate` fields. Off when the console is no terminal."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[done]}"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
