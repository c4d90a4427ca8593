"""Real critics' one-line snippets: reelsense beside its previous release, VADER and TextBlob, against
blind labels.

    python bench/critics.py --part eval      # the 400 evaluation snippets (never tuned on)
    python bench/critics.py --part dev       # the 4,900 development snippets (the sentence model's
                                             # training data: its own out-of-fold figures are in
                                             # `reelsense train-sentences`'s report)

Reads the labels of `bench/data/rt-snippets.tsv` (ids and labels only; `docs/labelling.md`, "Critic
snippets"), the texts from `../shared/data/rt/train.jsonl.gz`, and for the evaluation part the
second annotator's labels (`bench/data/rt-snippets-second.tsv`), whose agreement with the first is
the ceiling to read the figures against. Prints, and writes to `bench/results/critics-PART.md`:
- fresh/rotten: the snippet's side by the dataset's own mark (the review's), two classes;
- snippet sentiment, three classes, against the annotator. reelsense's is neutral when every
  sentence reads neutral or the verdict is mixed, else the verdict's side; VADER's and TextBlob's
  are their compound / polarity with the neutral band the anatomy bench uses (±0.3, ±0.1);
- opinion or narration: reelsense says opinion when any sentence of the snippet is one;
- aspects judged: detection precision / recall / F1 and polarity over the aspects both found;
- contradictions: one-sentence snippets whose verdict has the other side from their sentence.
The previous release (`--previous`, a git commit; `previous.py`) runs in a child process on the
same snippets in the same run. With `--encoder DIR` (a sentence-transformers folder with the head
`reelsense train-encoder` learnt for it) reelsense reads them with that encoder too, the speed of
each reading, one process, is timed on the same snippets, and IMDB test's verdicts are scored with
and without it (the issue asks that IMDB test not fall).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from previous import PREVIOUS, analyse_with, model_name

from reelsense import Pipeline, Review

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "bench" / "data" / "rt-snippets.tsv"
SECOND = ROOT / "bench" / "data" / "rt-snippets-second.tsv"
CLASSES = ("positive", "neutral", "negative")
T = TypeVar("T")


def read_labels(path: Path, part: str | None) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return {r["snippet_id"]: r for r in rows if part is None or r.get("part", part) == part}


def aspects_of(cell: str) -> dict[str, str]:
    """`acting:positive;story:negative` as {aspect: polarity}; `none` as {}."""
    if cell.strip() in ("", "none"):
        return {}
    return dict(item.split(":", 1) for item in cell.split(";"))


def band(score: float, width: float) -> str:
    return "positive" if score >= width else "negative" if score <= -width else "neutral"


def our_sentiment(review: Any) -> str:
    if all(s.sentiment == "neutral" for s in review.sentences) or review.verdict == "mixed":
        return "neutral"
    return "positive" if (review.probability or 0.5) >= 0.5 else "negative"


def sentiment_cells(truth: Sequence[str], predicted: Sequence[str]) -> list[str]:
    """Accuracy, recall per class and macro-F1."""
    pairs = list(zip(truth, predicted, strict=True))
    cells = [f"{sum(a == b for a, b in pairs) / len(pairs):.1%}"]
    f1s = []
    for c in CLASSES:
        tp = sum(a == b == c for a, b in pairs)
        recall = tp / max(1, sum(a == c for a, _ in pairs))
        precision = tp / max(1, sum(b == c for _, b in pairs))
        cells.append(f"{recall:.1%}")
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    cells.append(f"{sum(f1s) / len(f1s):.3f}")
    return cells


def aspect_counts(truth: Sequence[dict[str, str]], found: Sequence[dict[str, str]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for t, f in zip(truth, found, strict=True):
        both = set(t) & set(f)
        counts["tp"] += len(both)
        counts["fp"] += len(set(f) - set(t))
        counts["fn"] += len(set(t) - set(f))
        counts["polarity"] += sum(t[a] == f[a] for a in both)
    return counts


def aspect_cells(counts: Counter[str]) -> list[str]:
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return [
        f"{precision:.1%}",
        f"{recall:.1%}",
        f"{f1:.3f}",
        f"{counts['polarity'] / max(1, counts['tp']):.1%}",
    ]


def analysed(pipeline: Pipeline, texts: Sequence[str], jobs: int = 1) -> list[Review]:
    reviews = [r for r in pipeline.analyze_many(texts, jobs=jobs) if isinstance(r, Review)]
    assert len(reviews) == len(texts), "a snippet was rejected"
    return reviews


def timed(seconds: dict[str, float], name: str, work: Callable[[], T]) -> T:
    began = time.perf_counter()
    result = work()
    seconds[name] = time.perf_counter() - began
    return result


def imdb_with_and_without(source: Path, encoder: Path) -> str:
    """IMDB test read by the default pipeline (no people stage: it cannot change a verdict) with
    and without the encoder, two workers each: the encoder reads only its short reviews."""
    from reelsense.verdict.evaluate import expected_calibration_error

    with gzip.open(source, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    truth = np.array([r["label"] == "pos" for r in rows])
    cells = []
    for name, pipeline in (
        ("without", Pipeline(people=False)),
        ("with", Pipeline(people=False, encoder=encoder)),
    ):
        p = np.array([r.probability for r in analysed(pipeline, [r["text"] for r in rows], jobs=2)])
        ece = expected_calibration_error(p, truth)
        cells.append(f"{name} the encoder {((p >= 0.5) == truth).mean():.2%} (ECE {ece:.4f})")
    return f"IMDB test ({len(rows):,} reviews), verdict accuracy: " + "; ".join(cells) + "."


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "rt")
    parser.add_argument("--part", choices=("eval", "dev"), default="eval")
    parser.add_argument("--previous", default=PREVIOUS, help="the git commit to compare with ('none': skip)")
    parser.add_argument("--encoder", type=Path, help="also read with this encoder (reelsense train-encoder)")
    args = parser.parse_args()
    source = args.data / "train.jsonl.gz"
    if not source.exists():
        print(f"{source} is absent (it lives in ../shared beside the checkout)", file=sys.stderr)
        return 2
    labels = read_labels(LABELS, args.part)
    with gzip.open(source, "rt", encoding="utf-8") as f:
        rows = {r["id"]: r for r in map(json.loads, f) if r["id"] in labels}
    ids = [i for i in labels if i in rows]

    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    texts = [rows[i]["text"] for i in ids]
    pipeline = Pipeline()
    seconds: dict[str, float] = {}
    reviews = timed(seconds, "reelsense", lambda: analysed(pipeline, texts))
    releases: dict[str, Sequence[Any]] = {"reelsense": reviews}
    if args.encoder is not None:
        import torch

        torch.set_num_threads(1)  # per core, like every other figure here
        encoded = Pipeline(encoder=args.encoder)
        encoded.analyze("A warm-up, so that loading the encoder is not timed.")
        name = f"reelsense with the encoder ({args.encoder.name})"
        releases[name] = timed(seconds, name, lambda: analysed(encoded, texts))
    if args.previous != "none":
        releases[model_name(args.previous)] = analyse_with(args.previous, texts)
    vader_scores = timed(seconds, "VADER", lambda: [vader.polarity_scores(t)["compound"] for t in texts])
    blob_scores = [TextBlob(t).sentiment.polarity for t in texts]
    fresh = [rows[i]["label"] == "pos" for i in ids]
    sentiment = [labels[i]["sentiment"] for i in ids]
    opinion = [labels[i]["kind"] == "opinion" for i in ids]
    truth_aspects = [aspects_of(labels[i]["aspects"]) for i in ids]

    systems: dict[str, Any] = {
        name: (
            [(r.probability or 0.5) >= 0.5 for r in found],
            [our_sentiment(r) for r in found],
            [any(s.kind == "opinion" for s in r.sentences) for r in found],
        )
        for name, found in releases.items()
    }
    systems |= {
        "VADER": ([v >= 0 for v in vader_scores], [band(v, 0.3) for v in vader_scores], None),
        "TextBlob": ([b >= 0 for b in blob_scores], [band(b, 0.1) for b in blob_scores], None),
    }
    encoder_flag = f" --encoder …/{args.encoder.name}" if args.encoder is not None else ""
    out = [
        f"# Critic snippets ({args.part} part), {date.today().isoformat()}",
        "",
        f"`python bench/critics.py --part {args.part}{encoder_flag}`: {len(ids)} real critic snippets "
        f"(Rotten Tomatoes, lowercased and tokenised), labelled blind ({Counter(sentiment)['positive']} "
        f"positive, {Counter(sentiment)['neutral']} neutral, {Counter(sentiment)['negative']} negative; "
        f"{sum(opinion)} opinions), model {pipeline.name}.",
        "",
        "| system | fresh/rotten | sentiment (3 classes) | positive recall | neutral recall "
        "| negative recall | macro-F1 | opinion vs narration |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, (side, three, kinds) in systems.items():
        binary = sum(a == b for a, b in zip(side, fresh, strict=True)) / len(ids)
        kind_cell = (
            f"{sum(a == b for a, b in zip(kinds, opinion, strict=True)) / len(ids):.1%}" if kinds else "—"
        )
        out.append(
            f"| {name} | {binary:.1%} | "
            + " | ".join(sentiment_cells(sentiment, three))
            + f" | {kind_cell} |"
        )
    out.append(f"\nAlways saying opinion scores {sum(opinion) / len(ids):.1%} on opinion vs narration here.")
    if args.encoder is not None:
        out.append(
            "\nSpeed on these snippets, one process (torch with one thread), end to end: "
            + ", ".join(f"{name} {len(ids) / t:,.0f} snippets/s" for name, t in seconds.items())
            + "."
        )
    out += [
        "",
        f"Aspects judged: {sum(len(a) for a in truth_aspects)} labelled in "
        f"{sum(bool(a) for a in truth_aspects)} snippets.",
        "",
        "| | precision | recall | F1 | polarity (both found) |",
        "|---|---|---|---|---|",
    ]
    for name, found in releases.items():
        counts = aspect_counts(truth_aspects, [{a.name: a.polarity for a in r.aspects} for r in found])
        out.append(f"| {name} | " + " | ".join(aspect_cells(counts)) + " |")
    out.append("")
    for name, found in releases.items():
        single = [r for r in found if len(r.sentences) == 1]
        contradictions = sum(
            1
            for r in single
            if r.sentences[0].sentiment in ("positive", "negative")
            and r.verdict in ("positive", "negative")
            and r.sentences[0].sentiment != r.verdict
        )
        out.append(f"Contradictions, {name}: {contradictions} of {len(single)} one-sentence snippets have a "
                   "verdict on the other side from their sentence's sentiment.  ")  # fmt: skip
    if args.part == "eval" and SECOND.exists():
        second = read_labels(SECOND, None)
        shared = [i for i in ids if i in second]
        agree = sum(labels[i]["sentiment"] == second[i]["sentiment"] for i in shared) / max(1, len(shared))
        kind = sum((labels[i]["kind"] == "opinion") == (second[i]["kind"] == "opinion") for i in shared)
        pair = aspect_counts([aspects_of(labels[i]["aspects"]) for i in shared],
                             [aspects_of(second[i]["aspects"]) for i in shared])  # fmt: skip
        out += [
            "",
            f"The ceiling: a second annotator, blind to the first, on the same {len(shared)} snippets "
            f"agrees on sentiment {agree:.1%}, on opinion vs narration {kind / max(1, len(shared)):.1%}; "
            "on aspects (the second read as a system against the first) precision / recall / F1 / polarity "
            + " / ".join(aspect_cells(pair))
            + ".",
        ]
    if args.encoder is not None:
        out += ["", imdb_with_and_without(args.data.parent / "imdb" / "test.jsonl.gz", args.encoder)]
    text = "\n".join(out) + "\n"
    print(text)
    (ROOT / "bench" / "results" / f"critics-{args.part}.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
