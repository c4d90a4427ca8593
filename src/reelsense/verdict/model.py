"""The verdict model: hashed n-gram weights plus a small second stage, stored as one zip file.

Stage one is a naive-Bayes-scaled logistic regression over binary n-gram features (the NBSVM family
of Wang & Manning 2012), scored for the whole review and for each sentence on its own, plus a second
weight vector over the same features that scores intensity (1–2 or 9–10 stars against 3–4 or 7–8),
so the rating can tell a rave from mild praise, and a third that is plain naive Bayes (the label's and
the intensity's log-count ratios, mixed by weights fitted out of fold): a differently biased view
whose errors only partly overlap the first's. Stage two reads a dozen numbers about those scores
(the whole-review score, the last and strongest sentences, their mean and their mean weighted by
length, the intensity, the naive-Bayes score, the stated grade) and gives a calibrated
P(positive) and a 0–10 rating. The
file is a zip of plain parts (vocabulary.txt, weights.f16, model.json) written with fixed timestamps,
so training twice on the same data gives the same bytes.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from ..modelfile import zip_bytes
from .features import FeatureHasher, Occurrences

__all__ = ["VerdictModel", "BatchScores", "FORMAT_VERSION", "default_model_path", "META_FEATURES"]

FORMAT_VERSION = 4  # 4: the negators are saved in the file with the other feature settings
# The numbers stage two reads about each review, in order.
META_FEATURES = (
    "doc_logit",
    "last_sentence",
    "last_three_sentences",
    "strongest_positive",
    "strongest_negative",
    "mean_sentence",
    "has_grade",
    "grade",
    "intensity",
    "intensity_x_doc_logit",
    "nb_logit",
    "token_weighted_sentence",
)


def default_model_path() -> Path:
    return Path(str(resources.files("reelsense") / "data" / "verdict-model.zip"))


@dataclass(frozen=True, slots=True)
class BatchScores:
    """Stage-one scores of a batch: per review, per sentence, and per distinct feature of a review."""

    doc_logit: np.ndarray  # float64 per review
    doc_intensity: np.ndarray  # float64 per review: how extreme, whichever way
    sentence_logit: np.ndarray  # float64 per sentence (all sentences of the batch in order)
    doc_nb: np.ndarray  # float64 per review: the naive-Bayes row's score
    sentence_tokens: np.ndarray  # int64 tokens per sentence
    doc_tokens: np.ndarray  # int64 tokens per review
    known_tokens: np.ndarray  # int64 tokens in the vocabulary, per review
    feature_doc: np.ndarray  # per distinct (review, feature): the review
    feature_weight: np.ndarray  # its weight
    feature_at: np.ndarray  # index into `occurrences` of its first occurrence
    occurrences: Occurrences


class VerdictModel:
    """A trained verdict model: featuriser, stage-one weights and the stage-two parameters."""

    def __init__(
        self,
        vocabulary: Sequence[str],
        weights: np.ndarray,
        params: dict[str, Any],
    ) -> None:
        self.params = params
        self.hasher = FeatureHasher(
            vocabulary,
            params["bits"],
            params["max_n"],
            params["tail_tokens"],
            params["negation_scope"],
            params["negators"],
        )
        if weights.shape != (3, self.hasher.size):
            raise ModelError(f"model weights have shape {weights.shape}, expected (3, {self.hasher.size})")
        self.weights = weights[0].astype(np.float64)
        self.intensity_weights = weights[1].astype(np.float64)
        self.nb_weights = weights[2].astype(np.float64)
        self.vocabulary = list(vocabulary)

    @property
    def name(self) -> str:
        return f"{self.params['name']}@{self.params['version']}"

    # -- scoring -------------------------------------------------------------------------------

    def score(self, docs: Sequence[Sequence[list[str]]]) -> BatchScores:
        """Stage-one scores for a batch; `docs[d][s]` is the token list of sentence s of review d."""
        ids = [[self.hasher.ids(sentence) for sentence in doc] for doc in docs]
        occ = self.hasher.occurrences(ids)
        size = np.int64(self.hasher.size)
        n_docs = len(docs)
        n_sents = sum(len(doc) for doc in docs)
        key = occ.doc * size + occ.feature
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        first = np.ones(len(sorted_key), dtype=bool)
        first[1:] = sorted_key[1:] != sorted_key[:-1]
        unique_at = order[first]
        feature_doc = occ.doc[unique_at]
        feature_weight = self.weights[occ.feature[unique_at]]
        doc_logit = np.bincount(feature_doc, weights=feature_weight, minlength=n_docs)
        doc_logit = doc_logit + self.params["intercept"]
        doc_intensity = np.bincount(
            feature_doc, weights=self.intensity_weights[occ.feature[unique_at]], minlength=n_docs
        )
        doc_intensity = doc_intensity + self.params["intensity_intercept"]
        doc_nb = np.bincount(feature_doc, weights=self.nb_weights[occ.feature[unique_at]], minlength=n_docs)
        sentence_tokens = np.array([len(sentence) for doc in docs for sentence in doc], dtype=np.int64)

        plain = np.flatnonzero(~occ.positional)
        skey = np.sort(occ.sentence[plain] * size + occ.feature[plain])
        if len(skey):
            skey = skey[np.concatenate(([True], skey[1:] != skey[:-1]))]
        sentence_logit = np.bincount(skey // size, weights=self.weights[skey % size], minlength=n_sents)
        return BatchScores(
            doc_logit=doc_logit,
            doc_intensity=doc_intensity,
            sentence_logit=sentence_logit,
            doc_nb=doc_nb,
            sentence_tokens=sentence_tokens,
            doc_tokens=occ.doc_tokens,
            known_tokens=occ.known_tokens,
            feature_doc=feature_doc,
            feature_weight=feature_weight,
            feature_at=unique_at,
            occurrences=occ,
        )

    def meta_features(
        self, scores: BatchScores, sentence_counts: Sequence[int], grades: Sequence[float | None]
    ) -> np.ndarray:
        """The stage-two inputs (`META_FEATURES`) of each review in a batch."""
        return meta_features(
            scores.doc_logit,
            scores.doc_intensity,
            scores.sentence_logit,
            sentence_counts,
            grades,
            scores.doc_nb,
            scores.sentence_tokens,
        )

    def probability(self, meta: np.ndarray) -> np.ndarray:
        """Calibrated P(positive) from stage-two inputs."""
        coef = np.asarray(self.params["stage2"]["coef"])
        z = meta @ coef + self.params["stage2"]["intercept"]
        return 1.0 / (1.0 + np.exp(-z))

    def rating(self, meta: np.ndarray) -> np.ndarray:
        """The 0–10 rating from stage-two inputs."""
        coef = np.asarray(self.params["rating"]["coef"])
        z = meta @ coef + self.params["rating"]["intercept"]
        return 10.0 / (1.0 + np.exp(-z))

    def sentence_probability(self, sentence_logit: np.ndarray) -> np.ndarray:
        """P(positive) of each sentence read on its own."""
        a, b = self.params["sentence_calibration"]
        return 1.0 / (1.0 + np.exp(-(a * sentence_logit + b)))

    # -- storage -------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> VerdictModel:
        """Load a model file; the one shipped in the package by default."""
        path = Path(path) if path is not None else default_model_path()
        try:
            with zipfile.ZipFile(path) as z:
                params = json.loads(z.read("model.json"))
                vocabulary = z.read("vocabulary.txt").decode("utf-8").split("\n")
                weights = np.frombuffer(z.read("weights.f16"), dtype="<f2").reshape(3, -1)
        except FileNotFoundError:
            raise ModelError(f"no model file at {path}: run `reelsense train` to build one") from None
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise ModelError(f"model file {path} is damaged or not a reelsense model ({exc})") from None
        if params.get("format") != FORMAT_VERSION:
            raise ModelError(
                f"model file {path} has format {params.get('format')}, this reelsense reads "
                f"format {FORMAT_VERSION}: retrain it with `reelsense train`"
            )
        if params.get("stage2", {}).get("features") != list(META_FEATURES):
            raise ModelError(
                f"model file {path} was trained for other stage-two inputs: retrain it with `reelsense train`"
            )
        return cls(vocabulary, weights, params)

    def save(self, path: str | Path) -> None:
        """Write the model as a zip whose bytes depend only on its contents."""
        parts = {
            "model.json": json.dumps(self.params, indent=1, sort_keys=True).encode("utf-8"),
            "vocabulary.txt": "\n".join(self.vocabulary).encode("utf-8"),
            "weights.f16": np.stack([self.weights, self.intensity_weights, self.nb_weights])
            .astype("<f2")
            .tobytes(),
        }
        Path(path).write_bytes(zip_bytes(parts))


def meta_features(
    doc_logit: np.ndarray,
    doc_intensity: np.ndarray,
    sentence_logit: np.ndarray,
    sentence_counts: Sequence[int],
    grades: Sequence[float | None],
    doc_nb: np.ndarray,
    sentence_tokens: np.ndarray,
) -> np.ndarray:
    """Stage-two inputs (`META_FEATURES`) from stage-one scores; shared by training and scoring.

    Length is deliberately not among them: on IMDB it predicts the label a little, but it would
    push every short snippet one way.
    """
    counts = np.asarray(sentence_counts, dtype=np.int64)
    if len(counts) and counts.min() < 1:
        raise ValueError("every review needs at least one sentence")
    ends = np.cumsum(counts)
    starts = ends - counts
    columns = {name: np.zeros(len(counts)) for name in META_FEATURES}
    columns["doc_logit"] = doc_logit
    if len(counts):
        total = np.concatenate(([0.0], np.cumsum(sentence_logit)))
        last_three = np.maximum(starts, ends - 3)
        columns["last_sentence"] = sentence_logit[ends - 1]
        columns["last_three_sentences"] = (total[ends] - total[last_three]) / (ends - last_three)
        columns["strongest_positive"] = np.maximum(np.maximum.reduceat(sentence_logit, starts), 0.0)
        columns["strongest_negative"] = np.minimum(np.minimum.reduceat(sentence_logit, starts), 0.0)
        columns["mean_sentence"] = (total[ends] - total[starts]) / counts
        toks = np.asarray(sentence_tokens, dtype=np.float64)
        weighted = np.concatenate(([0.0], np.cumsum(sentence_logit * toks)))
        tok_total = np.concatenate(([0.0], np.cumsum(toks)))
        columns["token_weighted_sentence"] = (weighted[ends] - weighted[starts]) / np.maximum(
            tok_total[ends] - tok_total[starts], 1.0
        )
    stated = np.array([g is not None for g in grades], dtype=bool)
    columns["has_grade"] = stated.astype(float)
    columns["grade"] = np.array([(g - 5.0) / 5.0 if g is not None else 0.0 for g in grades])
    columns["intensity"] = doc_intensity
    columns["intensity_x_doc_logit"] = doc_intensity * doc_logit
    columns["nb_logit"] = doc_nb
    return np.column_stack([columns[name] for name in META_FEATURES])
