"""People and films: mention quality against our hand labels, and speed with and without a knowledge base.

    python bench/people.py --data ../shared/data/imdb [--kb-names 1000000] [--speed-limit 5000] [--jobs 2]

- Quality (bench/data/mentions.tsv: our own written reviews in bench/data/people-reviews.jsonl and
  IMDB train reviews, see docs/labelling.md): precision and recall per type (a found mention counts
  when it overlaps a labelled one of the same type), role accuracy over people found, and the share
  of labelled people whose full name reelsense gives. For comparison, the same on capitalised runs
  alone (every run of capitalised words called a person), the floor any NER must beat.
- Planted errors (bench/data/people-errors.tsv, in our own reviews): how many the checks catch
  without a knowledge base (only two spellings of one name can be caught without one).
- Speed: IMDB test reviews through the whole pipeline, without the people stage, with it, and with
  it linked to a synthetic knowledge base of --kb-names people (imported here: the import rate and
  the database size per row are printed too, for estimating the full IMDb import).
Writes bench/results/people.md.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import random
import re
import tempfile
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

from timing import speed_rows

from reelsense import Pipeline, Review
from reelsense.kb.imdb import import_imdb
from reelsense.people.mentions import name_runs

HERE = Path(__file__).resolve().parent
TYPES = ("person", "film", "character", "org")


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def texts_for(ids: set[str], data: Path) -> dict[str, str]:
    own = {}
    with open(HERE / "data" / "people-reviews.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            own[row["id"]] = row["text"]
    with gzip.open(data / "train.jsonl.gz", "rt", encoding="utf-8") as f:
        imdb = {r["id"]: r["text"] for r in map(json.loads, f) if r["id"] in ids}
    return {i: own.get(i) or imdb[i] for i in ids}


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def quality(labels: list[dict[str, str]], analysed: dict[str, Review], texts: dict[str, str]) -> list[str]:
    gold: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in labels:
        if row["type"] != "none":
            gold[row["review_id"]].append(row)
    counts: dict[str, Counter[str]] = {t: Counter() for t in TYPES}
    baseline: dict[str, Counter[str]] = {"person": Counter()}
    roles = Counter()
    names = Counter()
    for rid, review in analysed.items():
        labelled = gold[rid]
        for t in TYPES:
            wanted = [(int(g["start"]), int(g["end"])) for g in labelled if g["type"] == t]
            got = [(m.start, m.end) for m in review.mentions if m.kind == t]
            counts[t]["labelled"] += len(wanted)
            counts[t]["found"] += len(got)
            counts[t]["found_right"] += sum(any(overlaps(g, w) for w in wanted) for g in got)
            counts[t]["labelled_found"] += sum(any(overlaps(w, g) for g in got) for w in wanted)
        runs = [(a, b) for a, b in name_runs(texts[rid]) if len(texts[rid][a:b].split()) >= 2]
        wanted = [(int(g["start"]), int(g["end"])) for g in labelled if g["type"] == "person"]
        baseline["person"]["found"] += len(runs)
        baseline["person"]["found_right"] += sum(any(overlaps(r, w) for w in wanted) for r in runs)
        baseline["person"]["labelled_found"] += sum(any(overlaps(w, r) for r in runs) for w in wanted)
        baseline["person"]["labelled"] += len(wanted)
        for g in labelled:
            if g["type"] != "person":
                continue
            span = (int(g["start"]), int(g["end"]))
            hit = next(
                (m for m in review.mentions if m.kind == "person" and overlaps((m.start, m.end), span)), None
            )
            if hit is None:
                continue
            roles["found"] += 1
            roles["right"] += (hit.role or "other") == g["role"]
            names["found"] += 1
            names["right"] += hit.name.lower() == g["name"].lower()
    lines = [
        f"Mentions: {len(analysed)} hand-labelled reviews, "
        f"{sum(c['labelled'] for c in counts.values())} labelled mentions.",
        "",
        "| type | labelled | found | precision | recall |",
        "|---|---|---|---|---|",
    ]
    for t in TYPES:
        c = counts[t]
        lines.append(
            f"| {t} | {c['labelled']} | {c['found']} | {c['found_right'] / max(1, c['found']):.1%} "
            f"| {c['labelled_found'] / max(1, c['labelled']):.1%} |"
        )
    b = baseline["person"]
    lines.append(
        f"| person: capitalised runs of 2+ words (baseline) | {b['labelled']} | {b['found']} "
        f"| {b['found_right'] / max(1, b['found']):.1%} | {b['labelled_found'] / max(1, b['labelled']):.1%} |"
    )
    lines += [
        "",
        f"People found: role right for {roles['right'] / max(1, roles['found']):.1%} of {roles['found']} "
        f"(no role counts as 'other'); full name right for {names['right'] / max(1, names['found']):.1%}.",
    ]
    return lines


def planted(errors: list[dict[str, str]], analysed: dict[str, Review], how: str) -> list[str]:
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for e in errors:
        review = analysed.get(e["review_id"])
        if review is None:
            continue
        by_kind[e["kind"]]["planted"] += 1
        by_kind[e["kind"]]["caught"] += any(c.kind == e["kind"] for c in review.checks)
    cells = ", ".join(f"{k} {c['caught']}/{c['planted']}" for k, c in sorted(by_kind.items()))
    false = sum(len(r.checks) for rid, r in analysed.items() if rid not in {e["review_id"] for e in errors})
    return [
        f"Planted errors caught {how}: {cells}; checks raised on reviews without a planted error: {false}."
    ]


def films(analysed: dict[str, Review]) -> list[str]:
    """How often the reviewed film is identified and linked (own/N reviews tt90000N, by construction)."""
    right = sum(
        bool(r.film and r.film.link == f"tt{9_000_000 + int(rid.split('/')[1]):07d}")
        for rid, r in analysed.items()
    )
    named = sum(r.film is not None for r in analysed.values())
    return [
        f"Reviewed film: named for {named} of {len(analysed)} own reviews, linked to the right title "
        f"(same-titled films of other years included in the base) for {right}."
    ]


def synthetic_kb(directory: Path, people: int, seed: int = 7) -> None:
    """IMDb-format files with `people` random names, a title per 5 people and 3 credits per title."""
    rng = random.Random(seed)
    first = (
        "James Mary John Anna Robert Linda Michael Sofia David Maria Akira Jean Pedro Olga Ravi Mei".split()
    )
    syllables = "ba ker son mar tin ez ov ski ber ger man ton ley ross well ford ham rin do ko ta".split()
    titles = max(10, people // 5)
    with open(directory / "name.basics.tsv", "w", encoding="utf-8") as f:
        f.write("nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles\n")
        for n in range(1, people + 1):
            surname = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()
            f.write(f"nm{n:07d}\t{rng.choice(first)} {surname}\t{rng.randint(1900, 2000)}\t\\N\tactor\t\\N\n")
    with open(directory / "title.basics.tsv", "w", encoding="utf-8") as f:
        f.write(
            "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n"
        )
        for t in range(1, titles + 1):
            title = " ".join(rng.choice(syllables).capitalize() for _ in range(2))
            f.write(f"tt{t:07d}\tmovie\t{title}\t{title}\t0\t{rng.randint(1920, 2024)}\t\\N\t90\tDrama\n")
    with open(directory / "title.principals.tsv", "w", encoding="utf-8") as f:
        f.write("tconst\tordering\tnconst\tcategory\tjob\tcharacters\n")
        for t in range(1, titles + 1):
            for k in range(3):
                f.write(f"tt{t:07d}\t{k + 1}\tnm{rng.randint(1, people):07d}\tactor\t\\N\t\\N\n")


def speed(data: Path, limit: int, jobs: int, kb_names: int) -> list[str]:
    with gzip.open(data / "test.jsonl.gz", "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(limit), f, strict=False)]
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        synthetic_kb(folder, kb_names)
        url = f"sqlite:///{folder / 'kb.sqlite'}"
        report = import_imdb(folder, url)
        rows = sum(report.rows.values())
        size = (folder / "kb.sqlite").stat().st_size
        lines += [
            f"Synthetic knowledge base: {report.rows['name.basics']:,} names, "
            f"{report.rows['title.basics']:,} titles, "
            f"{report.rows['title.principals']:,} credits; imported in {report.seconds:.1f} s "
            f"({rows / report.seconds:,.0f} rows/s), {size / rows:.0f} bytes of database per row.",
            "",
        ]
        variants = [
            ("verdict + anatomy, no people stage", Pipeline(people=False)),
            ("with people, no knowledge base", Pipeline()),
            (f"with people, linked to the {kb_names:,}-name knowledge base", Pipeline(kb=url)),
        ]
        lines += speed_rows(variants, texts, jobs)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data/imdb"))
    parser.add_argument("--kb-names", type=int, default=1_000_000)
    parser.add_argument("--speed-limit", type=int, default=5_000, help="IMDB test reviews to time (0: skip)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    labels = read_tsv(HERE / "data" / "mentions.tsv")
    ids = {r["review_id"] for r in labels}
    texts = texts_for(ids, args.data)
    pipeline = Pipeline()
    analysed = {rid: pipeline.analyze(texts[rid], id=rid) for rid in sorted(ids)}
    out = [
        f"# People and films, {date.today()}, {platform.machine()} with {os.cpu_count()} cores",
        "",
        f"`python bench/people.py --kb-names {args.kb_names} --speed-limit {args.speed_limit} "
        f"--jobs {args.jobs}`",
        "",
    ]
    for source, pattern in (("our own reviews", r"^own/"), ("IMDB train reviews", r"^train/")):
        chosen = {rid: r for rid, r in analysed.items() if re.match(pattern, rid)}
        out += [f"## {source}", "", *quality(labels, chosen, texts), ""]
    errors = read_tsv(HERE / "data" / "people-errors.tsv")
    out += planted(errors, analysed, "without a knowledge base")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'own.sqlite'}"
        import_imdb(HERE / "data" / "own-kb", url)
        linked = Pipeline(kb=url)
        own = {rid: linked.analyze(texts[rid], id=rid) for rid in sorted(ids) if rid.startswith("own/")}
        out += ["", *planted(errors, own, "with the knowledge base of their films (bench/data/own-kb)")]
        out += ["", *films(own)]
    if args.speed_limit:
        out += [
            "",
            "## Speed, IMDB test, end to end",
            "",
            *speed(args.data, args.speed_limit, args.jobs, args.kb_names),
        ]
    report = "\n".join(out)
    print(report)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "people.md").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
