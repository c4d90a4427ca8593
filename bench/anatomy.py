"""Anatomy accuracy against our hand-labelled sets, and its speed beside the verdict alone.

    python bench/anatomy.py --data ../shared/data/imdb [--part eval] [--speed-limit N] [--jobs 2] [--check]

- Sentences (bench/data/sentences.tsv, sentences of IMDB train reviews, see docs/labelling.md):
  sentiment accuracy per class and overall, opinion/narration accuracy, and how many labelled
  sentences our splitter cuts exactly the same way; on eval, a second annotator's agreement with the
  first (bench/data/sentences-second.tsv) as the ceiling to read the figures against. VADER and
  TextBlob read the same sentences (their compound / polarity with the same neutral band) for
  comparison.
- Aspects (bench/data/aspects.tsv, 80 IMDB train reviews): precision and recall of aspect detection
  and accuracy of aspect polarity, per aspect and overall.
- Speed: IMDB test end to end with the full anatomy, beside the verdict alone, in the same run.
Writes the tables to bench/results/anatomy-<part>.md. With --check it measures our sentence sentiment
alone and exits 1 below SENTIMENT_FLOOR, writing nothing: on the 400 eval sentences in seconds, or
with --part dev on the 9,000 the opinion model was fitted on (a few minutes).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from critics import aspect_cells, aspect_counts, aspects_of
from previous import PREVIOUS, analyse_with, model_name
from timing import speed_rows

from reelsense import Item, Pipeline, Review

HERE = Path(__file__).resolve().parent
CLASSES = ("positive", "neutral", "negative")
LEAN = 0.05  # how far from 0.5 a sentence's P(positive) must be to count as leaning
# Sentence sentiment accuracy well under what we measure (70% on dev and on eval,
# bench/results/anatomy-eval.md): falling below it means the rules or the opinion model broke.
SENTIMENT_FLOOR = 0.62


def read_tsv(path: Path, part: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [r for r in rows if part == "all" or r["part"] == part]


def load_reviews(data: Path, split: str, ids: set[str] | None = None) -> dict[str, dict]:
    with gzip.open(data / f"{split}.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = (json.loads(line) for line in f)
        return {r["id"]: r for r in rows if ids is None or r["id"] in ids}


def covering(review: Review, start: int, end: int) -> tuple[int, bool]:
    """The sentence overlapping [start, end) most, and whether it is exactly that span."""
    overlaps = [min(end, s.end) - max(start, s.start) for s in review.sentences]
    best = max(range(len(overlaps)), key=overlaps.__getitem__)
    s = review.sentences[best]
    return best, (s.start, s.end) == (start, end)


def band(score: float, width: float) -> str:
    """positive / neutral / negative from a −1…1 score."""
    return "positive" if score >= width else "negative" if score <= -width else "neutral"


def check(rows: list[dict[str, str]], reviews: dict[str, Review], part: str) -> int:
    """Exit status 1 if our sentence sentiment accuracy on `rows` is under SENTIMENT_FLOOR, else 0."""
    right = 0
    for row in rows:
        review = reviews[row["review_id"]]
        at, _ = covering(review, int(row["start"]), int(row["end"]))
        right += (review.sentences[at].sentiment or "neutral") == row["sentiment"]
    accuracy = right / len(rows)
    below = accuracy < SENTIMENT_FLOOR
    print(
        f"reelsense sentence sentiment on {len(rows):,} {part} sentences: accuracy {accuracy:.1%} "
        f"({'BELOW' if below else 'at or above'} the floor of {SENTIMENT_FLOOR:.0%})"
    )
    return 1 if below else 0


def sentence_table(
    rows: list[dict[str, str]], reviews: dict[str, Review], texts: dict[str, str],
    previous: dict[str, dict[str, Any]],
) -> list[str]:  # fmt: skip
    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    systems: dict[str, list[str]] = {"reelsense": [], **{name: [] for name in previous}, "VADER": [],
                                     "TextBlob": []}  # fmt: skip
    previous_kinds: dict[str, list[str]] = {name: [] for name in previous}
    kinds_true, kinds_pred, exact, split_ok = [], [], 0, 0
    narrated = []  # our sentences the labellers called plot or fact
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        review = reviews[row["review_id"]]
        at, same = covering(review, start, end)
        exact += same
        split_ok += row["split_ok"] == "yes"
        sentence = review.sentences[at]
        systems["reelsense"].append(sentence.sentiment or "neutral")
        for name, old in previous.items():
            old_review = old[row["review_id"]]
            old_sentence = old_review.sentences[covering(old_review, start, end)[0]]
            systems[name].append(old_sentence.sentiment or "neutral")
            previous_kinds[name].append(old_sentence.kind or "opinion")
        text = texts[row["review_id"]][start:end]
        systems["VADER"].append(band(vader.polarity_scores(text)["compound"], 0.3))
        systems["TextBlob"].append(band(TextBlob(text).sentiment.polarity, 0.1))
        kinds_true.append("opinion" if row["kind"] == "opinion" else "narration")
        kinds_pred.append(sentence.kind or "opinion")
        if row["kind"] != "opinion":
            narrated.append(sentence)
    truth = [r["sentiment"] for r in rows]
    lines = [
        f"Sentences: {len(rows)} hand-labelled ({Counter(truth)['positive']} positive, "
        f"{Counter(truth)['neutral']} neutral, {Counter(truth)['negative']} negative); our splitter cuts "
        f"{exact} of them exactly as labelled ({split_ok} were judged whole sentences by the labellers).",
        "",
        "| system | accuracy | positive recall | neutral recall | negative recall | macro-F1 |",
        "|---|---|---|---|---|---|",
    ]
    for name, predicted in systems.items():
        lines.append(f"| {name} | " + " | ".join(_sentiment_scores(truth, predicted)) + " |")
    opinion_true = sum(k == "opinion" for k in kinds_true)
    correct = sum(a == b for a, b in zip(kinds_true, kinds_pred, strict=True))
    narration_hit = sum(a == b == "narration" for a, b in zip(kinds_true, kinds_pred, strict=True))
    narration_said = sum(k == "narration" for k in kinds_pred)
    found = {
        kind: sum(p == "narration" for r, p in zip(rows, kinds_pred, strict=True) if r["kind"] == kind)
        for kind in ("plot", "fact")
    }
    total = Counter(r["kind"] for r in rows)
    polar_narration = sum(s.sentiment in ("positive", "negative") for s in narrated)
    leaning = sum(abs((s.score or 0.5) - 0.5) >= LEAN for s in narrated)
    lines += [
        "",
        f"Opinion vs narration ({opinion_true} opinion, {len(rows) - opinion_true} narration): accuracy "
        f"{correct / len(rows):.1%}; narration precision {narration_hit / max(1, narration_said):.1%}, "
        f"recall {narration_hit / max(1, len(rows) - opinion_true):.1%} "
        f"(always saying opinion scores {opinion_true / len(rows):.1%}; {_mcnemar(kinds_true, kinds_pred)}). "
        "Found as narration: "
        f"{found['plot']} of {total['plot']} plot sentences, {found['fact']} of {total['fact']} plain facts. "
        f"Narration given a positive or negative sentiment: {polar_narration} of {len(rows) - opinion_true} "
        f"({leaning} lean at least {LEAN} from neutral by their own P(positive)).",
    ]
    for name, kinds in previous_kinds.items():
        right = sum(a == b for a, b in zip(kinds_true, kinds, strict=True))
        lines.append(f"{name}: opinion vs narration accuracy {right / len(rows):.1%}.")
    return lines


def sentence_aspect_table(
    rows: list[dict[str, str]], texts: dict[str, str], previous_ref: str | None
) -> list[str]:
    """Aspects of single IMDB sentences, each read on its own as the annotators saw it."""
    keys = [(r["review_id"], int(r["start"]), int(r["end"])) for r in rows]
    sentences = [texts[rid][a:b] for rid, a, b in keys]
    truth = [aspects_of(r["aspects"]) for r in rows]
    releases: dict[str, list[Any]] = {"reelsense": list(Pipeline().analyze_many(sentences))}
    if previous_ref:
        releases[model_name(previous_ref)] = analyse_with(previous_ref, sentences)
    lines = [
        f"Aspects of single sentences: the {len(rows)} labelled IMDB sentences of "
        "bench/data/sentence-aspects.tsv, each read on its own (as the annotators saw it); "
        f"{sum(len(t) for t in truth)} aspect judgements in {sum(bool(t) for t in truth)} sentences.",
        "",
        "| system | precision | recall | F1 | polarity (both found) |",
        "|---|---|---|---|---|",
    ]
    for name, found in releases.items():
        got = [{a.name: a.polarity for a in r.aspects} if r is not None else {} for r in found]
        lines.append(f"| {name} | " + " | ".join(_aspect_cells(truth, got)) + " |")
    second_path = HERE / "data" / "sentence-aspects-second.tsv"
    with open(second_path, encoding="utf-8") as f:
        second = {(r["review_id"], int(r["start"]), int(r["end"])): r["aspects"]
                  for r in csv.DictReader(f, delimiter="\t")}  # fmt: skip
    shared = [k for k in keys if k in second]
    if shared:
        first = dict(zip(keys, truth, strict=True))
        cells = _aspect_cells([first[k] for k in shared], [aspects_of(second[k]) for k in shared])
        lines += [
            "",
            f"The ceiling: a second annotator on the same {len(shared)} sentences, read as a system "
            "against the first: precision / recall / F1 / polarity " + " / ".join(cells) + ".",
        ]
    return lines


def _aspect_cells(truth: Sequence[dict[str, str]], found: Sequence[dict[str, str]]) -> list[str]:
    return aspect_cells(aspect_counts(truth, found))


def _mcnemar(truth: Sequence[str], predicted: Sequence[str]) -> str:
    """The exact McNemar test of the flag against always saying opinion, on the same sentences."""
    from scipy.stats import binomtest

    gained = sum(t == p == "narration" for t, p in zip(truth, predicted, strict=True))
    lost = sum(t == "opinion" != p for t, p in zip(truth, predicted, strict=True))
    p = binomtest(gained, gained + lost).pvalue if gained + lost else 1.0
    return f"narration found {gained}, opinions lost {lost}: McNemar exact p = {p:.2g}"


def agreement_line(rows: list[dict[str, str]]) -> list[str]:
    """How often a second annotator, labelling the eval sentences blind, agreed with the first."""
    with open(HERE / "data" / "sentences-second.tsv", encoding="utf-8") as f:
        second = {(r["review_id"], r["start"]): r for r in csv.DictReader(f, delimiter="\t")}
    pairs = [
        (r, second[(r["review_id"], r["start"])]) for r in rows if (r["review_id"], r["start"]) in second
    ]
    if not pairs:
        return []
    kind = sum((a["kind"] == "opinion") == (b["kind"] == "opinion") for a, b in pairs) / len(pairs)
    sentiment = sum(a["sentiment"] == b["sentiment"] for a, b in pairs) / len(pairs)
    return [
        "",
        f"A second annotator, labelling the same {len(pairs)} sentences blind, agrees with the first on "
        f"opinion/narration {kind:.1%} and on sentiment {sentiment:.1%} of the time "
        "(bench/data/sentences-second.tsv).",
    ]


def _sentiment_scores(truth: Sequence[str], predicted: Sequence[str]) -> list[str]:
    accuracy = sum(a == b for a, b in zip(truth, predicted, strict=True)) / len(truth)
    cells = [f"{accuracy:.1%}"]
    f1s = []
    for c in CLASSES:
        tp = sum(a == b == c for a, b in zip(truth, predicted, strict=True))
        recall = tp / max(1, sum(a == c for a in truth))
        precision = tp / max(1, sum(b == c for b in predicted))
        cells.append(f"{recall:.1%}")
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    cells.append(f"{sum(f1s) / len(f1s):.3f}")
    return cells


def aspect_table(
    rows: list[dict[str, str]], reviews: dict[str, Review], previous: dict[str, dict[str, Any]]
) -> list[str]:
    truth: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        if row["aspect"] != "none":
            truth[row["review_id"]][row["aspect"]] = row["polarity"]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for rid in {r["review_id"] for r in rows}:
        found = {a.name: a.polarity for a in reviews[rid].aspects}
        for name in set(found) | set(truth[rid]):
            c = counts[name]
            if name in found and name in truth[rid]:
                c["tp"] += 1
                c["polarity_right"] += found[name] == truth[rid][name]
                c["sign_right"] += found[name] == truth[rid][name] or "mixed" in (
                    found[name],
                    truth[rid][name],
                )
            elif name in found:
                c["fp"] += 1
            else:
                c["fn"] += 1
    total: Counter[str] = sum(counts.values(), Counter())
    lines = [
        f"Aspects: {len(truth)} hand-labelled reviews, "
        f"{sum(len(v) for v in truth.values())} aspect judgements.",
        "",
        "| aspect | labelled | found | precision | recall | polarity accuracy | not opposite |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in [*sorted(counts), "all"]:
        c = total if name == "all" else counts[name]
        labelled, found = c["tp"] + c["fn"], c["tp"] + c["fp"]
        lines.append(
            f"| {name} | {labelled} | {found} | {c['tp'] / max(1, found):.1%} "
            f"| {c['tp'] / max(1, labelled):.1%} "
            f"| {c['polarity_right'] / max(1, c['tp']):.1%} | {c['sign_right'] / max(1, c['tp']):.1%} |"
        )
    lines += ["", "Polarity accuracy counts exact agreement over the aspects both found (positive/negative/"
              "mixed); 'not opposite' also accepts mixed against either side."]  # fmt: skip
    for name, old in previous.items():
        found_old = [{a.name: a.polarity for a in old[rid].aspects} for rid in sorted(truth)]
        labelled = [truth[rid] for rid in sorted(truth)]
        cells = _aspect_cells(labelled, found_old)
        now = [{a.name: a.polarity for a in reviews[rid].aspects} for rid in sorted(truth)]
        ours = _aspect_cells(labelled, now)
        lines += ["", f"Beside {name}, over the same reviews: precision / recall / F1 / polarity "
                  f"{' / '.join(ours)} now, {' / '.join(cells)} then."]  # fmt: skip
    return lines


def speed_table(data: Path, limit: int, jobs: int) -> list[str]:
    texts = [r["text"] for r in list(load_reviews(data, "test").values())[:limit]]
    variants = [
        ("verdict + rating only", Pipeline(explain=False, anatomy=False, people=False)),
        ("verdict with explanations", Pipeline(anatomy=False, people=False)),
        ("full anatomy (verdict, sentences, aspects, quote, summary)", Pipeline(people=False)),
    ]
    return speed_rows(variants, texts, jobs)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data/imdb"))
    parser.add_argument("--part", choices=("eval", "dev", "all"), default="eval")
    parser.add_argument("--speed-limit", type=int, default=25_000, help="IMDB test reviews to time (0: skip)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--previous", default=PREVIOUS, help="the git commit to compare with ('none': skip)")
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"sentence sentiment alone; exit 1 under {SENTIMENT_FLOOR:.0%} accuracy (writes no file)",
    )
    args = parser.parse_args()
    sentences = read_tsv(HERE / "data" / "sentences.tsv", args.part)
    aspects = [] if args.check else read_tsv(HERE / "data" / "aspects.tsv", args.part)
    ids = {r["review_id"] for r in sentences} | {r["review_id"] for r in aspects}
    raw = load_reviews(args.data, "train", ids)
    order = sorted(ids)
    # In batches, the pipeline's primary path: the same results as one at a time, much sooner.
    stream = Pipeline().analyze_many([Item(raw[rid]["text"], rid) for rid in order], jobs=args.jobs)
    analysed: dict[str, Review] = {}
    for rid, result in zip(order, stream, strict=True):
        if not isinstance(result, Review):
            raise SystemExit(f"{rid}: rejected ({result.reason})")
        analysed[rid] = result
    if args.check:
        return check(sentences, analysed, args.part)
    sentence_aspects = read_tsv(HERE / "data" / "sentence-aspects.tsv", args.part)
    texts = {rid: raw[rid]["text"] for rid in ids}
    texts |= {rid: row["text"] for rid, row in load_reviews(
        args.data, "train", {r["review_id"] for r in sentence_aspects} - ids).items()}  # fmt: skip
    previous: dict[str, dict[str, Any]] = {}
    if args.previous != "none":
        old = analyse_with(args.previous, [raw[rid]["text"] for rid in order])
        previous[model_name(args.previous)] = dict(zip(order, old, strict=True))
    out = [
        f"# Anatomy ({args.part} part of the hand-labelled sets), {date.today()}, "
        f"{platform.machine()} with {os.cpu_count()} cores",
        "",
        "`python bench/anatomy.py " + f"--part {args.part} --jobs {args.jobs}`",
        "",
        *sentence_table(sentences, analysed, texts, previous),
        *agreement_line(sentences),
        "",
        *aspect_table(aspects, analysed, previous),
        "",
        *sentence_aspect_table(sentence_aspects, texts, None if args.previous == "none" else args.previous),
    ]
    if args.speed_limit:
        out += [
            "",
            "Speed, IMDB test, end to end from raw text:",
            "",
            *speed_table(args.data, args.speed_limit, args.jobs),
        ]
    report = "\n".join(out)
    print(report)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / f"anatomy-{args.part}.md").write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
