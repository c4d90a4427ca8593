"""A title for every film: how often the title the corpus infers from a film's reviews is right.

    python bench/titles.py --part eval      # 80 IMDB test films (never tuned on)
    python bench/titles.py --part dev       # 80 IMDB train films (the rule was chosen on these)

`bench/data/film-titles.tsv` holds, per film (an IMDb id), the title its reviews are about as a blind
annotator read them (`docs/labelling.md`, "Film titles"; empty where no review names it), and for
the evaluation part `film-titles-second.tsv` a second annotator's, the ceiling. Every review the
split has of those films is ingested, with its film id and no title, into a fresh SQLite store, and
the store's film list (`Store.film_rows`, what `films`, `film` and the pages show) is read back.
An inferred title counts as right when it is the annotator's up to case, punctuation and a leading
article (`records.title_key`), or within a few typing slips of it (rapidfuzz ratio at least 90).
Prints, and writes to `bench/results/titles-PART.md`: of the films the annotator titled, how many get
the right title, a wrong one or none; of the films no review names, how many get a title anyway;
and, for films with one review and films with more, the share right.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz

from reelsense import Pipeline
from reelsense.corpus.ingest import FieldMap, ingest
from reelsense.corpus.records import title_key
from reelsense.corpus.store import Store
from reelsense.review import Item

HERE = Path(__file__).resolve().parent
SPLITS = {"dev": "train", "eval": "test"}


def labels(path: Path, part: str | None) -> dict[str, str]:
    with open(path, encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter="\t")
        return {r["film"]: r["title"] for r in rows if part is None or r["part"] == part}


def same_title(found: str | None, meant: str) -> bool:
    if not found or not meant:
        return False
    a, b = title_key(found), title_key(meant)
    return a == b or fuzz.ratio(a, b) >= 90


def tally(found: dict[str, str | None], meant: dict[str, str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for film, title in meant.items():
        got = found.get(film)
        if title:
            counts["titled"] += 1
            counts["right" if same_title(got, title) else "wrong" if got else "none"] += 1
        else:
            counts["unnamed"] += 1
            counts["unnamed given a title" if got else "unnamed left"] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data/imdb"))
    parser.add_argument("--part", choices=SPLITS, default="eval")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    path = args.data / f"{SPLITS[args.part]}.jsonl.gz"
    if not path.exists():
        sys.exit(f"needs {path} (the shared IMDB data)")
    meant = labels(HERE / "data" / "film-titles.tsv", args.part)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [r for r in map(json.loads, f) if r["film"] in meant]
    reviews = Counter(r["film"] for r in rows)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'titles.db'}")
        items = [Item(r["text"], r["id"], {"film": r["film"]}) for r in rows]
        ingest(store, Pipeline(), items, "imdb", FieldMap(film_field="film"), jobs=args.jobs)
        listed = {r.key: r for r in store.film_rows()}
    found = {k: r.title for k, r in listed.items()}
    counts = tally(found, meant)
    one = {k: t for k, t in meant.items() if reviews[k] == 1}
    more = {k: t for k, t in meant.items() if reviews[k] > 1}
    by_size = {name: tally(found, part) for name, part in (("one review", one), ("more reviews", more))}

    lines = [
        f"# Titles inferred from the reviews ({args.part} part), {date.today()}",
        "",
        f"`python bench/titles.py --part {args.part}`: {len(meant)} films of IMDB {SPLITS[args.part]} "
        f"({len(one)} with one review there, {len(more)} with more; {len(rows):,} reviews), ingested "
        "with their ids and no titles; each film's title as a blind annotator read it from its reviews.",
        "",
        "| films | right title | wrong title | no title |",
        "|---|---|---|---|",
        f"| the {counts['titled']} whose reviews name them | {counts['right']} "
        f"({counts['right'] / max(1, counts['titled']):.0%}) | {counts['wrong']} | {counts['none']} |",
    ]
    for name, c in by_size.items():
        lines.append(
            f"| … with {name} ({c['titled']}) | {c['right']} ({c['right'] / max(1, c['titled']):.0%}) "
            f"| {c['wrong']} | {c['none']} |"
        )
    lines += [
        "",
        f"Of the {counts['unnamed']} films no shown review names, {counts['unnamed given a title']} get a "
        "title anyway (the annotator saw at most 6 reviews of a film; the store reads all of them).",
    ]
    given = counts["right"] + counts["wrong"] + counts["unnamed given a title"]
    lines.append(
        f"Of the {given} titles shown, {counts['right']} are right ({counts['right'] / max(1, given):.0%})."
    )
    wrong = [(k, found[k], meant[k]) for k in meant if found.get(k) and not same_title(found[k], meant[k])]
    if wrong:
        lines += ["", "Titles shown that the annotator did not give (shown / annotator's):"]
        lines += [f"- {k}: {shown!r} / {title or '—'!r}" for k, shown, title in sorted(wrong)]
    if args.part == "eval":
        second = labels(HERE / "data" / "film-titles-second.tsv", None)
        agree = sum(
            same_title(second[k], t) or (not second[k] and not t) for k, t in meant.items() if k in second
        )
        lines += [
            "",
            f"The ceiling: a second annotator, blind to the first, gives the same title (or none) for "
            f"{agree} of {len(second)} films ({agree / max(1, len(second)):.0%}).",
        ]
    out = "\n".join(lines)
    print(out)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / f"titles-{args.part}.md").write_text(out + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
