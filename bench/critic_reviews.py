"""Critic-style reviews we wrote, with their critics' own grades: does the rating land where they put it?

    python bench/critic_reviews.py

`bench/data/own-critic-reviews.jsonl` holds 40 reviews written for this set by one of our
annotating agents, in professional critics' prose, each with the grade its writer gave (0–10, not
in the text: the model never sees it), the verdict and the aspects meant. A second agent read the
texts alone and gave each the grade it believed the critic gave (`own-critic-second.tsv`): the
ceiling. Each system reads every review twice, as written and lowercased and tokenised the way
critic blurbs are often distributed ("it 's a charming , slow film .").
Prints, and writes to `bench/results/critic-reviews.md`: the rating's mean absolute error against
the critic's grade, the share within 1.5 points, the verdict's accuracy, and the mean rating of
the reviews that praise with reservations (graded 6–8), for reelsense, its previous release,
VADER and TextBlob (their compound / polarity read as 5 + 5·score).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
from datetime import date
from pathlib import Path
from typing import Any

from previous import PREVIOUS, analyse_with, model_name

from reelsense import Pipeline

ROOT = Path(__file__).resolve().parent.parent
REVIEWS = ROOT / "bench" / "data" / "own-critic-reviews.jsonl"
SECOND = ROOT / "bench" / "data" / "own-critic-second.tsv"
_PUNCT = re.compile(r"([.,;:!?()\"])")


def tokenised(text: str) -> str:
    """The text lowercased, punctuation set apart and clitics split, as critic blurbs are distributed."""
    low = _PUNCT.sub(r" \1 ", text.lower().replace("\u2019", "'"))
    low = re.sub(r"(\w)('s|'re|'ve|'ll|'d|n't)\b", r"\1 \2", low)
    return " ".join(low.split())


def verdict_of(grade: float) -> str:
    """The verdict a 0–10 grade stands for (as the writer and the second reader were told)."""
    return "positive" if grade > 6 else "negative" if grade < 5 else "mixed"


def row(
    name: str,
    grades: list[float],
    truth: list[str],
    ratings: list[float],
    verdicts: list[str],
    reserved: list[int],
) -> str:
    errors = [abs(a - b) for a, b in zip(grades, ratings, strict=True)]
    right = sum(a == b for a, b in zip(truth, verdicts, strict=True))
    held = statistics.mean(ratings[i] for i in reserved) if reserved else float("nan")
    return (
        f"| {name} | {statistics.mean(errors):.2f} | {sum(e <= 1.5 for e in errors) / len(errors):.0%} "
        f"| {right / len(truth):.0%} | {held:.1f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--previous", default=PREVIOUS, help="the git commit to compare with ('none': skip)")
    args = parser.parse_args()
    reviews = [json.loads(line) for line in REVIEWS.read_text(encoding="utf-8").splitlines() if line.strip()]
    grades = [float(r["grade"]) for r in reviews]
    truth = [r["verdict"] for r in reviews]
    reserved = [i for i, r in enumerate(reviews) if r["verdict"] == "positive" and 6 <= r["grade"] <= 8]

    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    pipeline = Pipeline()
    out = [
        f"# Critic-style reviews with the critics' own grades, {date.today().isoformat()}",
        "",
        f"`python bench/critic_reviews.py`: {len(reviews)} reviews we wrote (mean grade "
        f"{statistics.mean(grades):.2f}; {len(reserved)} praise with reservations, graded 6–8, mean "
        f"{statistics.mean(grades[i] for i in reserved):.2f}), model "
        f"{pipeline.name}. Rating error is against the critic's grade, hidden from every system.",
        "",
    ]
    spread: dict[str, list[float]] = {}
    for form, texts in (
        ("as written", [r["text"] for r in reviews]),
        ("lowercased and tokenised", [tokenised(r["text"]) for r in reviews]),
    ):
        out += [
            f"Read {form}:",
            "",
            "| system | rating MAE | within 1.5 | verdict (positive / mixed / negative) "
            "| mean rating, praise with reservations |",
            "|---|---|---|---|---|",
        ]
        releases: dict[str, list[Any]] = {"reelsense": list(pipeline.analyze_many(texts))}
        if args.previous != "none":
            releases[model_name(args.previous)] = analyse_with(args.previous, texts)
        for name, found in releases.items():
            ratings = [r.predicted_rating if getattr(r, "predicted_rating", None) is not None else r.rating
                       for r in found]  # fmt: skip
            out.append(row(name, grades, truth, ratings, [r.verdict for r in found], reserved))
            spread[name] = sorted(round(ratings[i], 1) for i in reserved)
        for name, scores in (
            ("VADER", [vader.polarity_scores(t)["compound"] for t in texts]),
            ("TextBlob", [TextBlob(t).sentiment.polarity for t in texts]),
        ):
            ratings = [5 + 5 * s for s in scores]
            out.append(row(name, grades, truth, ratings, [verdict_of(x) for x in ratings], reserved))
        out.append("")
        out += [f"{name}'s ratings of the reviews that praise with reservations: "
                + ", ".join(f"{x:g}" for x in values) + ".  " for name, values in spread.items()]  # fmt: skip
        out.append("")
    with open(SECOND, encoding="utf-8") as f:
        second = {r["id"]: r for r in csv.DictReader(f, delimiter="\t")}
    blind = [float(second[r["id"]]["grade"]) for r in reviews]
    out += [
        "The ceiling, a second reader who saw the texts alone:",
        "",
        "| reader | rating MAE | within 1.5 | verdict | mean rating, praise with reservations |",
        "|---|---|---|---|---|",
        row(
            "blind second reader",
            grades,
            truth,
            blind,
            [second[r["id"]]["verdict"] for r in reviews],
            reserved,
        ),
    ]
    text = "\n".join(out) + "\n"
    print(text)
    (ROOT / "bench" / "results" / "critic-reviews.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
