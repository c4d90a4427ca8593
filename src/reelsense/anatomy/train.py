"""Train the opinion model (does a sentence judge the film, or narrate?) from our labelled sentences.

    reelsense train-opinion --data ../shared/data/imdb --labels bench/data/sentences.tsv \
        --out opinion-model.json

Reads the development rows of the labels (`part` dev; the eval rows are never read), the IMDB
*train* reviews they come from, and every sentence of unsup and train for word vectors:
1. word vectors: positive pointwise mutual information of words within four tokens of each other
   in a sentence (words seen at least `min_count` times), reduced to `dimensions` by SVD;
2. a sentence's own reading: a logistic regression on the mean vector of its words and the signs
   of `opinion.opinion_features`. It is linear in the mean vector, so the vector part folds back
   into one learnt lean per word, which is what ships: a word table, no vectors;
3. its place in the review: a logistic regression on its own reading (out of fold), its
   neighbours', the review's mean and its position (`opinion.place_features`);
4. an opinion's sentiment: a three-way logistic regression over the sentences steps 1-3 call
   opinion, on `opinion.lean_features` (its log-odds, their strength, its out-of-fold opinion
   score, faint praise).
Prints the out-of-fold accuracy of the flag on the development rows (five outer folds, each
refitting steps 1-3) and of the sentiment (five folds over step 4, narration neutral).
Everything is seeded and the SVD starts from a fixed vector; the fitted weights do not depend on
the vectors' basis (the regression's ridge is rotation-invariant), so the same data gives the
same file.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.sparse.linalg import svds

from ..batching import DEFAULT_BATCH_SIZE, batched
from ..errors import SourceError
from ..review import Review
from ..text.normalise import clean
from ..text.reading import read
from ..text.sentences import split_sentences
from ..text.tokens import tokenize
from ..verdict.model import VerdictModel
from ..verdict.stage import VerdictStage
from ..verdict.train import fit_logistic, read_jsonl
from .opinion import (
    LEANS,
    OPINION_MODEL_FORMAT,
    PLACE,
    SENTIMENTS,
    SIGNS,
    OpinionModel,
    SentenceSigns,
    SignWords,
    faint_praise,
    lean_features,
    opinion_features,
    place_features,
)
from .stage import sentence_signs

__all__ = ["OpinionTrainingConfig", "train_opinion", "word_vectors"]


@dataclass(frozen=True)
class OpinionTrainingConfig:
    """The knobs of the opinion model; the defaults build the shipped one."""

    dimensions: int = 150
    window: int = 4
    min_count: int = 15
    C: float = 1.0  # the regressions' C·Σloss + ½‖w‖²
    vector_scale: float = 3.0  # the mean word vector's scale beside the standardised signs
    folds: int = 5
    max_iter: int = 3000
    seed: int = 20261125


@dataclass(frozen=True)
class _Labelled:
    """A labelled sentence: its review's sentences as the model reads them, which one, and the label."""

    sentences: list[SentenceSigns]
    at: int
    opinion: bool
    sentiment: str


