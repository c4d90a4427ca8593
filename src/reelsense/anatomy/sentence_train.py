"""Train the sentence model (`sentence_model.py`) from our blind labels and the shared data.

    reelsense train-sentences --data ../shared/data --labels bench/data --out sentence-model.zip

Reads only development rows (`part` dev; evaluation rows are never read):
- `rt-snippets.tsv`: critic snippets (texts from `DATA/rt/train.jsonl.gz`) with the annotator's
  sentiment and aspects, and the dataset's fresh/rotten mark;
- `sentences.tsv`: IMDB train sentences with the annotator's sentiment;
- `sentence-aspects.tsv`: IMDB train sentences with the annotator's aspects;
and every IMDB train and unsup sentence, for the word vectors and, with its review's label, the
transfer head. The steps:
1. word vectors (PPMI, then SVD, as the opinion model's) and the vocabulary;
2. `transfer`: naive-Bayes-scaled logistic regression of IMDB train sentences on their review's
   label;
3. `polarity`: the same over the labelled runs that lean (the snippets by fresh/rotten, the IMDB
   sentences the annotator called positive or negative), with the dense readings and the mean
   word vector;
4. `neutral`, `opinion` and one head per aspect: logistic regressions over the labelled runs,
   the polarity read out of fold; each aspect's threshold (and the neutral one) chosen for F1
   (for the three-way accuracy) out of fold; one `tone` head per aspect over the runs that judge
   it one way, reading the piece of the sentence that names it;
5. the pull-quote scorer (`quotes.QUOTE_FEATURES`), on the development picks of
   `pull-quotes.tsv`, the reviews read with the heads just fitted.
The vector part of each head folds into one lean per word. Seeded throughout; run it with one
BLAS thread (`OPENBLAS_NUM_THREADS=1`, as `make train` does: threads may sum in another order), and
the same data gives the same bytes.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..batching import DEFAULT_BATCH_SIZE, batched
from ..errors import SourceError
from ..review import Review
from ..stage import Stage
from ..text.normalise import clean
from ..text.reading import layout_of, read
from ..text.sentences import split_sentences
from ..text.tokens import tokenize
from ..verdict.features import NEGATORS
from ..verdict.model import VerdictModel
from ..verdict.stage import VerdictStage
from ..verdict.train import fit_logistic, nb_ratio, read_jsonl
from .aspects import ASPECTS
from .opinion import FAINT_PRAISE
from .quotes import HAND_QUOTE
from .sentence_model import (
    DENSE,
    HEADS,
    SENTENCE_MODEL_FORMAT,
    Run,
    SentenceModel,
    dense_inputs,
    distinct,
    kind_of,
)
from .train import OpinionTrainingConfig, word_vectors

__all__ = [
    "SentenceTrainingConfig",
    "train_sentence_model",
    "prepare",
    "fit_heads",
    "Prepared",
    "LabelledRun",
    "labelled_runs",
    "run_of",
    "read_tsv",
]


@dataclass(frozen=True)
class SentenceTrainingConfig:
    """The knobs of the sentence model; the defaults build the shipped one."""

    bits: int = 18
    max_n: int = 2
    negation_scope: int = 3
    min_count: int = 3  # a word's count over the training text to have an id
    dimensions: int = 150
    window: int = 4
    vector_min_count: int = 15
    vector_scale: float = 10.0  # the mean word vector's scale beside the n-grams (3, 10, 20 tried: 10)
    C_transfer: float = 0.3
    C_polarity: float = 0.1
    C_neutral: float = 0.3
    C_aspect: float = 0.3
    C_tone: float = 0.3
    folds: int = 5
    max_iter: int = 2000
    seed: int = 20261203
    max_transfer_tokens: int = 60


@dataclass
class LabelledRun:
    """A labelled text read as one run: its reading, and its labels (None where not labelled)."""

    source: str  # "rt" or "imdb"
    key: str
    text: str
    run: Run
    positive: bool | None = None  # for the polarity head
    sentiment: str | None = None  # the annotator's three-way label
    aspects: dict[str, str] | None = None  # the annotator's aspects, {} for none
    fresh: bool | None = None
    opinion: bool | None = None  # the annotator's kind: opinion, or plot/fact
    pieces: list[Run] = field(default_factory=list)  # the runs `run.pieces` points to


def _aspects_of(cell: str) -> dict[str, str]:
    if cell.strip() in ("", "none"):
        return {}
    return dict(item.split(":", 1) for item in cell.split(";"))


def read_tsv(path: Path) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8") as f:
            return list(csv.DictReader(f, delimiter="\t"))
    except OSError as exc:
        raise SourceError(f"cannot read labels {path}: {exc.strerror}") from exc


def run_of(verdict_model: VerdictModel, texts: Sequence[str]) -> list[list[Run]]:
    """Each text read as one run, as the anatomy reads a short review (`stage.whole_text_runs`):
    its run first, then the runs it points to for its aspects."""
    from .stage import read_sentences, whole_text_runs  # the stage imports this module's model

    verdict = VerdictStage(verdict_model, explain=False)
    out: list[list[Run]] = []
    for chunk in batched(list(texts), DEFAULT_BATCH_SIZE):
        reviews = verdict.pipe([read(Review(text=t)) for t in chunk])
        readings = read_sentences(verdict_model, [(r, layout_of(r)) for r in reviews])
        out.extend(whole_text_runs(layout_of(r), doc) for r, doc in zip(reviews, readings, strict=True))
    return out


def labelled_runs(data: Path, labels: Path, model: VerdictModel, part: str = "dev") -> list[LabelledRun]:
    """The labelled texts of one part, read as runs: critic snippets first, then IMDB sentences."""
    rt = {row["id"]: row for row in read_jsonl(data / "rt" / "train.jsonl.gz")}
    items: list[LabelledRun] = []
    for r in read_tsv(labels / "rt-snippets.tsv"):
        if r["part"] != part:
            continue
        if r["snippet_id"] not in rt:
            raise SourceError(f"snippet {r['snippet_id']} is not in {data / 'rt' / 'train.jsonl.gz'}")
        source = rt[r["snippet_id"]]
        fresh = source["label"] == "pos"
        items.append(
            LabelledRun("rt", r["snippet_id"], source["text"], Run(()), fresh, r["sentiment"],
                        _aspects_of(r["aspects"]), fresh, r["kind"] == "opinion")
        )  # fmt: skip
    by_key: dict[str, LabelledRun] = {}
    for r in read_tsv(labels / "sentences.tsv"):
        if r["part"] != part:
            continue
        key = f"{r['review_id']}:{r['start']}:{r['end']}"
        polar = {"positive": True, "negative": False}.get(r["sentiment"])
        opinion = r["kind"] == "opinion"
        by_key[key] = LabelledRun("imdb", key, "", Run(()), polar, r["sentiment"], None, None, opinion)
    for r in read_tsv(labels / "sentence-aspects.tsv"):
        if r["part"] != part:
            continue
        key = f"{r['review_id']}:{r['start']}:{r['end']}"
        item = by_key.setdefault(key, LabelledRun("imdb", key, "", Run(())))
        item.aspects = _aspects_of(r["aspects"])
    if by_key:
        ids = {k.rsplit(":", 2)[0] for k in by_key}
        texts = {
            row["id"]: row["text"] for row in read_jsonl(data / "imdb" / "train.jsonl.gz") if row["id"] in ids
        }
        for key, item in sorted(by_key.items()):
            review_id, start, end = key.rsplit(":", 2)
            if review_id not in texts:
                raise SourceError(f"labelled review {review_id} is not in {data / 'imdb' / 'train.jsonl.gz'}")
            item.text = texts[review_id][int(start) : int(end)]
            items.append(item)
    for item, runs in zip(items, run_of(model, [item.text for item in items]), strict=True):
        item.run, item.pieces = runs[0], runs[1:]
    return items


def _imdb_sentences(data: Path) -> Iterator[tuple[list[str], bool | None]]:
    """Every sentence of IMDB unsup and train with its review's label (None for unsup)."""
    for split in ("unsup", "train"):
        for row in read_jsonl(data / "imdb" / f"{split}.jsonl.gz"):
            text = clean(row["text"]).text
            label = None if split == "unsup" else row["label"] == "pos"
            for a, b in split_sentences(text):
                tokens = tokenize(text[a:b])
                if tokens:
                    yield tokens, label


