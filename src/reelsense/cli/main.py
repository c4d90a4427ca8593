"""The `reelsense` command: a thin layer of library calls plus rendering.

Exit codes: 0 every record analysed; 1 some records rejected (each one reported); 2 bad usage
or an input that cannot be read at all; 3 a model file that cannot be used.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from itertools import chain
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console
from rich.markup import escape

from .. import __version__
from ..errors import ModelError, SourceError, StoreError
from ..review import Item, Rejected, Review
from ..settings import SETTINGS, Setting
from .common import (
    EXIT_INTERRUPTED,
    EXIT_MODEL,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_STORE,
    EXIT_USAGE,
    job_count,
    make_pipeline,
    progress_bar,
    records,
    source_bytes,
)
from .corpus import (
    cmd_export,
    cmd_film,
    cmd_films,
    cmd_ingest,
    cmd_kb_import,
    cmd_reanalyze,
    cmd_rejects,
    cmd_search,
    cmd_serve,
    cmd_token_create,
    cmd_token_list,
    cmd_token_revoke,
)

# What `reelsense export` writes (`corpus.export.TABLES`, named here so --help needs no database layer).
EXPORT_TABLES = ("reviews", "films", "aspects", "mentions")
# The thresholds of a film's standing words (`corpus.aggregate.Labels`).
LABEL_SETTINGS = (
    "liked-share",
    "liked-reviews",
    "widely-liked-share",
    "widely-liked-reviews",
    "score-reviews",
)
# What says how reviews are analysed: the models and the stages that run.
ANALYSIS_SETTINGS = ("max-chars", "model", "encoder", "encoder-head", "no-explain", "no-anatomy", "no-people")
# Where records keep what a store keeps of them (`corpus.ingest.FieldMap`).
FIELD_SETTINGS = ("film-field", "film", "critic-field", "critic", "rating-field", "date-field", "url-field")
# The settings of every command that reads and analyses reviews.
READING_SETTINGS = (
    "batch-size",
    "jobs",
    *ANALYSIS_SETTINGS,
    "db",
    "text-column",
    "id-column",
    "format",
)


def _add_settings(parser: argparse.ArgumentParser, command: str, names: Sequence[str]) -> None:
    """Add declared settings as options of `command`: help, default, type and choices from `SETTINGS`."""
    for name in names:
        s = SETTINGS[name].for_command(command)
        help = s.help_text().replace("%", "%%")
        if s.type is bool:
            parser.add_argument(s.flag, action="store_true", help=help)
        elif s.repeat:
            parser.add_argument(s.flag, action="append", type=_parser_of(s), default=s.default, help=help)
        else:
            parser.add_argument(
                s.flag, type=_parser_of(s), default=s.default, choices=s.choices or None, help=help
            )


def _parser_of(setting: Setting) -> Callable[[str], Any]:
    """The setting's parse, its refusals turned into argparse's usage errors (exit 2)."""

    def parse(text: str) -> Any:
        try:
            return setting.parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def cmd_analyze(args: argparse.Namespace, out: Console, err: Console) -> int:
    from .render import review_report, summary_table

    pipeline = make_pipeline(args)
    size = source_bytes(args.sources)  # the bar goes by bytes read: the records are not counted first
    progress = progress_bar(err)
    task = progress.add_task("analysing", total=size, done="", rate="")
    items = records(args, (lambda n: progress.update(task, completed=n)) if size else None)
    first = list(_take(items, 2))
    single = len(first) == 1
    stream = chain(first, items)
    analysed = rejected = 0
    shown: list[Review | Rejected] = []
    began = time.perf_counter()
    # one review: its report alone, no bar drawn into it
    with nullcontext() if single else progress:
        for result in pipeline.analyze_many(stream, batch_size=args.batch_size, jobs=job_count(args)):
            if isinstance(result, Rejected):
                rejected += 1
                err.print(f"[magenta]rejected[/] {escape(f'{result.id}: {result.reason}')}", highlight=False)
            else:
                analysed += 1
            if args.json:
                out.file.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            elif single and isinstance(result, Review):
                out.print(review_report(result))
            elif not single:
                shown.append(result)
            done = analysed + rejected
            rate = done / max(1e-9, time.perf_counter() - began)
            progress.update(task, done=f"{done:,} reviews", rate=f"{rate:,.0f}/s")
            if not size:
                progress.update(task, completed=done)
    if shown:
        out.print(summary_table(shown))
    if not single or rejected:
        err.print(f"{analysed} analysed, {rejected} rejected", highlight=False)
    return EXIT_REJECTED if rejected else EXIT_OK


SAMPLE_SEED = 20261204


def sample(items: Iterable[Item | Rejected], n: int) -> list[Item | Rejected]:
    """N records drawn at random (reservoir sampling, seeded: the same N every run) from a stream of
    any length, in their input order: a file's first N may all be of one kind."""
    rng = random.Random(SAMPLE_SEED)
    kept: list[tuple[int, Item | Rejected]] = []
    for i, item in enumerate(items):
        if i < n:
            kept.append((i, item))
        elif (j := rng.randrange(i + 1)) < n:
            kept[j] = (i, item)
    return [item for _, item in sorted(kept, key=lambda k: k[0])]