def word_vectors(
    sentences: Iterator[list[str]], config: OpinionTrainingConfig
) -> tuple[list[str], np.ndarray]:
    """Words seen at least `min_count` times and their unit-length vectors (PPMI, then SVD)."""
    held = list(sentences)
    counts = Counter(t for s in held for t in s)
    vocabulary = sorted(w for w, n in counts.items() if n >= config.min_count)
    index = {w: i for i, w in enumerate(vocabulary)}
    ids: list[int] = []
    for s in held:
        ids.extend(index.get(t, -2) for t in s)
        ids.append(-1)  # sentence end: no window crosses it
    seq = np.array(ids, dtype=np.int64)
    size = len(vocabulary)
    ends = np.cumsum(seq == -1)
    pairs = sp.csr_matrix((size, size), dtype=np.float64)
    for k in range(1, config.window + 1):
        a, b = seq[:-k], seq[k:]
        keep = (a >= 0) & (b >= 0) & (ends[k:] == ends[:-k])
        m = sp.csr_matrix((np.full(int(keep.sum()), 1.0 / k), (a[keep], b[keep])), shape=(size, size))
        pairs = pairs + m + m.T
    total = pairs.sum()
    rows = np.asarray(pairs.sum(axis=1)).ravel()
    context = rows**0.75
    context /= context.sum()
    coo = pairs.tocoo()
    pmi = np.log(coo.data / total / (rows[coo.row] / total) / context[coo.col])
    positive = pmi > 0
    ppmi = sp.csr_matrix((pmi[positive], (coo.row[positive], coo.col[positive])), shape=(size, size))
    k = min(config.dimensions, size - 2)
    start = np.random.RandomState(config.seed).uniform(-1, 1, size)
    u, s, _ = svds(ppmi, k=k, v0=start)
    vectors = u * np.sqrt(s)
    vectors /= np.maximum(1e-8, np.linalg.norm(vectors, axis=1, keepdims=True))
    return vocabulary, vectors


def train_opinion(
    data: str | Path,
    labels: str | Path,
    out: str | Path,
    config: OpinionTrainingConfig = OpinionTrainingConfig(),
    progress: Callable[[str], None] = lambda message: None,
    model: VerdictModel | None = None,
) -> dict[str, Any]:
    """Fit the opinion model, write it to `out` as JSON, and return a report of the fit."""
    data, labels = Path(data), Path(labels)
    rows = _dev_rows(labels)
    progress(f"reading {len(rows)} labelled sentences' reviews")
    texts = _review_texts(data, {r["review_id"] for r in rows})
    labelled = _labelled(rows, texts, model or VerdictModel.load())
    progress("word vectors from unsup and train")
    vocabulary, vectors = word_vectors(_all_sentences(data), config)
    index = {w: i for i, w in enumerate(vocabulary)}
    y = np.array([item.opinion for item in labelled])
    folds = np.arange(len(labelled)) % config.folds
    progress(f"fitting on {len(labelled)} sentences ({config.folds} outer folds)")
    scores = np.zeros(len(labelled))  # each sentence's opinion score from the folds that did not see it
    words = SignWords.from_lexicon()
    for k in range(config.folds):
        fitted = _fit(labelled, folds != k, vocabulary, vectors, index, config, words)
        for i in np.flatnonzero(folds == k):
            scores[i] = fitted.scores(labelled[i].sentences)[labelled[i].at]
    fitted = _fit(labelled, np.ones(len(labelled), bool), vocabulary, vectors, index, config, words)
    progress("fitting the sentiment decision")
    sentiment_bias, sentiment_weights, sentiment_accuracy = _fit_sentiment(labelled, scores, folds, config)
    report = {
        "sentences": len(labelled),
        "opinion_share": round(float(y.mean()), 4),
        "cv_accuracy": round(float(np.mean((scores > 0) == y)), 4),
        "sentiment_cv_accuracy": round(sentiment_accuracy, 4),
        "words": len(fitted.words),
        "labels_sha256": hashlib.sha256(labels.read_bytes()).hexdigest(),
    }
    document = {
        "format": OPINION_MODEL_FORMAT,
        "trained_on": report,
        "sentence": {
            "bias": round(fitted.bias, 6),
            "signs": {k: round(v, 6) for k, v in fitted.signs.items()},
            "words": {w: round(v, 4) for w, v in sorted(fitted.words.items())},
        },
        "place": {
            "bias": round(fitted.place_bias, 6),
            "weights": {k: round(v, 6) for k, v in fitted.place.items()},
        },
        "sentiment": {
            "bias": {c: round(float(b), 6) for c, b in zip(SENTIMENTS, sentiment_bias, strict=True)},
            "weights": {
                c: {k: round(float(v), 6) for k, v in zip(LEANS, row, strict=True)}
                for c, row in zip(SENTIMENTS, sentiment_weights, strict=True)
            },
        },
        "sign_words": words.to_dict(),
    }
    Path(out).write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    return report


