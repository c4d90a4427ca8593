"""Train the verdict model from the IMDB reviews in ../shared, reproducibly.

    reelsense train --data ../shared/data/imdb --out model.zip

Only `train.jsonl.gz` is read for labels (and `unsup.jsonl.gz`, unlabelled, for the vocabulary);
`test` is never touched. Five folds grouped by film give out-of-fold scores, on which stage two,
the sentence calibration and the rating curve are fitted; stage one is then refitted on all of
train. Everything is seeded and single-threaded, so the same data gives the same model file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import least_squares, minimize
from scipy.special import expit
from scipy.stats import spearmanr

from ..errors import SourceError
from ..text.grades import find_grade
from ..text.normalise import clean
from ..text.sentences import split_sentences
from ..text.tokens import tokenize
from .features import NEGATORS
from .model import FORMAT_VERSION, META_FEATURES, VerdictModel, meta_features

__all__ = ["TrainingConfig", "train", "prepare", "fit_logistic", "nb_ratio"]

MODEL_NAME = "reelsense-nblr"
MODEL_VERSION = "1.0.0"


@dataclass(frozen=True)
class TrainingConfig:
    """The knobs of training; the defaults build the shipped model."""

    bits: int = 22
    max_n: int = 3
    tail_tokens: int = 30
    negation_scope: int = 3
    negators: tuple[str, ...] = NEGATORS  # saved in the model file with the other feature settings
    nb_alpha: float = 2.0
    min_count: int = 2
    C: float = 0.5
    folds: int = 5
    seed: int = 20261124
    max_iter: int = 400
    limit: int | None = None  # use N labelled reviews spread over train (tests, quick runs)
    use_unsup: bool = True
    nb_row_alpha: float = 1.0  # smoothing of the two naive-Bayes ratios folded into the third row


@dataclass(frozen=True)
class Prepared:
    """A review made ready for the model: its sentences' tokens and its stated grade."""

    sentences: list[list[str]]
    grade: float | None


def prepare(text: str) -> Prepared:
    """Clean, split and tokenise one review exactly as the pipeline does."""
    cleaned = clean(text).text
    spans = split_sentences(cleaned)
    grade = find_grade(cleaned)
    return Prepared([tokenize(cleaned[a:b]) for a, b in spans], grade.value if grade else None)