def _take(iterator: Iterator[Any], n: int) -> Iterator[Any]:
    for _ in range(n):
        try:
            yield next(iterator)
        except StopIteration:
            return


def cmd_train(args: argparse.Namespace, out: Console, err: Console) -> int:
    from ..verdict.train import TrainingConfig, train

    config = TrainingConfig(limit=args.limit)
    with err.status("training") as status:
        report = train(args.data, args.out, config, progress=lambda m: status.update(f"training: {m}"))
    out.print_json(json.dumps(report))
    err.print(f"model written to {args.out}")
    return EXIT_OK


def cmd_train_opinion(args: argparse.Namespace, out: Console, err: Console) -> int:
    from ..anatomy.train import train_opinion

    with err.status("training the opinion model") as status:
        report = train_opinion(
            args.data, args.labels, args.out, progress=lambda m: status.update(f"training: {m}")
        )
    out.print_json(json.dumps(report))
    err.print(f"opinion model written to {args.out}")
    return EXIT_OK


def cmd_train_sentences(args: argparse.Namespace, out: Console, err: Console) -> int:
    from ..anatomy.sentence_train import train_sentence_model

    with err.status("training the sentence model") as status:
        model, report = train_sentence_model(
            args.data, args.labels, progress=lambda m: status.update(f"training: {m}")
        )
    model.save(args.out)
    out.print_json(json.dumps(report))
    err.print(f"sentence model written to {args.out}")
    return EXIT_OK