class _Design:
    """Features of runs for fitting: the sparse binary n-grams and the mean word vector."""

    def __init__(self, hasher_model: SentenceModel, vectors: np.ndarray) -> None:
        self.model = hasher_model
        self.vectors = vectors  # (vocabulary + 1, d): row 0 (unknown) zero

    def sparse(self, token_runs: Sequence[Sequence[str]]) -> sp.csr_matrix:
        hasher = self.model.hasher
        ids = [[hasher.ids(t)] for t in token_runs]
        occ = hasher.occurrences(ids)
        size = np.int64(hasher.size)
        key = distinct(occ.doc * size + occ.feature)
        rows, cols = key // size, key % size
        return sp.csr_matrix((np.ones(len(key)), (rows, cols)), shape=(len(token_runs), hasher.size))

    def mean_vectors(self, token_runs: Sequence[Sequence[str]]) -> np.ndarray:
        hasher = self.model.hasher
        out = np.zeros((len(token_runs), self.vectors.shape[1]))
        for r, tokens in enumerate(token_runs):
            known = [i for i in hasher.ids(tokens) if i]
            if known:
                out[r] = self.vectors[known].mean(axis=0)
        return out


@dataclass(frozen=True)
class _Head:
    sparse: np.ndarray  # per bucket
    lean_vector: np.ndarray  # per vector dimension (already scaled)
    dense: dict[str, float]
    intercept: float