def read_jsonl(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    opener: Callable[..., Any] = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                return
            yield json.loads(line)


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def fit_logistic(
    X: sp.csr_matrix, y: np.ndarray, C: float, max_iter: int, weights: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression: minimise C·Σ loss + ½‖w‖² (intercept unpenalised)."""
    signs = np.where(y, 1.0, -1.0)
    sample = np.ones(len(y)) if weights is None else weights
    Xt = X.T.tocsr()

    def objective(wb: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = wb[:-1], wb[-1]
        margin = signs * (X @ w + b)
        loss = float(sample @ np.logaddexp(0.0, -margin))
        dz = -signs * expit(-margin) * sample
        grad = np.empty_like(wb)
        grad[:-1] = C * (Xt @ dz) + w
        grad[-1] = C * dz.sum()
        return C * loss + 0.5 * float(w @ w), grad

    start = np.zeros(X.shape[1] + 1)
    result = minimize(
        objective, start, jac=True, method="L-BFGS-B",
        options={"maxiter": max_iter, "gtol": 1e-5, "maxcor": 10},
    )  # fmt: skip
    return result.x[:-1], float(result.x[-1])


def nb_ratio(X: sp.csr_matrix, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    p = alpha + np.asarray(X[y].sum(axis=0)).ravel()
    q = alpha + np.asarray(X[~y].sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum()))


def _nb_row_parts(X: sp.csr_matrix, y: np.ndarray, extreme: np.ndarray, alpha: float) -> np.ndarray:
    """Naive-Bayes log-count ratios for the label and for intensity (0 on buckets unseen here)."""
    used = np.flatnonzero(np.asarray(X.sum(axis=0)).ravel() > 0)
    Xu = X[:, used]
    parts = np.zeros((2, X.shape[1]))
    parts[0, used] = nb_ratio(Xu, y, alpha)
    parts[1, used] = nb_ratio(Xu, extreme, alpha)
    return parts


def _fit_stage_one(X: sp.csr_matrix, y: np.ndarray, config: TrainingConfig) -> tuple[np.ndarray, float]:
    """NB-scaled logistic regression; returns weights over all buckets (NB ratio folded in)."""
    used = np.flatnonzero(np.asarray(X.sum(axis=0)).ravel() > 0)
    Xu = X[:, used]
    ratio = nb_ratio(Xu, y, config.nb_alpha)
    w, b = fit_logistic(Xu @ sp.diags(ratio), y, config.C, config.max_iter)
    full = np.zeros(X.shape[1])
    full[used] = w * ratio
    return full, b


def _group_folds(groups: Sequence[str], folds: int, seed: int) -> np.ndarray:
    names = sorted(set(groups))
    rng = np.random.RandomState(seed)
    rng.shuffle(names)
    fold_of = {name: i % folds for i, name in enumerate(names)}
    return np.array([fold_of[g] for g in groups])


def _fit_rating(meta: np.ndarray, stars: np.ndarray) -> tuple[list[float], float]:
    """Least squares fit of 10·sigmoid(meta·c + b) to the reviewers' stars."""

    def residuals(cb: np.ndarray) -> np.ndarray:
        return 10.0 * expit(meta @ cb[:-1] + cb[-1]) - stars

    result = least_squares(residuals, np.zeros(meta.shape[1] + 1), method="lm")
    return [float(c) for c in result.x[:-1]], float(result.x[-1])


def _fit_sentence_calibration(logits: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling of sentence logits against their review's label."""
    X = sp.csr_matrix(logits.reshape(-1, 1))
    w, b = fit_logistic(X, y, C=1e4, max_iter=200)
    return float(w[0]), b


def train(
    data_dir: str | Path,
    out: str | Path,
    config: TrainingConfig = TrainingConfig(),
    progress: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Train a model from `data_dir` (the shared IMDB folder), write it to `out`, return its report."""
    data_dir = Path(data_dir)
    train_path = data_dir / "train.jsonl.gz"
    unsup_path = data_dir / "unsup.jsonl.gz"
    if not train_path.exists():
        raise SourceError(f"no training data at {train_path}: point --data at the IMDB folder")

    progress("reading and tokenising train")
    records = list(read_jsonl(train_path))
    if config.limit is not None and config.limit < len(records):
        step = len(records) / config.limit  # evenly spread, so both labels are sampled
        records = [records[int(i * step)] for i in range(config.limit)]
    prepared = [prepare(r["text"]) for r in records]
    y = np.array([r["label"] == "pos" for r in records])
    stars = np.array([float(r["rating"]) for r in records])
    films = [r["film"] for r in records]
    counts: Counter[str] = Counter()
    for p in prepared:
        for sentence in p.sentences:
            counts.update(sentence)
    if config.use_unsup and unsup_path.exists():
        progress("reading unsup for the vocabulary")
        limit = None if config.limit is None else 2 * config.limit
        for r in read_jsonl(unsup_path, limit):
            for sentence in prepare(r["text"]).sentences:
                counts.update(sentence)
    vocabulary = sorted(
        (w for w, n in counts.items() if n >= config.min_count), key=lambda w: (-counts[w], w)
    )
    params: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "name": MODEL_NAME,
        "version": MODEL_VERSION,
        "bits": config.bits,
        "max_n": config.max_n,
        "tail_tokens": config.tail_tokens,
        "negation_scope": config.negation_scope,
        "negators": list(config.negators),
        "intercept": 0.0,
    }
    params["intensity_intercept"] = 0.0
    blank = VerdictModel(vocabulary, np.zeros((3, 1 << config.bits)), dict(params))
    progress("hashing features")
    docs = [p.sentences for p in prepared]
    scores = blank.score(docs)
    X = sp.csr_matrix(
        (
            np.ones(len(scores.feature_doc)),
            (scores.feature_doc, scores.occurrences.feature[scores.feature_at]),
        ),
        shape=(len(docs), 1 << config.bits),
    )
    sentence_counts = [len(d) for d in docs]
    grades = [p.grade for p in prepared]
    sent_doc = np.repeat(np.arange(len(docs)), sentence_counts)

    fold = _group_folds(films, config.folds, config.seed)
    extreme = (stars <= 2) | (stars >= 9)
    oof_doc = np.zeros(len(docs))
    oof_intensity = np.zeros(len(docs))
    oof_sent = np.zeros(len(sent_doc))
    oof_nb_parts = np.zeros((len(docs), 2))
    sentence_tokens = np.array([len(s) for d in docs for s in d], dtype=np.int64)
    for k in range(config.folds):
        progress(f"fold {k + 1} of {config.folds}")
        fit = fold != k
        w, b = _fit_stage_one(X[fit], y[fit], config)
        wi, bi = _fit_stage_one(X[fit], extreme[fit], config)
        held = np.flatnonzero(~fit)
        model_k = VerdictModel(
            vocabulary, np.stack([w, wi, np.zeros_like(w)]), dict(params, intercept=b, intensity_intercept=bi)
        )
        parts = _nb_row_parts(X[fit], y[fit], extreme[fit], config.nb_row_alpha)
        oof_nb_parts[held] = X[held] @ parts.T
        s = model_k.score([docs[i] for i in held])
        oof_doc[held] = s.doc_logit
        oof_intensity[held] = s.doc_intensity
        oof_sent[np.isin(sent_doc, held)] = s.sentence_logit

    progress("fitting stage two")
    # Fold the two naive-Bayes ratios into one row: their weights in a stage two that reads both.
    nb_at = META_FEATURES.index("nb_logit")
    meta = meta_features(
        oof_doc, oof_intensity, oof_sent, sentence_counts, grades, oof_nb_parts[:, 0], sentence_tokens
    )
    both = np.column_stack([meta, oof_nb_parts[:, 1]])
    mean, scale = both.mean(axis=0), both.std(axis=0) + 1e-9
    w2, _ = fit_logistic(sp.csr_matrix((both - mean) / scale), y, C=10.0, max_iter=500)
    nb_mix = np.array([w2[nb_at] / scale[nb_at], w2[-1] / scale[-1]])
    meta[:, nb_at] = oof_nb_parts @ nb_mix
    mean, scale = meta.mean(axis=0), meta.std(axis=0) + 1e-9
    w2, b2 = fit_logistic(sp.csr_matrix((meta - mean) / scale), y, C=10.0, max_iter=500)
    coef = w2 / scale
    intercept = b2 - float(coef @ mean)
    rating_coef, rating_intercept = _fit_rating(meta, stars)
    sent_a, sent_b = _fit_sentence_calibration(oof_sent, y[sent_doc])

    progress("fitting stage one on all of train")
    w, b = _fit_stage_one(X, y, config)
    wi, bi = _fit_stage_one(X, extreme, config)
    nb_row = nb_mix @ _nb_row_parts(X, y, extreme, config.nb_row_alpha)
    stage_one_acc = float(((oof_doc > 0) == y).mean())
    p_oof = expit(meta @ coef + intercept)
    rating_oof = 10.0 * expit(meta @ np.asarray(rating_coef) + rating_intercept)
    report = {
        "trained_on": {
            "train": _file_digest(train_path),
            "unsup": _file_digest(unsup_path) if config.use_unsup and unsup_path.exists() else None,
            "reviews": len(records),
        },
        "cross_validated": {
            "folds": config.folds,
            "stage_one_accuracy": round(stage_one_acc, 4),
            "accuracy": round(float(((p_oof > 0.5) == y).mean()), 4),
            "rating_spearman": round(float(spearmanr(rating_oof, stars).statistic), 4),
            "rating_mae": round(float(np.abs(rating_oof - stars).mean()), 3),
        },
        "config": {k: v for k, v in vars(config).items()},
    }
    params.update(
        intercept=b,
        intensity_intercept=bi,
        stage2={
            "features": list(META_FEATURES),
            "coef": [float(c) for c in coef],
            "intercept": intercept,
        },
        rating={"coef": rating_coef, "intercept": rating_intercept},
        sentence_calibration=[sent_a, sent_b],
        training=report,
    )
    params["nb_mix"] = [float(c) for c in nb_mix]
    VerdictModel(vocabulary, np.stack([w, wi, nb_row]), params).save(out)
    return report