def cmd_train_encoder(args: argparse.Namespace, out: Console, err: Console) -> int:
    from ..anatomy.encoder import HEAD_FILE, train_encoder_head

    if not args.encoder:
        err.print("error: say which encoder to learn a head for: --encoder DIR")
        return EXIT_USAGE
    folder = Path(args.encoder)
    if not folder.is_dir():
        err.print(
            f"error: encoder {args.encoder}: no such folder (a sentence-transformers model saved to disk)"
        )
        return EXIT_USAGE
    target = Path(args.out) if args.out else folder / HEAD_FILE
    with progress_bar(err) as bar:
        task = bar.add_task("embedding the development snippets", total=None, done="", rate="")
        head = train_encoder_head(
            folder, Path(args.data), Path(args.labels),
            progress=lambda n, total: bar.update(task, completed=n, total=total, done=f"{n:,} of {total:,}"),
        )  # fmt: skip
    target.write_text(head.to_json(), encoding="utf-8")
    out.print_json(json.dumps(head.report))
    err.print(f"encoder head written to {target}")
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace, out: Console, err: Console) -> int:
    from ..verdict.evaluate import evaluate

    pipeline = make_pipeline(args)  # without the people stage (set_defaults in build_parser)
    items: Iterable[Item | Rejected] = records(args)
    if args.limit:
        items = sample(items, args.limit)
    with err.status("evaluating"):
        result = evaluate(
            pipeline,
            items,
            batch_size=args.batch_size,
            jobs=job_count(args),
            label_field=args.label_column,
        )
    if result.one_class:
        err.print(
            f"[yellow]warning:[/] every labelled review scored is {result.one_class}: accuracy says little "
            "and macro-F1 is at most 0.5; give records of both kinds",
            highlight=False,
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
        rows += [
            ("rating MAE (stars)", f"{result.rating_mae:.2f}"),
            ("rating Spearman", f"{result.rating_spearman:.3f}"),
        ]
    rows.append(("throughput", f"{result.reviews_per_second:,.0f} reviews/s (jobs={job_count(args)})"))
    for name, value in rows:
        table.add_row(name, value)
    out.print(table)
    return EXIT_OK


# A few lines of use for each command's --help (after its options).
EXAMPLES = {
    "analyze": ["reelsense analyze review.txt", "reelsense analyze reviews.jsonl --json > out.jsonl",
                "cat review.txt | reelsense analyze -", "reelsense analyze reviews.csv --text-column body"],
    "evaluate": ["reelsense evaluate ../shared/data/imdb/test.jsonl.gz --jobs 2",
                 "reelsense evaluate labelled.csv --label-column verdict --limit 2000"],
    "train": ["reelsense train --data ../shared/data/imdb --out model.zip"],
    "train-opinion": ["reelsense train-opinion --out opinion-model.json"],
    "train-sentences": ["reelsense train-sentences --out sentence-model.zip"],
    "train-encoder": ["reelsense train-encoder --encoder ~/models/all-mpnet-base-v2",
                      "reelsense analyze snippets.jsonl --encoder ~/models/all-mpnet-base-v2 --json"],
    "kb import": ["reelsense kb import ~/imdb-datasets --db sqlite:///films.sqlite"],
    "ingest": ["reelsense ingest ../shared/data/imdb/test.jsonl.gz --film-field film --rating-field rating",
               'reelsense ingest reviews/ --film "Some Film (2019)" --critic "A. Critic"'],
    "films": ["reelsense films --min-reviews 10", "reelsense films --sort score --json | head"],
    "film": ['reelsense film "Past Lives (2023)"', "reelsense film tt0876563 --json"],
    "search": ['reelsense search "haunting score"', 'reelsense search "wooden acting" --film Ponyo'],
    "rejects": ["reelsense rejects --limit 20"],
    "export": ["reelsense export reviews --out reviews.parquet",
               "reelsense export films --to csv > films.csv"],
    "serve": ["reelsense serve --workers 2", "reelsense serve --private --log"],
    "token create": ['reelsense token create "Our Desk"'],
    "token list": ["reelsense token list"],
    "token revoke": ["reelsense token revoke 3"],
    "reanalyze": ["reelsense reanalyze --jobs 2"],
    "spark analyze": [
        "reelsense spark analyze reviews.jsonl --out analysed --master 'local[2]'",
        "reelsense spark analyze /mnt/archive/reviews/ --out /mnt/archive/analysed "
        "--master spark://head:7077 --film-field film --critic-field critic",
    ],
    "spark films": [
        "reelsense spark films analysed --out films",
        "reelsense ingest analysed --db postgresql+psycopg://…/reelsense   # serve a Spark-made corpus",
    ],
    "completion": ["eval \"$(reelsense completion bash)\"      # in ~/.bashrc (zsh: after bashcompinit)"],
}  # fmt: skip


class Parser(argparse.ArgumentParser):
    """argparse with a suggestion for a mistyped command or option ("did you mean 'ingest'?")."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}{_suggestion(message)}\n")


def _suggestion(message: str) -> str:
    """'; did you mean …?' for an invalid choice or an unknown option, where one is close."""
    choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if choice:
        options = re.findall(r"'([^']*)'", choice.group(2))
        close = difflib.get_close_matches(choice.group(1), options, n=1)
    else:
        unknown = re.search(r"unrecognized arguments: (\S+)", message)
        if not unknown or not unknown.group(1).startswith("--"):
            return ""
        flags = {f for p in commands().values() for a in p._actions for f in a.option_strings}
        close = difflib.get_close_matches(unknown.group(1), sorted(flags), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="reelsense", description="Read film reviews and explain what they say.")
    parser.add_argument("--version", action="version", version=f"reelsense {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyze", help="analyse reviews: a file, '-' for stdin, JSONL, CSV or a folder")
    p.add_argument("sources", nargs="+", help="review files, folders, or - for standard input")
    _add_settings(p, "analyze", ("json", *READING_SETTINGS))
    p.set_defaults(run=cmd_analyze)

    p = sub.add_parser("train", help="train the verdict model from the shared IMDB data")
    _add_settings(p, "train", ("data", "out", "limit"))
    p.set_defaults(run=cmd_train)

    p = sub.add_parser("train-opinion", help="train the opinion/narration model from our labelled sentences")
    _add_settings(p, "train-opinion", ("data", "labels", "out"))
    p.set_defaults(run=cmd_train_opinion)

    p = sub.add_parser(
        "train-sentences",
        help="train the sentence model (sentiment, opinion, aspects) from our labels and the shared data",
    )
    _add_settings(p, "train-sentences", ("data", "labels", "out"))
    p.set_defaults(run=cmd_train_sentences)

    p = sub.add_parser(
        "train-encoder",
        help="learn the head an encoder (a local sentence-transformers model) reads short reviews with",
    )
    _add_settings(p, "train-encoder", ("encoder", "data", "labels", "out"))
    p.set_defaults(run=cmd_train_encoder)

    p = sub.add_parser(
        "evaluate", help="measure accuracy, calibration, rating error and speed on labelled data"
    )
    p.add_argument(
        "sources",
        nargs="+",
        help="labelled JSONL(.gz), CSV with a label column, or an aclImdb folder",
    )
    # The verdict is what is measured: the people stage cannot change it, so it does not run (the
    # anatomy does: a short review's verdict is its sentences' reading).
    reading = tuple(s for s in READING_SETTINGS if s != "no-people")
    _add_settings(p, "evaluate", ("label-column", "limit", "json", *reading))
    p.set_defaults(no_people=True)
    p.set_defaults(run=cmd_evaluate)

    kb = sub.add_parser("kb", help="the film knowledge base").add_subparsers(dest="kb_command", required=True)
    p = kb.add_parser("import", help="load IMDb's dataset files (title.basics, name.basics, …) from a folder")
    p.add_argument("directory", help="folder with the IMDb .tsv.gz (or .tsv) files")
    _add_settings(p, "kb import", ("db",))
    p.set_defaults(run=cmd_kb_import)

    p = sub.add_parser(
        "ingest", help="analyse reviews and store them in the database (idempotent, resumable)"
    )
    p.add_argument("sources", nargs="+", help="review files, folders, or - for standard input")
    _add_settings(p, "ingest", ("json", *READING_SETTINGS, *FIELD_SETTINGS))
    p.set_defaults(run=cmd_ingest)

    p = sub.add_parser("films", help="every film in the database, ranked, with its share of positive reviews")
    _add_settings(p, "films", ("limit", "json", "db", "min-reviews", "sort", *LABEL_SETTINGS))
    p.set_defaults(run=cmd_films)

    p = sub.add_parser("film", help="one film's report: score, rating histogram, aspects, consensus, quotes")
    p.add_argument(
        "key", help="the film's key as `reelsense films` lists it (an IMDb tt id, or title (year))"
    )
    _add_settings(p, "film", ("json", "db", *LABEL_SETTINGS))
    p.set_defaults(run=cmd_film)

    p = sub.add_parser("search", help="full-text search over the stored reviews")
    p.add_argument("query", help="words that must all appear")
    _add_settings(p, "search", ("film", "limit", "json", "db"))
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("rejects", help="the records ingest could not analyse, with their reasons")
    _add_settings(p, "rejects", ("limit", "json", "db"))
    p.set_defaults(run=cmd_rejects)

    p = sub.add_parser("serve", help="the JSON API (/v1, docs at /docs) and the web pages")
    _add_settings(
        p,
        "serve",
        (
            "db",
            "model",
            "encoder",
            "encoder-head",
            "host",
            "port",
            "workers",
            "private",
            "header-timeout",
            "log",
            *LABEL_SETTINGS,
        ),
    )
    p.set_defaults(run=cmd_serve)

    token = sub.add_parser("token", help="API tokens for the web service").add_subparsers(
        dest="token_command", required=True
    )
    p = token.add_parser("create", help="make a token for writing through the API (printed once)")
    p.add_argument("name", help="who the token is for: stored reviews are credited to this source")
    _add_settings(p, "token create", ("db",))
    p.set_defaults(run=cmd_token_create)
    p = token.add_parser("list", help="the tokens issued, by id and name (tokens are kept as hashes)")
    _add_settings(p, "token list", ("db",))
    p.set_defaults(run=cmd_token_list)
    p = token.add_parser("revoke", help="revoke a token: its requests are refused from now on")
    p.add_argument("id", type=int, help="the token's id, from `reelsense token list`")
    _add_settings(p, "token revoke", ("db",))
    p.set_defaults(run=cmd_token_revoke)

    p = sub.add_parser(
        "export",
        help="the corpus out as a table: reviews, films, aspects or mentions, to CSV, JSON lines or Parquet",
    )
    p.add_argument("table", choices=EXPORT_TABLES, help="which table: " + ", ".join(EXPORT_TABLES))
    _add_settings(p, "export", ("out", "to", "db", *LABEL_SETTINGS))
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("completion", help="a shell completion script: eval it in your shell's start-up file")
    p.add_argument("shell", choices=("bash", "zsh"), help="bash, or zsh (through bashcompinit)")
    p.set_defaults(run=cmd_completion)

    spark = sub.add_parser(
        "spark", help="the pipeline on Spark, for corpora one machine is too slow for (reelsense[spark])"
    ).add_subparsers(dest="spark_command", required=True)
    p = spark.add_parser("analyze", help="analyse files on Spark and write one Parquet row per record")
    p.add_argument("sources", nargs="+", help="review files or folders every executor can read")
    spark_reading = [s for s in READING_SETTINGS if s != "jobs"]  # Spark's cores are the jobs
    _add_settings(p, "spark analyze", ("out", "master", "conf", "json", *spark_reading, *FIELD_SETTINGS))
    p.set_defaults(run=_spark_command("cmd_spark_analyze"))
    p = spark.add_parser(
        "films", help="per-film reports, totalled in Spark SQL, from `spark analyze`'s Parquet"
    )
    p.add_argument("source", help="the folder `reelsense spark analyze` wrote")
    _add_settings(
        p, "spark films", ("out", "master", "conf", "json", "limit", "min-reviews", "sort", *LABEL_SETTINGS)
    )
    p.set_defaults(run=_spark_command("cmd_spark_films"))

    p = sub.add_parser("reanalyze", help="re-run stored reviews whose analysis an older model made")
    _add_settings(
        p,
        "reanalyze",
        ("db", "jobs", *ANALYSIS_SETTINGS),
    )
    p.set_defaults(run=cmd_reanalyze)
    for command, sub_parser in commands(parser).items():
        if command in EXAMPLES:
            sub_parser.epilog = "examples:\n" + "\n".join(f"  {line}" for line in EXAMPLES[command])
            sub_parser.formatter_class = argparse.RawDescriptionHelpFormatter
    return parser


def _spark_command(name: str) -> Callable[[argparse.Namespace, Console, Console], int]:
    """A `reelsense spark` command, its module (and pyspark) loaded only when it runs."""

    def run(args: argparse.Namespace, out: Console, err: Console) -> int:
        from . import spark

        return int(getattr(spark, name)(args, out, err))

    return run


def cmd_completion(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Print a completion script for bash (zsh reads it through bashcompinit): commands, then each
    command's options."""
    table = commands()
    tops = sorted({c.split()[0] for c in table})
    cases = []
    for command, sub_parser in sorted(table.items()):
        flags = sorted(f for a in sub_parser._actions for f in a.option_strings if f.startswith("--"))
        cases.append(f'        "{command}") opts="{" ".join(flags)}" ;;')
    groups: dict[str, list[str]] = {}
    for command in table:
        top, _, rest = command.partition(" ")
        if rest:  # "kb import", "token list": the second word completes too
            groups.setdefault(top, []).append(rest)
    nested = [f'        "{top}") opts="{" ".join(sorted(subs))}" ;;' for top, subs in sorted(groups.items())]
    script = "\n".join(
        [
            "# reelsense completion (reelsense completion bash)",
            *(["autoload -U +X bashcompinit && bashcompinit"] if args.shell == "zsh" else []),
            "_reelsense() {",
            '    local cur="${COMP_WORDS[COMP_CWORD]}" command="${COMP_WORDS[1]}" opts',
            '    if [ "$COMP_CWORD" -eq 1 ]; then',
            f'        opts="{" ".join(tops)} --help --version"',
            '    elif [ "$COMP_CWORD" -eq 2 ] && [[ "$cur" != -* ]]; then',
            '        case "$command" in',
            *nested,
            "        esac",
            "    fi",
            '    if [ -z "$opts" ]; then',
            '        [ "$COMP_CWORD" -ge 3 ] && command="$command ${COMP_WORDS[2]}"',
            '        case "$command" in',
            *cases,
            "        esac",
            '        [[ "$cur" == -* ]] || { COMPREPLY=($(compgen -f -- "$cur")); return; }',
            "    fi",
            '    COMPREPLY=($(compgen -W "$opts" -- "$cur"))',
            "}",
            "complete -o filenames -F _reelsense reelsense",
        ]
    )
    out.file.write(script + "\n")
    return EXIT_OK


def commands(parser: argparse.ArgumentParser | None = None) -> dict[str, argparse.ArgumentParser]:
    """Every command as typed ("analyze", "kb import") and its parser."""
    found: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    command = f"{prefix} {name}".strip()
                    if any(isinstance(a, argparse._SubParsersAction) for a in sub._actions):
                        walk(sub, command)
                    else:
                        found[command] = sub

    walk(parser or build_parser(), "")
    return found


def options_table() -> str:
    """The README's table of options, made from the declared settings and the commands taking them."""
    takes: dict[str, list[str]] = {}
    for command, parser in commands().items():
        for action in parser._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag[2:] in SETTINGS:
                    takes.setdefault(flag[2:], []).append(command)
    rows = ["| option | commands | default | meaning |", "|---|---|---|---|"]
    for name, s in SETTINGS.items():
        if s.type is bool:
            default = "off"
        else:
            default = "—" if s.default is None else f"`{s.default}`"
            default += "".join(f"; {command}: `{value}`" for command, value in s.defaults.items())
        choices = f" ({', '.join(s.choices)})" if s.choices else ""
        used = ", ".join(takes.get(name, []))
        rows.append(f"| `{s.flag}` | {used} | {default} | {s.help.replace('|', '/')}{choices} |")
    return "\n".join(rows) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = Console(highlight=False)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return int(args.run(args, out, err))
    except SourceError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
        return EXIT_USAGE
    except ModelError as exc:
        err.print(f"[red]model error:[/] {escape(str(exc))}", highlight=False)
        return EXIT_MODEL
    except StoreError as exc:
        err.print(f"[red]database error:[/] {escape(str(exc))}", highlight=False)
        return EXIT_STORE
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        # Each stored batch is one transaction: what was stored stays, the batch in flight is not.
        err.print("interrupted: what was stored is kept; re-run the same command to resume", highlight=False)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
