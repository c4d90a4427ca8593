"""Verdict accuracy and speed: reelsense beside VADER, TextBlob and an NBSVM-bi baseline, in one run.

    python bench/verdict.py --data ../shared/data/imdb [--limit N] [--jobs 2] [--check]

Every system reads the same reviews. Accuracy is reported on IMDB test (never used for training or
tuning) and on out-of-domain sets: our own one-sentence critic snippets (bench/data/snippets.tsv),
the last sentence of each IMDB test review (labelled by its review), and IMDB test lowercased with
punctuation stripped. Speed is end to end from raw text. Prints a Markdown table (the README's) and
writes it to bench/results/verdict.md. With --check it measures reelsense's IMDB test accuracy alone
and exits 1 below ACCURACY_FLOOR (`--check --limit 1000`, a spread slice, takes a few seconds).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import re
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

import reelsense
from reelsense.batching import DEFAULT_BATCH_SIZE
from reelsense.text.normalise import clean
from reelsense.text.sentences import split_sentences
from reelsense.verdict.evaluate import expected_calibration_error, macro_f1

HERE = Path(__file__).resolve().parent
# Well under what the shipped model measures on IMDB test (92.3%, bench/results/verdict.md): falling
# below it means the model or the pipeline broke, not that it drifted.
ACCURACY_FLOOR = 0.90
Predictor = Callable[[Sequence[str]], np.ndarray]  # texts -> P(positive)-like scores, 0.5 = neutral


def load(path: Path, limit: int | None) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    if limit and limit < len(rows):
        step = len(rows) / limit
        rows = [rows[int(i * step)] for i in range(limit)]
    return rows


def vader() -> Predictor:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return lambda texts: np.array([(analyzer.polarity_scores(t)["compound"] + 1) / 2 for t in texts])


def textblob() -> Predictor:
    from textblob import TextBlob

    return lambda texts: np.array([(TextBlob(t).sentiment.polarity + 1) / 2 for t in texts])


def nbsvm(train_rows: list[dict]) -> Predictor:
    """NBSVM-bi (Wang & Manning 2012) as NB-scaled logistic regression on binary uni+bigrams."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = CountVectorizer(ngram_range=(1, 2), binary=True, token_pattern=r"[^\W_]+|[!?]",
                                 preprocessor=lambda t: t.replace("<br />", " ").lower())  # fmt: skip
    X = vectorizer.fit_transform([r["text"] for r in train_rows])
    y = np.array([r["label"] == "pos" for r in train_rows])
    p = 1 + np.asarray(X[y].sum(0)).ravel()
    q = 1 + np.asarray(X[~y].sum(0)).ravel()
    ratio = np.log((p / p.sum()) / (q / q.sum()))
    model = LogisticRegression(C=1.0, solver="liblinear").fit(X.multiply(ratio).tocsr(), y)

    def predict(texts: Sequence[str]) -> np.ndarray:
        return model.predict_proba(vectorizer.transform(texts).multiply(ratio).tocsr())[:, 1]

    return predict


def reelsense_predictor(jobs: int, explain: bool, full: bool = False) -> Predictor:
    """The verdict alone, or (`full`) the default pipeline, whose coherence stage reads one-sentence
    and short reviews with the sentence model."""
    pipeline = (
        reelsense.Pipeline() if full else reelsense.Pipeline(explain=explain, anatomy=False, people=False)
    )

    def predict(texts: Sequence[str]) -> np.ndarray:
        results = pipeline.analyze_many(texts, batch_size=DEFAULT_BATCH_SIZE, jobs=jobs)
        return np.array([r.probability if isinstance(r, reelsense.Review) else 0.5 for r in results])

    return predict


def last_sentences(rows: list[dict]) -> tuple[list[str], np.ndarray]:
    texts, labels = [], []
    for r in rows:
        text = clean(r["text"]).text
        spans = split_sentences(text)
        if spans:
            a, b = spans[-1]
            if len(text[a:b].split()) >= 5:
                texts.append(text[a:b])
                labels.append(r["label"] == "pos")
    return texts, np.array(labels)


def flattened(rows: list[dict]) -> list[str]:
    return [re.sub(r"[^\w\s]", " ", r["text"].replace("<br />", " ")).lower() for r in rows]