def _fit_head(
    X: sp.csr_matrix, M: np.ndarray, D: np.ndarray, dense_names: Sequence[str], y: np.ndarray,
    C: float, config: SentenceTrainingConfig, nb: bool,
) -> _Head:  # fmt: skip
    """A logistic regression over [sparse (NB-scaled when `nb`) | scaled mean vector | dense]."""
    r = nb_ratio(X, y) if nb else np.ones(X.shape[1])
    parts = [X @ sp.diags(r)]
    if M.shape[1]:
        parts.append(sp.csr_matrix(M * config.vector_scale))
    if D.shape[1]:
        parts.append(sp.csr_matrix(D))
    Z = sp.hstack(parts).tocsr()
    w, b = fit_logistic(Z, y, C, config.max_iter)
    n, d = X.shape[1], M.shape[1]
    return _Head(
        sparse=w[:n] * r,
        lean_vector=w[n : n + d] * config.vector_scale,
        dense=dict(zip(dense_names, w[n + d :].tolist(), strict=True)),
        intercept=b,
    )


def _score(head: _Head, X: sp.csr_matrix, M: np.ndarray, D: np.ndarray, names: Sequence[str]) -> np.ndarray:
    z = X @ head.sparse + M @ head.lean_vector + head.intercept
    if names:
        z = z + D @ np.array([head.dense[k] for k in names])
    return np.asarray(z)


@dataclass
class Prepared:
    """What every fit of the heads reads: the labelled runs, the vocabulary, the word vectors and the
    transfer head (the slow part of training, kept apart so experiments can reuse it)."""

    items: list[LabelledRun]
    vocabulary: list[str]
    vectors: np.ndarray  # (vocabulary + 1, d), row 0 (unknown words) zero
    transfer: _Head