def _fit_sentiment(
    labelled: Sequence[_Labelled], scores: np.ndarray, folds: np.ndarray, config: OpinionTrainingConfig
) -> tuple[np.ndarray, np.ndarray, float]:
    """The sentiment decision over the sentences whose (out-of-fold) opinion score calls them
    opinion, and its cross-validated accuracy over all of them (narration counted neutral)."""
    leans = np.array([_leans(item, score) for item, score in zip(labelled, scores, strict=True)])
    truth = np.array([SENTIMENTS.index(item.sentiment) for item in labelled])
    judged = scores > 0
    predicted = np.full(len(labelled), SENTIMENTS.index("neutral"))
    for k in range(config.folds):
        bias, weights = _fit_softmax(leans[judged & (folds != k)], truth[judged & (folds != k)], config)
        chosen = judged & (folds == k)
        predicted[chosen] = np.argmax(bias + leans[chosen] @ weights.T, axis=1)
    bias, weights = _fit_softmax(leans[judged], truth[judged], config)
    return bias, weights, float(np.mean(predicted == truth))


def _fit(
    labelled: Sequence[_Labelled],
    use: np.ndarray,
    vocabulary: Sequence[str],
    vectors: np.ndarray,
    index: dict[str, int],
    config: OpinionTrainingConfig,
    words: SignWords,
) -> OpinionModel:
    """Both steps fitted on the labelled sentences `use` marks."""
    chosen = [item for item, keep in zip(labelled, use, strict=True) if keep]
    y = np.array([item.opinion for item in chosen])
    own_x = np.array([_own_row(item.sentences[item.at], vectors, index, config, words) for item in chosen])
    sentence = _fit_sentence(own_x, y, vocabulary, vectors, config, words)
    # The place step learns from own readings the sentence step did not see (inner folds); the
    # neighbours and the review are unlabelled sentences, read by the whole sentence step.
    inner = np.arange(len(chosen)) % config.folds
    own = np.zeros(len(chosen))
    for j in range(config.folds):
        part = _fit_sentence(own_x[inner != j], y[inner != j], vocabulary, vectors, config, words)
        own[inner == j] = [part.own(chosen[i].sentences[chosen[i].at]) for i in np.flatnonzero(inner == j)]
    place_x = []
    for item, own_reading in zip(chosen, own, strict=True):
        readings = [sentence.own(s) for s in item.sentences]
        readings[item.at] = own_reading
        place_x.append(place_features(readings)[item.at])
    w, b = fit_logistic(sp.csr_matrix(np.array(place_x)), y, C=config.C, max_iter=config.max_iter)
    place = dict(zip(PLACE, w.tolist(), strict=True))
    return OpinionModel(sentence.bias, sentence.signs, sentence.words, b, place, {}, {}, words)


def _leans(item: _Labelled, score: float) -> tuple[float, ...]:
    s = item.sentences[item.at]
    return lean_features(s.probability, score, faint_praise(s.tokens))


