"""Why the coherence stage reads short reviews whole with the sentence model: the development evidence.

    OPENBLAS_NUM_THREADS=1 python bench/short_reviews.py     # about 4 minutes

On the development critic snippets of two or more sentences, fresh/rotten by the sentence model's
polarity read out of fold (five folds of the labelled texts, as `reelsense train-sentences` fits
it) against the verdict model alone on the same snippets; and how many IMDB test reviews are short
enough (`coherence.SHORT_TOKENS`) for the coherence stage to read them this way. Reads no
evaluation row. Writes `bench/results/short-reviews.md`.
"""

from __future__ import annotations

import gzip
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

from reelsense import Pipeline, Review
from reelsense.anatomy import sentence_train as st
from reelsense.anatomy.coherence import SHORT_TOKENS
from reelsense.anatomy.sentence_model import DENSE, dense_inputs
from reelsense.text.reading import read

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


def main() -> int:
    if not (DATA / "rt" / "train.jsonl.gz").exists():
        print(f"{DATA} is absent (it lives in ../shared beside the checkout)", file=sys.stderr)
        return 2
    config = st.SentenceTrainingConfig()
    prepared = st.prepare(DATA, ROOT / "bench" / "data", config, progress=lambda m: print(m, file=sys.stderr))
    items = prepared.items
    runs: list[st.Run] = []
    main_at: list[int] = []
    for item in items:
        main_at.append(len(runs))
        runs.extend([item.run, *item.pieces])
    at = np.array(main_at)
    design = st._Design(st._shell(prepared.vocabulary, config), prepared.vectors)
    X = design.sparse([r.tokens for r in runs])
    M = design.mean_vectors([r.tokens for r in runs])
    transfer = st._score(prepared.transfer, X, M, np.zeros((len(runs), 0)), ())
    D = dense_inputs(runs, transfer, None, "polarity")
    names = DENSE["polarity"]
    polar = np.array([i.positive is not None for i in items])
    y = np.array([bool(i.positive) for i in items])
    folds = np.arange(len(items)) % config.folds
    oof = np.zeros(len(items))
    for k in range(config.folds):
        fit = at[polar & (folds != k)]
        head = st._fit_head(
            X[fit], M[fit], D[fit], names, y[polar & (folds != k)], config.C_polarity, config, True
        )
        rows = at[folds == k]
        oof[folds == k] = st._score(head, X[rows], M[rows], D[rows], names)

    snippets = [i for i in items if i.source == "rt"]
    verdict_only = Pipeline(anatomy=False, people=False)
    reviews = list(verdict_only.analyze_many([i.text for i in snippets]))
    where = {i.key: k for k, i in enumerate(items)}
    multi = [
        (i, r)
        for i, r in zip(snippets, reviews, strict=True)
        if isinstance(r, Review) and len(r.sentences) > 1
    ]
    sentence_right = sum((oof[where[i.key]] >= 0) == i.fresh for i, _ in multi)
    verdict_right = sum(((r.probability or 0.5) >= 0.5) == i.fresh for i, r in multi)

    with gzip.open(DATA / "imdb" / "test.jsonl.gz", "rt", encoding="utf-8") as f:
        lengths = [
            sum(len(t) for t in read(Review(text=json.loads(line)["text"])).layout.tokens) for line in f
        ]
    short = sum(n <= SHORT_TOKENS for n in lengths)
    text = "\n".join([
        f"# Short reviews read whole, {date.today().isoformat()}",
        "",
        f"`OPENBLAS_NUM_THREADS=1 python bench/short_reviews.py`: development critic snippets of two or more "
        f"sentences ({len(multi):,}), fresh/rotten:",
        "",
        "| reader | fresh/rotten |",
        "|---|---|",
        f"| the sentence model's polarity of the whole snippet, out of fold "
        f"| {sentence_right / len(multi):.1%} |",
        f"| the verdict model alone | {verdict_right / len(multi):.1%} |",
        "",
        f"IMDB test reviews of at most {SHORT_TOKENS} tokens: {short:,} of {len(lengths):,} "
        f"({short / len(lengths):.1%}).",
    ]) + "\n"  # fmt: skip
    print(text)
    (ROOT / "bench" / "results" / "short-reviews.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