def check(texts: Sequence[str], y: np.ndarray, jobs: int) -> int:
    """Exit status 1 if reelsense's accuracy on `texts` is under ACCURACY_FLOOR, else 0."""
    accuracy = float(((reelsense_predictor(jobs, False)(texts) >= 0.5) == y).mean())
    below = accuracy < ACCURACY_FLOOR
    print(
        f"reelsense on {len(texts):,} IMDB test reviews: accuracy {accuracy:.2%} "
        f"({'BELOW' if below else 'at or above'} the floor of {ACCURACY_FLOOR:.0%})"
    )
    return 1 if below else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="../shared/data/imdb")
    parser.add_argument("--limit", type=int, default=None, help="IMDB test reviews to use (default all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", default=str(HERE / "results" / "verdict.md"))
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"reelsense alone; exit 1 if its accuracy is under {ACCURACY_FLOOR:.0%} (writes no file)",
    )
    args = parser.parse_args()
    data = Path(args.data)

    test = load(data / "test.jsonl.gz", args.limit)
    texts = [r["text"] for r in test]
    y = np.array([r["label"] == "pos" for r in test])
    if args.check:
        return check(texts, y, args.jobs)
    stars = np.array([float(r["rating"]) for r in test])
    with open(HERE / "data" / "snippets.tsv", encoding="utf-8") as f:
        snippets = list(csv.DictReader(f, delimiter="\t"))
    snippet_texts = [s["text"] for s in snippets]
    snippet_y = np.array([s["label"] == "pos" for s in snippets])
    last_texts, last_y = last_sentences(test)
    flat_texts = flattened(test)

    # Each system is built just before it runs (the baseline's training is not timed), so that
    # no system pays for another's memory.
    systems: dict[str, Callable[[], Predictor]] = {
        f"reelsense verdict + rating (jobs={args.jobs})": lambda: reelsense_predictor(args.jobs, False),
        f"reelsense, with explanations (jobs={args.jobs})": lambda: reelsense_predictor(args.jobs, True),
        "reelsense, with explanations (jobs=1)": lambda: reelsense_predictor(1, True),
        f"reelsense, full default pipeline (jobs={args.jobs})": lambda: reelsense_predictor(
            args.jobs, True, True
        ),
        "NBSVM-bi": lambda: nbsvm(load(data / "train.jsonl.gz", None)),
        "VADER": vader,
        "TextBlob": textblob,
    }
    rows = []
    for name, build in systems.items():
        print(f"running {name} …", flush=True)
        predict = build()
        start = time.perf_counter()
        p = predict(texts)
        seconds = time.perf_counter() - start
        row = {
            "system": name,
            "imdb": float(((p >= 0.5) == y).mean()),
            "speed": len(texts) / seconds,
            "snippets": float(((predict(snippet_texts) >= 0.5) == snippet_y).mean()),
            "last": float(((predict(last_texts) >= 0.5) == last_y).mean()),
            "flat": float(((predict(flat_texts) >= 0.5) == y).mean()),
            "f1": macro_f1(p >= 0.5, y),
            "spearman": float(spearmanr(p, stars).statistic),
        }
        row["ece"] = expected_calibration_error(p, y)
        rows.append(row)

    ours = rows[0]
    pipeline = reelsense.Pipeline(explain=False, anatomy=False, people=False)
    results = list(pipeline.analyze_many(texts, batch_size=DEFAULT_BATCH_SIZE, jobs=args.jobs))
    rating = np.array([r.predicted_rating for r in results])  # the model's, not the stated grade
    verdicts = np.array([r.verdict for r in results])
    mixed = {int(s): float(np.mean(verdicts[stars == s] == "mixed")) for s in sorted(set(stars))}
    lines = [
        f"Measured {date.today().isoformat()} on {platform.machine()} with {os.cpu_count()} cores "
        f"(Python {platform.python_version()}), `python bench/verdict.py --jobs {args.jobs}"
        + (f" --limit {args.limit}" if args.limit else "")
        + "`, "
        f"{len(texts):,} IMDB test reviews, {len(snippet_texts)} snippets of ours, "
        f"{len(last_texts):,} last sentences.",
        "",
        "| system | IMDB test acc. | macro-F1 | reviews/s | our snippets | last sentences "
        "| lowercased, no punct. |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['system']} | {r['imdb']:.2%} | {r['f1']:.4f} | {r['speed']:,.0f} | {r['snippets']:.1%} "
            f"| {r['last']:.1%} | {r['flat']:.1%} |"
        )
    lines += ["", "reelsense against each peer (accuracy difference in points, speed ratio):", ""]
    for r in rows[1:]:
        lines.append(
            f"- vs {r['system']}: IMDB {100 * (ours['imdb'] - r['imdb']):+.1f} pts, "
            f"snippets {100 * (ours['snippets'] - r['snippets']):+.1f} pts, "
            f"speed ×{ours['speed'] / r['speed']:.2f}"
        )
    lines += [
        "",
        f"reelsense calibration error (ECE, 15 bins) on IMDB test: {ours['ece']:.4f}; "
        f"rating vs the reviewers' stars: MAE {np.mean(np.abs(rating - stars)):.2f}, "
        f"Spearman {spearmanr(rating, stars).statistic:.3f}.",
        "The full default pipeline's calibration error on IMDB test: "
        + ", ".join(f"{r['ece']:.4f}" for r in rows if r["system"].startswith("reelsense, full"))
        + ".",
        "Share of 'mixed' verdicts by the reviewer's stars: "
        + ", ".join(f"{s}★ {v:.1%}" for s, v in mixed.items())
        + ".",
    ]
    report = "\n".join(lines)
    print(report)
    Path(args.out).write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
