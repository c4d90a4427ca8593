"""Pull quotes against the sentences people would quote: how often is ours one of theirs?

    python bench/quotes.py --part eval     # the 60 evaluation reviews (never tuned on)
    python bench/quotes.py --part dev      # the 320 development reviews (the quote scorer's training data)

`bench/data/pull-quotes.tsv` holds, for IMDB train reviews, every sentence each annotator would
accept as the review's pull quote (`docs/labelling.md`, "Pull quotes"); the 80 reviews of the
aspect set were picked by two annotators apart (20 development, 60 evaluation), 300 more by one
each (development). A pull quote hits when it overlaps a sentence the annotator accepted. Prints,
and writes to `bench/results/quotes-PART.md`, the hit rate against each annotator and against
either, for reelsense, its previous release (`--previous`), and two plain baselines (the first
sentence; the review's strongest sentence by its own P(positive) towards the verdict), with the
ceiling: how often one annotator's first choice is among the other's accepted sentences.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from previous import PREVIOUS, analyse_with, model_name

from reelsense import Pipeline

ROOT = Path(__file__).resolve().parent.parent
PICKS = ROOT / "bench" / "data" / "pull-quotes.tsv"


def read_picks(part: str) -> dict[str, dict[str, list[tuple[int, int]]]]:
    """review id -> annotator -> accepted spans, best first (an empty list: none acceptable)."""
    picks: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    with open(PICKS, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["part"] != part:
                continue
            spans = picks[row["review_id"]][row["annotator"]]
            if row["start"] != "-":
                spans.append((int(row["start"]), int(row["end"])))
    return picks


def hits(span: tuple[int, int] | None, accepted: list[tuple[int, int]]) -> bool:
    if span is None:
        return not accepted  # saying nothing is right only where nothing is quotable
    return any(min(span[1], b) > max(span[0], a) for a, b in accepted)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "imdb")
    parser.add_argument("--part", choices=("eval", "dev"), default="eval")
    parser.add_argument("--previous", default=PREVIOUS, help="the git commit to compare with ('none': skip)")
    args = parser.parse_args()
    source = args.data / "train.jsonl.gz"
    if not source.exists():
        print(f"{source} is absent (it lives in ../shared beside the checkout)", file=sys.stderr)
        return 2
    picks = read_picks(args.part)
    with gzip.open(source, "rt", encoding="utf-8") as f:
        texts = {r["id"]: r["text"] for r in map(json.loads, f) if r["id"] in picks}
    ids = sorted(picks)
    pipeline = Pipeline()
    releases: dict[str, list[Any]] = {"reelsense": list(pipeline.analyze_many([texts[i] for i in ids]))}
    if args.previous != "none":
        releases[model_name(args.previous)] = analyse_with(args.previous, [texts[i] for i in ids])
    now = releases["reelsense"]
    chosen: dict[str, list[tuple[int, int] | None]] = {}
    for name, found in releases.items():
        chosen[name] = [(r.pull_quote.start, r.pull_quote.end) if r.pull_quote else None for r in found]
    chosen["first sentence"] = [(r.sentences[0].start, r.sentences[0].end) for r in now]
    strongest = []
    for r in now:
        side = 1 if (r.probability or 0.5) >= 0.5 else -1
        best = max(r.sentences, key=lambda s: (2 * s.score - 1) * side)
        strongest.append((best.start, best.end))
    chosen["strongest sentence towards the verdict"] = strongest
    annotators = sorted({a for i in ids for a in picks[i]})
    out = [
        f"# Pull quotes ({args.part} part), {date.today().isoformat()}",
        "",
        f"`python bench/quotes.py --part {args.part}`: {len(ids)} IMDB train reviews with every sentence "
        f"their annotators would accept as the pull quote (annotators {', '.join(annotators)}), model "
        f"{pipeline.name}.",
        "",
        "| system | " + " | ".join(f"hit, annotator {a}" for a in annotators) + " | hit, either |",
        "|---|" + "---|" * (len(annotators) + 1),
    ]
    for name, spans in chosen.items():
        cells = []
        for a in annotators:
            judged = [(span, picks[i][a]) for span, i in zip(spans, ids, strict=True) if a in picks[i]]
            cells.append(
                f"{sum(hits(s, acc) for s, acc in judged) / max(1, len(judged)):.1%} ({len(judged)})"
            )
        either = sum(
            any(hits(span, picks[i][a]) for a in picks[i]) for span, i in zip(spans, ids, strict=True)
        )
        out.append(f"| {name} | " + " | ".join(cells) + f" | {either / len(ids):.1%} |")
    pairs = [(i, a, b) for i in ids for a in picks[i] for b in picks[i] if a < b]
    if pairs:
        agree = sum(
            hits(picks[i][a][0] if picks[i][a] else None, picks[i][b])
            + hits(picks[i][b][0] if picks[i][b] else None, picks[i][a])
            for i, a, b in pairs
        )
        out += [
            "",
            f"The ceiling: on the {len(pairs)} reviews two annotators picked for, one annotator's first "
            f"choice is among the other's accepted sentences {agree / (2 * len(pairs)):.1%} of the time.",
        ]
    text = "\n".join(out) + "\n"
    print(text)
    (ROOT / "bench" / "results" / f"quotes-{args.part}.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