def _fit_softmax(
    x: np.ndarray, y: np.ndarray, config: OpinionTrainingConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Biases (classes) and weights (classes × features) of a multinomial logistic regression:
    minimise C·Σ loss + ½‖W‖² (biases unpenalised)."""
    classes, features = len(SENTIMENTS), x.shape[1]
    onehot = np.eye(classes)[y]

    def objective(flat: np.ndarray) -> tuple[float, np.ndarray]:
        b, w = flat[:classes], flat[classes:].reshape(classes, features)
        z = b + x @ w.T
        z -= z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        d = np.exp(log_p) - onehot
        value = -config.C * float((onehot * log_p).sum()) + 0.5 * float((w * w).sum())
        return value, np.concatenate([config.C * d.sum(axis=0), (config.C * (d.T @ x) + w).ravel()])

    result = minimize(
        objective, np.zeros(classes * (features + 1)), jac=True, method="L-BFGS-B",
        options={"maxiter": config.max_iter, "gtol": 1e-6},
    )  # fmt: skip
    return result.x[:classes], result.x[classes:].reshape(classes, features)


def _own_row(
    s: SentenceSigns,
    vectors: np.ndarray,
    index: dict[str, int],
    config: OpinionTrainingConfig,
    words: SignWords,
) -> np.ndarray:
    known = [index[t] for t in s.tokens if t in index]
    mean = vectors[known].mean(axis=0) if known else np.zeros(vectors.shape[1])
    features = opinion_features(s, words)
    return np.concatenate([config.vector_scale * mean, [features[k] for k in SIGNS]])


def _fit_sentence(
    x: np.ndarray,
    y: np.ndarray,
    vocabulary: Sequence[str],
    vectors: np.ndarray,
    config: OpinionTrainingConfig,
    words: SignWords,
) -> OpinionModel:
    """The sentence step, its signs standardised for the fit and the scaling folded back after."""
    d = vectors.shape[1]
    mu = x[:, d:].mean(axis=0)
    sigma = np.where(x[:, d:].std(axis=0) > 0, x[:, d:].std(axis=0), 1.0)
    z = np.hstack([x[:, :d], (x[:, d:] - mu) / sigma])
    w, b = fit_logistic(sp.csr_matrix(z), y, C=config.C, max_iter=config.max_iter)
    signs = w[d:] / sigma
    lean = config.vector_scale * (vectors @ w[:d])
    leans = {word: float(v) for word, v in zip(vocabulary, lean, strict=True)}
    bias = float(b - signs @ mu)
    signs_by_name = dict(zip(SIGNS, signs.tolist(), strict=True))
    return OpinionModel(bias, signs_by_name, leans, 0.0, dict.fromkeys(PLACE, 0.0), {}, {}, words)


def _dev_rows(labels: Path) -> list[dict[str, str]]:
    try:
        with open(labels, encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
    except OSError as exc:
        raise SourceError(f"cannot read labels {labels}: {exc.strerror}") from exc
    needed = {"review_id", "start", "end", "kind", "sentiment", "part"}
    if not rows or not needed <= set(rows[0]):
        raise SourceError(f"{labels}: expected tab-separated columns {', '.join(sorted(needed))}")
    return [r for r in rows if r["part"] == "dev"]


def _review_texts(data: Path, ids: set[str]) -> dict[str, str]:
    texts = {row["id"]: row["text"] for row in read_jsonl(data / "train.jsonl.gz") if row["id"] in ids}
    missing = ids - texts.keys()
    if missing:
        raise SourceError(
            f"{len(missing)} labelled reviews are not in {data / 'train.jsonl.gz'}, e.g. {min(missing)}"
        )
    return texts


def _labelled(rows: Sequence[dict[str, str]], texts: dict[str, str], model: VerdictModel) -> list[_Labelled]:
    """Each labelled row with its review's sentences as the anatomy stage reads them."""
    verdict = VerdictStage(model, explain=False)
    by_id: dict[str, tuple[Review, list[SentenceSigns]]] = {}
    ids = sorted({r["review_id"] for r in rows})
    for chunk in batched(ids, DEFAULT_BATCH_SIZE):
        scored = verdict.pipe([read(Review(text=texts[i], id=i)) for i in chunk])
        for review, signs in zip(scored, sentence_signs(model, scored), strict=True):
            by_id[str(review.id)] = (review, signs)
    out = []
    for r in rows:
        review, sentences = by_id[r["review_id"]]
        start, end = int(r["start"]), int(r["end"])
        overlaps = [min(end, s.end) - max(start, s.start) for s in review.sentences]
        at = max(range(len(overlaps)), key=overlaps.__getitem__)
        out.append(_Labelled(sentences, at, r["kind"] == "opinion", r["sentiment"]))
    return out


def _all_sentences(data: Path) -> Iterator[list[str]]:
    for split in ("unsup", "train"):
        for row in read_jsonl(data / f"{split}.jsonl.gz"):
            text = clean(row["text"]).text
            for a, b in split_sentences(text):
                yield tokenize(text[a:b])
