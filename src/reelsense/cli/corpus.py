"""The corpus commands: kb import, ingest, films, film, search, rejects, export, reanalyze, serve, tokens."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..inputs import read_source
from ..review import Item, Review
from .common import (
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    field_map,
    job_count,
    make_pipeline,
    progress_bar,
    source_bytes,
)


def cmd_kb_import(args: argparse.Namespace, out: Console, err: Console) -> int:
    from ..corpus.store import database_url
    from ..kb.imdb import import_imdb

    url = database_url(args.db)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not err.is_terminal,
    ) as progress:
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


def _store(args: argparse.Namespace, existing: bool = False) -> Any:
    """The store `--db` names; `existing` for the commands that only read (never make a database)."""
    from ..corpus.store import Store

    return Store(args.db, existing=existing)


def _labels(args: argparse.Namespace) -> Any:
    """The standing words' thresholds the options give (`corpus.aggregate.Labels`)."""
    from ..corpus.aggregate import Labels

    return Labels(
        args.liked_share,
        args.liked_reviews,
        args.widely_liked_share,
        args.widely_liked_reviews,
        args.score_reviews,
    )


def _analysed_parquet(path: Path) -> bool:
    """Whether a path holds analysis rows (what `reelsense spark analyze` writes), to store as they are."""
    from ..columnar import is_analysis, is_parquet, parquet_columns

    return path.exists() and is_parquet(path) and is_analysis(parquet_columns(path))


def cmd_ingest(args: argparse.Namespace, out: Console, err: Console) -> int:
    from ..columnar import parquet_row_count, parquet_rows
    from ..corpus.ingest import IngestReport, ingest, ingest_analysed

    store = _store(args)
    pipeline = make_pipeline(args)
    fields = field_map(args)
    total = IngestReport()
    with progress_bar(err) as progress:
        for source in args.sources:
            analysed = source != "-" and _analysed_parquet(Path(source))  # by `reelsense spark analyze`
            # the bar goes by bytes read where the file's size is known, by rows for analyses
            size = parquet_row_count(Path(source)) if analysed else source_bytes([source])
            task = progress.add_task(f"ingesting {Path(source).name}", total=size, done="", rate="")

            def read(n: int, task: TaskID = task) -> None:
                progress.update(task, completed=n)

            items = read_source(
                source,
                format=args.format,
                text_field=args.text_column,
                id_field=args.id_column,
                on_bytes=read if size else None,
            )

            def show(
                report: IngestReport, task: TaskID = task, size: int | None = size, analysed: bool = analysed
            ) -> None:
                rate = report.read / max(1e-9, report.seconds) if report.seconds else 0
                progress.update(task, done=f"{report.read:,} reviews", rate=f"{rate:,.0f}/s" if rate else "")
                if not size or analysed:
                    progress.update(task, completed=report.read)

            name = Path(source).name if source != "-" else "stdin"
            if analysed:
                report = ingest_analysed(store, parquet_rows(Path(source)), progress=show)
                total.add(report)
                continue
            report = ingest(
                store,
                pipeline,
                items,
                name,
                fields,
                batch_size=args.batch_size,
                jobs=job_count(args),
                progress=show,
            )
            total.add(report)
    if args.json:
        out.print_json(json.dumps(total.to_dict()))
    else:
        out.print(
            f"{total.read:,} read: {total.stored:,} stored, {total.already_stored:,} already stored, "
            f"{total.rejected:,} rejected, in {total.seconds:.1f} s "
            f"({total.read / max(total.seconds, 1e-9):,.0f} reviews/s)",
            soft_wrap=True,
        )
        for reason, n in sorted(total.reasons.items(), key=lambda kv: -kv[1]):
            out.print(f"  rejected {n:,}: {escape(reason)}", soft_wrap=True)
        if total.ratings_unread:
            out.print(
                f"  {total.ratings_unread:,} stored without their --rating-field value, which is no 0–10 "
                "rating or grade",
                soft_wrap=True,
            )
    return EXIT_REJECTED if total.rejected else EXIT_OK


def cmd_films(args: argparse.Namespace, out: Console, err: Console) -> int:
    from ..corpus.aggregate import FILM_ORDERS, film_listing
    from .render import films_table

    if args.sort not in FILM_ORDERS:
        err.print(f"[red]error:[/] --sort must be one of {', '.join(FILM_ORDERS)}")
        return EXIT_USAGE
    store = _store(args, existing=True)
    listed = film_listing(store.film_rows(args.min_reviews), args.sort, labels=_labels(args))
    if args.limit:
        listed = listed[: args.limit]
    if args.json:
        for film in listed:
            out.file.write(json.dumps(film.to_dict(), ensure_ascii=False) + "\n")
    else:
        out.print(films_table(listed))
    hidden = store.films_below(args.min_reviews) if args.min_reviews > 1 else 0
    if hidden:
        err.print(
            f"{hidden:,} more film{'s' if hidden != 1 else ''} with fewer than {args.min_reviews} reviews "
            f"{'are' if hidden != 1 else 'is'} left out: --min-reviews 1 lists every film",
            highlight=False,
        )
    return EXIT_OK


