"""The `reelsense` command: a thin layer of library calls plus rendering.

Exit codes: 0 every record analysed; 1 some records rejected (each one reported); 2 bad usage
or an input that cannot be read at all; 3 a model file that cannot be used.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from . import __version__
from .errors import ModelError, SourceError
from .inputs import read_source
from .pipeline import Item, Pipeline, Rejected
from .review import Review
from .settings import SETTINGS

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_MODEL = 0, 1, 2, 3
# The settings of every command that reads and analyses reviews.
READING_SETTINGS = (
    "batch-size",
    "jobs",
    "max-chars",
    "model",
    "no-explain",
    "no-anatomy",
    "no-people",
    "db",
    "text-column",
    "id-column",
    "format",
)
DEFAULT_DATA = "../shared/data/imdb"


def _add_settings(parser: argparse.ArgumentParser, names: Sequence[str]) -> None:
    """Add declared settings as options, their help and defaults taken from `SETTINGS`."""
    for name in names:
        s = SETTINGS[name]
        if s.type is bool:
            parser.add_argument(f"--{name}", action="store_true", help=s.help.replace("%", "%%"))
        else:
            parser.add_argument(
                f"--{name}", type=s.type, default=s.default, help=f"{s.help} (default: {s.default})"
            )


def _pipeline(args: argparse.Namespace) -> Pipeline:
    db = args.db or os.environ.get("REELSENSE_DB")
    return Pipeline(
        args.model,
        max_chars=args.max_chars,
        explain=not args.no_explain,
        anatomy=not args.no_anatomy,
        people=not args.no_people,
        kb=db if db and not args.no_people else None,
    )


def _jobs(args: argparse.Namespace) -> int:
    return args.jobs if args.jobs > 0 else (os.cpu_count() or 1)


def _items(args: argparse.Namespace) -> Iterator[Item | Rejected]:
    for source in args.sources:
        yield from read_source(
            source, format=args.format, text_field=args.text_column, id_field=args.id_column
        )


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
        console=console, transient=False, disable=not console.is_terminal,
    )  # fmt: skip


def cmd_analyze(args: argparse.Namespace, out: Console, err: Console) -> int:
    from .render import review_report, summary_table

    pipeline = _pipeline(args)
    items = _items(args)
    first = list(_take(items, 2))
    single = len(first) == 1
    stream = chain(first, items)
    analysed = rejected = 0
    shown: list[Review | Rejected] = []
    with _progress(err) as progress:
        task = progress.add_task("analysing", total=None, rate="")
        for result in pipeline.analyze_many(stream, batch_size=args.batch_size, jobs=_jobs(args)):
            if isinstance(result, Rejected):
                rejected += 1
                err.print(f"[magenta]rejected[/] {result.id}: {result.reason}", highlight=False)
            else:
                analysed += 1
            if args.json:
                out.file.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            elif single and isinstance(result, Review):
                out.print(review_report(result))
            elif not single:
                shown.append(result)
            progress.update(task, advance=1)
    if shown:
        out.print(summary_table(shown))
    if not single or rejected:
        err.print(f"{analysed} analysed, {rejected} rejected", highlight=False)
    return EXIT_REJECTED if rejected else EXIT_OK


def _take(iterator: Iterator[Any], n: int) -> Iterator[Any]:
    for _ in range(n):
        try:
            yield next(iterator)
        except StopIteration:
            return


def cmd_train(args: argparse.Namespace, out: Console, err: Console) -> int:
    from .train import TrainingConfig, train

    config = TrainingConfig(limit=args.limit)
    with err.status("training") as status:
        report = train(args.data, args.out, config, progress=lambda m: status.update(f"training: {m}"))
    out.print_json(json.dumps(report))
    err.print(f"model written to {args.out}")
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace, out: Console, err: Console) -> int:
    from .evaluate import evaluate

    pipeline = _pipeline(args)
    items = _items(args)
    if args.limit:
        items = _take(items, args.limit)
    with err.status("evaluating"):
        result = evaluate(
            pipeline,
            items,
            batch_size=args.batch_size,
            jobs=_jobs(args),
            label_field=args.label_column,
        )
    if args.json:
        out.print_json(json.dumps(result.to_dict()))
        return EXIT_OK
    from rich.table import Table

    table = Table(title=f"{pipeline.model.name} on {', '.join(args.sources)}", show_header=False)
    rows = [
        ("reviews scored", f"{result.reviews:,}"),
        ("rejected / unlabelled", f"{result.rejected:,} / {result.unlabelled:,}"),
        ("accuracy", f"{result.accuracy:.2%}"),
        ("macro-F1", f"{result.macro_f1:.4f}"),
        ("calibration error (ECE)", f"{result.ece:.4f}"),
        ("mixed verdicts", f"{result.mixed_share:.1%}"),
    ]
    if result.rating_mae is not None:
        rows += [("rating MAE (stars)", f"{result.rating_mae:.2f}"),
                 ("rating Spearman", f"{result.rating_spearman:.3f}")]  # fmt: skip
    rows.append(("throughput", f"{result.reviews_per_second:,.0f} reviews/s (jobs={_jobs(args)})"))
    for name, value in rows:
        table.add_row(name, value)
    out.print(table)
    return EXIT_OK


def cmd_kb_import(args: argparse.Namespace, out: Console, err: Console) -> int:
    from .kb import database_url, import_imdb

    url = database_url(args.db)
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
        console=err, disable=not err.is_terminal,
    ) as progress:  # fmt: skip
        tasks: dict[str, TaskID] = {}

        def show(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(name, total=total)
            progress.update(tasks[name], completed=done)

        report = import_imdb(Path(args.directory), url, show)
    for name, count in report.rows.items():
        out.print(f"{name}: {count:,} rows", soft_wrap=True)
    out.print(f"knowledge base written to {url} in {report.seconds:.1f} s", soft_wrap=True)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reelsense", description="Read film reviews and explain what they say."
    )
    parser.add_argument("--version", action="version", version=f"reelsense {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyze", help="analyse reviews: a file, '-' for stdin, JSONL, CSV or a folder")
    p.add_argument("sources", nargs="+", help="review files, folders, or - for standard input")
    p.add_argument("--json", action="store_true", help="one JSON result per line on stdout")
    _add_settings(p, READING_SETTINGS)
    p.set_defaults(run=cmd_analyze)

    p = sub.add_parser("train", help="train the verdict model from the shared IMDB data")
    p.add_argument(
        "--data",
        default=DEFAULT_DATA,
        help=f"folder with train/unsup .jsonl.gz (default: {DEFAULT_DATA})",
    )
    p.add_argument(
        "--out",
        default="verdict-model.zip",
        help="where to write the model (default: verdict-model.zip)",
    )
    p.add_argument(
        "--limit", type=int, default=None, help="train on N reviews spread over train (quick runs)"
    )
    p.set_defaults(run=cmd_train)

    p = sub.add_parser(
        "evaluate", help="measure accuracy, calibration, rating error and speed on labelled data"
    )
    p.add_argument(
        "sources",
        nargs="+",
        help="labelled JSONL(.gz), CSV with a label column, or an aclImdb folder",
    )
    p.add_argument(
        "--label-column",
        default="label",
        help="field or column with the label (pos/neg, 1/0); a 'rating' field of 1–10 stars also works",
    )
    p.add_argument("--limit", type=int, default=None, help="evaluate only the first N records")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    _add_settings(p, READING_SETTINGS)
    p.set_defaults(run=cmd_evaluate)

    kb = sub.add_parser("kb", help="the film knowledge base").add_subparsers(dest="kb_command", required=True)
    p = kb.add_parser("import", help="load IMDb's dataset files (title.basics, name.basics, …) from a folder")
    p.add_argument("directory", help="folder with the IMDb .tsv.gz (or .tsv) files")
    _add_settings(p, ("db",))
    p.set_defaults(run=cmd_kb_import)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = Console(highlight=False)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return int(args.run(args, out, err))
    except SourceError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        return EXIT_USAGE
    except ModelError as exc:
        err.print(f"[red]model error:[/] {exc}", highlight=False)
        return EXIT_MODEL
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