def prepare(
    data: str | Path,
    labels: str | Path,
    config: SentenceTrainingConfig = SentenceTrainingConfig(),
    progress: Callable[[str], None] = lambda message: None,
    model: VerdictModel | None = None,
) -> Prepared:
    """Read the labelled development runs, learn the vocabulary and word vectors, fit the transfer head."""
    data, labels = Path(data), Path(labels)
    verdict_model = model or VerdictModel.load()
    progress("reading the labelled development runs")
    items = labelled_runs(data, labels, verdict_model)
    progress("counting words and word vectors (IMDB unsup and train)")
    held = list(_imdb_sentences(data))
    counts = Counter(t for tokens, _ in held for t in tokens)
    counts.update(t for item in items for t in item.run.tokens)
    vocabulary = sorted(w for w, n in counts.items() if n >= config.min_count)
    vector_config = OpinionTrainingConfig(
        dimensions=config.dimensions,
        window=config.window,
        min_count=config.vector_min_count,
        seed=config.seed,
    )
    vector_words, vector_rows = word_vectors(iter([tokens for tokens, _ in held]), vector_config)
    at = {w: i for i, w in enumerate(vector_words)}
    vectors = np.zeros((len(vocabulary) + 1, vector_rows.shape[1]))
    for i, w in enumerate(vocabulary, start=1):
        if w in at:
            vectors[i] = vector_rows[at[w]]
    # Sentences of 3 to `max_transfer_tokens` tokens: longer "sentences" are unpunctuated runs.
    kept = [(t, y) for t, y in held if y is not None and 3 <= len(t) <= config.max_transfer_tokens]
    del held
    progress(f"transfer head: {len(kept):,} IMDB train sentences")
    design = _Design(_shell(vocabulary, config), vectors)
    tokens = [t for t, _ in kept]
    y = np.array([label for _, label in kept], dtype=bool)
    none = np.zeros((len(tokens), 0))
    head = _fit_head(design.sparse(tokens), none, none, (), y, config.C_transfer, config, nb=True)
    transfer = _Head(head.sparse, np.zeros(vectors.shape[1]), {}, head.intercept)
    return Prepared(items, vocabulary, vectors, transfer)


def _shell(vocabulary: Sequence[str], config: SentenceTrainingConfig) -> SentenceModel:
    """A model with the feature settings and no weights: what the featuriser needs."""
    size = 1 << config.bits
    params = {
        "format": SENTENCE_MODEL_FORMAT,
        "heads": list(HEADS),
        "bits": config.bits,
        "max_n": config.max_n,
        "negation_scope": config.negation_scope,
        "negators": list(NEGATORS),
        "dense": {h: dict.fromkeys(DENSE[kind_of(h)], 0.0) for h in HEADS},
        "intercepts": dict.fromkeys(HEADS, 0.0),
        "thresholds": {},
        "quote": HAND_QUOTE,  # until `fit_quote_scorer` learns one
    }
    return SentenceModel(
        vocabulary, np.zeros((len(HEADS), size)), np.zeros((len(HEADS), len(vocabulary) + 1)), params
    )


