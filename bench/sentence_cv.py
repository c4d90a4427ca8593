"""The sentence model's knobs, chosen by cross-validation on the development labels only.

    python bench/sentence_cv.py --vector-scale 3 10 20        # about 6 minutes a value
    python bench/sentence_cv.py --C-polarity 0.05 0.1 0.2

Prepares the labelled development runs, word vectors and transfer head once (`sentence_train.prepare`),
then fits every other head for each value of one knob (`sentence_train.fit_heads`) and prints the
out-of-fold figures `reelsense train-sentences` reports: fresh/rotten of the critic snippets, the
three-way sentiment, opinion, aspect detection F1 and tone. No evaluation row is read. Run with
OPENBLAS_NUM_THREADS=1 for figures that repeat to the digit.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from reelsense.anatomy.sentence_train import SentenceTrainingConfig, fit_heads, prepare

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("cv_fresh_rotten", "cv_sentiment_3way", "cv_opinion_snippets", "cv_opinion_imdb", "cv_aspect_f1",
           "cv_aspect_tone")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--labels", type=Path, default=ROOT / "bench" / "data")
    knobs = parser.add_mutually_exclusive_group(required=True)
    for field in ("vector_scale", "C_polarity", "C_aspect", "C_tone", "C_neutral"):
        knobs.add_argument(f"--{field.replace('_', '-')}", dest=field, type=float, nargs="+")
    args = parser.parse_args()
    knob, values = next((k, v) for k, v in vars(args).items() if k not in ("data", "labels") and v)
    base = SentenceTrainingConfig()
    prepared = prepare(args.data, args.labels, base, progress=lambda m: print(m, file=sys.stderr))
    print(f"| {knob} | " + " | ".join(FIGURES) + " |")
    print("|---|" + "---|" * len(FIGURES))
    for value in values:
        _, report = fit_heads(prepared, dataclasses.replace(base, **{knob: value}))
        print(f"| {value:g} | " + " | ".join(f"{report[f]:.4f}" for f in FIGURES) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