def cmd_film(args: argparse.Namespace, out: Console, err: Console) -> int:
    from .render import film_panel

    store = _store(args, existing=True)
    row = store.find_film(args.key)  # its key, as `films` shows it, or its title
    if row is None:
        err.print(
            "[red]error:[/] "
            + escape(f"no film {args.key!r} in {args.db or 'the database'}: see `reelsense films`")
        )
        return EXIT_USAGE
    report = store.film_report(row, _labels(args))
    if args.json:
        out.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        out.print(film_panel(report))
    return EXIT_OK


def cmd_search(args: argparse.Namespace, out: Console, err: Console) -> int:
    store = _store(args, existing=True)
    film = args.film
    if film is not None:  # its key, as `films` shows it, or its title
        row = store.find_film(film)
        film = row.key if row else film
    found = store.search(args.query, film=film, limit=args.limit)
    if args.json:
        for hit in found:
            out.file.write(json.dumps(hit.to_dict(), ensure_ascii=False) + "\n")
        return EXIT_OK
    from .render import search_table

    out.print(search_table(found, args.query))
    return EXIT_OK


def cmd_rejects(args: argparse.Namespace, out: Console, err: Console) -> int:
    rows = _store(args, existing=True).rejected(args.limit)
    if args.json:
        for row in rows:
            out.file.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
    else:
        for row in rows:
            out.print(
                f"{escape(row.source)}  {escape(row.record_id)}: [magenta]{escape(row.reason)}[/]",
                soft_wrap=True,
            )
        from .render import counted

        out.print(counted(len(rows), "rejected record"), soft_wrap=True)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, out: Console, err: Console) -> int:
    from ..corpus.export import count_rows, export, format_of
    from .render import counted

    store = _store(args, existing=True)
    fmt = format_of(args.out, args.to)
    if fmt == "parquet" and args.out == "-":
        err.print("[red]error:[/] Parquet is written to a file: --out NAME.parquet")
        return EXIT_USAGE
    total = count_rows(store, args.table)
    target = sys.stdout.buffer if args.out == "-" else Path(args.out)
    with progress_bar(err) as progress:
        task = progress.add_task(f"exporting {args.table}", total=total, done="", rate="")
        written = export(
            store, args.table, target, fmt, labels=_labels(args),
            progress=lambda n: progress.update(task, completed=n, done=f"{n:,} rows"),
        )  # fmt: skip
    where = "standard output" if args.out == "-" else args.out
    err.print(escape(f"{counted(written, 'row')} of {args.table} written to {where} as {fmt}"))
    return EXIT_OK


def cmd_reanalyze(args: argparse.Namespace, out: Console, err: Console) -> int:
    store = _store(args)
    pipeline = make_pipeline(args)
    done = 0
    with progress_bar(err) as progress:
        task = progress.add_task("reanalysing", total=store.stale_count(pipeline.name), done="", rate="")
        for batch in store.stale(pipeline.name):
            results = list(pipeline.analyze_many([Item(text) for _, text in batch], jobs=job_count(args)))
            store.replace_analyses(
                [
                    (review_id, r)
                    for (review_id, _), r in zip(batch, results, strict=True)
                    if isinstance(r, Review)
                ]
            )
            done += len(batch)
            progress.update(task, completed=done, done=f"{done:,} reviews")
    out.print(f"{done:,} analyses brought up to date with {pipeline.name}", soft_wrap=True)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Serve the app; with several workers, each rebuilds it from the settings `serve` hands over."""
    try:
        from ..web.serving import serve
    except ImportError:
        err.print("serve: the web service is an extra: pip install 'reelsense[server]' (make test has it)")
        return EXIT_USAGE

    from ..corpus.store import database_url
    from ..web.settings import WebSettings

    if args.encoder:  # a head that does not fit its encoder is said now, not by the first request
        from ..anatomy.encoder import Encoder

        Encoder(args.encoder, args.encoder_head)
    settings = WebSettings.for_database(
        database_url(args.db), private=args.private, model=args.model, labels=_labels(args),
        encoder=args.encoder, encoder_head=args.encoder_head,
    )  # fmt: skip
    err.print(f"serving {settings.database} on http://{args.host}:{args.port} (API docs at /docs)")
    serve(
        settings,
        host=args.host,
        port=args.port,
        workers=args.workers,
        header_seconds=args.header_timeout,
        log=args.log,
    )
    return EXIT_OK


def cmd_token_create(args: argparse.Namespace, out: Console, err: Console) -> int:
    token = _store(args).create_token(args.name)
    out.print(token, soft_wrap=True)
    err.print(f"API token for {args.name!r}: shown once, stored only as its hash. Send it as "
              "'Authorization: Bearer <token>'.")  # fmt: skip
    return EXIT_OK


def cmd_token_list(args: argparse.Namespace, out: Console, err: Console) -> int:
    tokens = _store(args, existing=True).tokens()
    for token_id, name in tokens:
        out.print(f"{token_id}  {escape(name)}", soft_wrap=True, highlight=False)
    err.print(f"{len(tokens)} API tokens (revoke one with `reelsense token revoke ID`)")
    return EXIT_OK


def cmd_token_revoke(args: argparse.Namespace, out: Console, err: Console) -> int:
    if not _store(args, existing=True).revoke_token(args.id):
        err.print(f"[red]error:[/] no API token {args.id}: see `reelsense token list`")
        return EXIT_USAGE
    err.print(f"API token {args.id} revoked: requests with it are refused from now on")
    return EXIT_OK