def _best_threshold(p: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """The threshold (0.05 to 0.75) that gives the best F1 of `p > t` against `truth`, and that F1."""
    best = (0.5, -1.0)
    for t in np.round(np.arange(0.05, 0.76, 0.05), 2):
        found = p > t
        f1 = 2 * float(np.sum(found & truth)) / max(1.0, float(found.sum() + truth.sum()))
        if f1 > best[1] + 1e-9:
            best = (float(t), f1)
    return best


def train_sentence_model(
    data: str | Path,
    labels: str | Path,
    config: SentenceTrainingConfig = SentenceTrainingConfig(),
    progress: Callable[[str], None] = lambda message: None,
    model: VerdictModel | None = None,
) -> tuple[SentenceModel, dict[str, Any]]:
    """Fit the sentence model on the development labels; returns it and a report of the fit, with
    the out-of-fold figures on the development rows."""
    verdict_model = model or VerdictModel.load()
    fitted, report = fit_heads(prepare(data, labels, config, progress, verdict_model), config, progress)
    progress("pull-quote scorer")
    fitted.params["quote"], report["quotes"] = fit_quote_scorer(
        fitted, verdict_model, Path(data), Path(labels), config
    )
    return fitted, report


def fit_quote_scorer(
    model: SentenceModel,
    verdict_model: VerdictModel,
    data: Path,
    labels: Path,
    config: SentenceTrainingConfig,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The pull-quote scorer learnt from the development picks of `pull-quotes.tsv` (a candidate is
    right when an annotator accepted it), read with `model`; its out-of-fold hit rate by review.
    Without picks, the hand weights (`quotes.HAND_QUOTE`)."""
    from .coherence import CoherenceStage
    from .opinion import OpinionModel
    from .quotes import QUOTE_FEATURES, quote_candidates
    from .stage import AnatomyStage

    path = labels / "pull-quotes.tsv"
    if not path.exists():
        return HAND_QUOTE, {"reviews": 0}
    accepted: dict[str, list[tuple[int, int]]] = {}
    for r in read_tsv(path):
        if r["part"] == "dev":
            spans = accepted.setdefault(r["review_id"], [])
            if r["start"] != "-":
                spans.append((int(r["start"]), int(r["end"])))
    texts = {
        row["id"]: row["text"]
        for row in read_jsonl(data / "imdb" / "train.jsonl.gz")
        if row["id"] in accepted
    }
    ids = sorted(accepted)
    anatomy = AnatomyStage(verdict_model, OpinionModel.load(), model)
    stages: list[Stage] = [
        VerdictStage(verdict_model, explain=False),
        anatomy,
        CoherenceStage(verdict_model, model),
    ]
    number = {review_id: k for k, review_id in enumerate(ids)}
    rows: list[tuple[float, ...]] = []
    right: list[bool] = []
    review_of: list[int] = []
    for chunk in batched(ids, DEFAULT_BATCH_SIZE):
        reviews = [read(Review(text=texts[i], id=i)) for i in chunk]
        for stage in stages:
            reviews = stage.pipe(reviews)
        for review in reviews:
            spans = accepted[str(review.id)]
            for sentence, features in quote_candidates(review, layout_of(review)):
                rows.append(features)
                right.append(any(min(sentence.end, b) > max(sentence.start, a) for a, b in spans))
                review_of.append(number[str(review.id)])
    X = sp.csr_matrix(np.array(rows))
    y = np.array(right)
    owners = np.array(review_of)
    folds = owners % config.folds
    hits = 0
    for k in range(config.folds):
        w, b = fit_logistic(X[folds != k], y[folds != k], 1.0, config.max_iter)
        score = X[folds == k] @ w
        for owner in np.unique(owners[folds == k]):
            at = np.flatnonzero(owners[folds == k] == owner)
            hits += bool(y[folds == k][at[np.argmax(score[at])]])
    w, b = fit_logistic(X, y, 1.0, config.max_iter)
    quotable = sum(1 for i in ids if accepted[i])
    report = {
        "reviews": len(ids),
        "candidates": int(len(y)),
        "cv_hit_rate": round(hits / max(1, quotable), 4),
    }
    scorer = {
        "bias": round(b, 6),
        "weights": {k: round(float(v), 6) for k, v in zip(QUOTE_FEATURES, w, strict=True)},
    }
    return scorer, report


def fit_heads(
    prepared: Prepared,
    config: SentenceTrainingConfig = SentenceTrainingConfig(),
    progress: Callable[[str], None] = lambda message: None,
) -> tuple[SentenceModel, dict[str, Any]]:
    """Every head but the transfer one, fitted on the prepared runs; each read out of fold (five
    folds of the labelled texts) for the inputs of the next and for the report."""
    items = prepared.items
    shell = _shell(prepared.vocabulary, config)
    params = shell.params
    design = _Design(shell, prepared.vectors)
    # All runs in the order the stage scores them: each labelled text's run, then its pieces.
    runs: list[Run] = []
    main: list[int] = []
    for item in items:
        main.append(len(runs))
        runs.extend([item.run, *item.pieces])
    main_at = np.array(main)
    owner = np.repeat(np.arange(len(items)), [1 + len(item.pieces) for item in items])
    X = design.sparse([run.tokens for run in runs])
    M = design.mean_vectors([run.tokens for run in runs])
    heads: dict[str, _Head] = {"transfer": prepared.transfer}
    none = np.zeros((len(runs), 0))
    transfer = _score(prepared.transfer, X, M, none, ())
    folds = np.arange(len(items)) % config.folds
    run_fold = folds[owner]

    def fit(
        head: str, labelled: np.ndarray, y: np.ndarray, C: float, nb: bool, D: np.ndarray,
        words: np.ndarray | None = None,
    ) -> np.ndarray:  # fmt: skip
        """Fit `head` on the labelled texts (`labelled`, `y` per text) and return its out-of-fold
        log-odds of every run; `words[r]`, where given, is the run whose words the head reads for
        run r (a tone head reads the piece that names its aspect)."""
        names = DENSE[kind_of(head)]
        at = np.arange(len(runs)) if words is None else words
        oof = np.zeros(len(runs))
        for k in range(config.folds):
            fit_rows = main_at[labelled & (folds != k)]
            fitted = _fit_head(X[at[fit_rows]], M[at[fit_rows]], D[fit_rows], names,
                               y[labelled & (folds != k)], C, config, nb)  # fmt: skip
            rows = np.flatnonzero(run_fold == k)
            oof[rows] = _score(fitted, X[at[rows]], M[at[rows]], D[rows], names)
        all_rows = main_at[labelled]
        heads[head] = _fit_head(
            X[at[all_rows]], M[at[all_rows]], D[all_rows], names, y[labelled], C, config, nb
        )
        return oof

    progress("polarity head")
    polar = np.array([item.positive is not None for item in items])
    y_pos = np.array([bool(item.positive) for item in items])
    polarity = fit(
        "polarity", polar, y_pos, config.C_polarity, True, dense_inputs(runs, transfer, None, "polarity")
    )

    # Would the old hard rules still help? A negated judging word as a floor (at least its pull its
    # way) and faint praise as a cap, applied to the out-of-fold polarity of the runs they touch.
    texts_polarity = polarity[main_at]
    negation = np.array([item.run.negation for item in items])
    faint = np.array([item.run.faint for item in items])
    floored = np.where(
        negation > 0, np.maximum(texts_polarity, negation), np.minimum(texts_polarity, negation)
    )
    capped = np.minimum(texts_polarity, FAINT_PRAISE)
    rules_report = {}
    for name, touched, ruled in (
        ("negated", polar & (negation != 0), floored),
        ("faint", polar & faint, capped),
    ):
        n = int(touched.sum())
        positive = y_pos[touched]
        rules_report[name] = {
            "runs": n,
            "model": round(float(np.mean((texts_polarity[touched] >= 0) == positive)), 4) if n else None,
            "with_rule": round(float(np.mean((ruled[touched] >= 0) == positive)), 4) if n else None,
        }

    progress("neutral and opinion heads")
    judged = np.array([item.sentiment is not None for item in items])
    y_neutral = np.array([item.sentiment == "neutral" for item in items])
    D = dense_inputs(runs, transfer, polarity, "neutral")
    neutral = fit("neutral", judged, y_neutral, config.C_neutral, False, D)[main_at]
    kinds = np.array([item.opinion is not None for item in items])
    y_opinion = np.array([bool(item.opinion) for item in items])
    D = dense_inputs(runs, transfer, polarity, "opinion")
    opinion = fit("opinion", kinds, y_opinion, config.C_neutral, False, D)[main_at]
    truth = np.array([item.sentiment or "" for item in items], dtype=object)
    p_neutral = 1 / (1 + np.exp(-neutral))
    sides = np.where(polarity[main_at] >= 0, "positive", "negative").astype(object)
    best_t, best_acc = 0.5, -1.0
    for t in np.round(np.arange(0.2, 0.81, 0.05), 2):
        guess = np.where(p_neutral > t, "neutral", sides)
        acc = float(np.mean(guess[judged] == truth[judged]))
        if acc > best_acc + 1e-9:
            best_t, best_acc = float(t), acc
    params["thresholds"]["neutral"] = best_t

    progress("aspect and tone heads")
    has_aspects = np.array([item.aspects is not None for item in items])
    aspect_report: dict[str, dict[str, float]] = {}
    tp = found_total = truth_total = tone_right = tone_total = 0
    for name in ASPECTS:
        labelled_aspect = [(item.aspects or {}).get(name) for item in items]
        y = np.array([a is not None for a in labelled_aspect])
        oof = fit(f"aspect:{name}", has_aspects, y, config.C_aspect, False,
                  dense_inputs(runs, transfer, polarity, f"aspect:{name}"))[main_at]  # fmt: skip
        p = 1 / (1 + np.exp(-oof[has_aspects]))
        threshold, f1 = _best_threshold(p, y[has_aspects])
        params["thresholds"][f"aspect:{name}"] = threshold
        found = np.zeros(len(items), dtype=bool)
        found[has_aspects] = p > threshold
        toned = np.array([a in ("positive", "negative") for a in labelled_aspect])
        y_tone = np.array([a == "positive" for a in labelled_aspect])
        words = np.array([r + run.pieces.get(name, 0) for r, run in enumerate(runs)])
        tone = fit(f"tone:{name}", toned, y_tone, config.C_tone, True,
                   dense_inputs(runs, transfer, polarity, f"tone:{name}"), words)[main_at]  # fmt: skip
        both = found & toned
        right = int(np.sum((tone[both] >= 0) == y_tone[both]))
        tp += int(np.sum(found & y))
        found_total += int(found.sum())
        truth_total += int(y[has_aspects].sum())
        tone_right += right
        tone_total += int(both.sum())
        aspect_report[name] = {
            "labelled": int(y[has_aspects].sum()),
            "threshold": threshold,
            "cv_f1": round(f1, 4),
            "cv_tone": round(right / max(1, int(both.sum())), 4),
        }

    params["dense"] = {h: {k: round(v, 6) for k, v in heads[h].dense.items()} for h in HEADS}
    params["intercepts"] = {h: round(heads[h].intercept, 6) for h in HEADS}
    weights = np.stack([heads[h].sparse for h in HEADS])
    leans = np.stack([prepared.vectors @ heads[h].lean_vector for h in HEADS])
    rt = np.array([item.source == "rt" for item in items])
    fresh = np.array([bool(item.fresh) for item in items])
    report = {
        "texts": len(items),
        "critic_snippets": int(rt.sum()),
        "imdb_sentences": int((~rt).sum()),
        "vocabulary": len(prepared.vocabulary),
        "cv_fresh_rotten": round(float(np.mean((polarity[main_at][rt] >= 0) == fresh[rt])), 4),
        "cv_sentiment_3way": round(best_acc, 4),
        "cv_opinion_snippets": round(float(np.mean((opinion[rt & kinds] > 0) == y_opinion[rt & kinds])), 4),
        "cv_opinion_imdb": round(float(np.mean((opinion[~rt & kinds] > 0) == y_opinion[~rt & kinds])), 4),
        "cv_aspect_f1": round(2 * tp / max(1, found_total + truth_total), 4),
        "cv_hard_rules": rules_report,
        "cv_aspect_tone": round(tone_right / max(1, tone_total), 4),
        "aspects": aspect_report,
    }
    params["trained_on"] = report
    return SentenceModel(prepared.vocabulary, weights, leans, params), report
