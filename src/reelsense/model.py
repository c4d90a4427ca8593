"""The verdict model: hashed n-gram weights plus a small second stage, stored as one zip file.

Stage one is a naive-Bayes-scaled logistic regression over binary n-gram features (the NBSVM family
of Wang & Manning 2012), scored for the whole review and for each sentence on its own. Stage two
reads a handful of numbers about those scores (the whole-review score, the last and strongest
sentences, the length, the stated grade) and gives a calibrated P(positive) and a 0–10 rating. The
file is a zip of plain parts (vocabulary.txt, weights.f16, model.json) written with fixed timestamps,
so training twice on the same data gives the same bytes.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError
from .features import FeatureHasher, Occurrences

__all__ = ["VerdictModel", "BatchScores", "FORMAT_VERSION", "default_model_path", "META_FEATURES"]

FORMAT_VERSION = 1
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
# The numbers stage two reads about each review, in order.
META_FEATURES = (
    "doc_logit",
    "last_sentence",
    "last_three_sentences",
    "strongest_positive",
    "strongest_negative",
    "mean_sentence",
    "log_tokens",
    "has_grade",
    "grade",
)


def default_model_path() -> Path:
    return Path(str(resources.files("reelsense") / "data" / "verdict-model.zip"))


@dataclass(frozen=True, slots=True)
class BatchScores:
    """Stage-one scores of a batch: per review, per sentence, and per distinct feature of a review."""

    doc_logit: np.ndarray  # float64 per review
    sentence_logit: np.ndarray  # float64 per sentence (all sentences of the batch in order)
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
            vocabulary, params["bits"], params["max_n"], params["tail_tokens"]
        )
        if weights.shape != (self.hasher.size,):
            raise ModelError(f"model weights have shape {weights.shape}, expected ({self.hasher.size},)")
        self.weights = weights.astype(np.float64)
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

        plain = np.flatnonzero(~occ.tail)
        skey = np.sort(occ.sentence[plain] * size + occ.feature[plain])
        if len(skey):
            skey = skey[np.concatenate(([True], skey[1:] != skey[:-1]))]
        sentence_logit = np.bincount(
            skey // size, weights=self.weights[skey % size], minlength=n_sents
        )
        return BatchScores(
            doc_logit=doc_logit,
            sentence_logit=sentence_logit,
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
            scores.doc_logit, scores.sentence_logit, scores.doc_tokens, sentence_counts, grades
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
                weights = np.frombuffer(z.read("weights.f16"), dtype="<f2")
        except FileNotFoundError:
            raise ModelError(
                f"no model file at {path}: run `reelsense train` to build one"
            ) from None
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise ModelError(f"model file {path} is damaged or not a reelsense model ({exc})") from None
        if params.get("format") != FORMAT_VERSION:
            raise ModelError(
                f"model file {path} has format {params.get('format')}, this reelsense reads "
                f"format {FORMAT_VERSION}: retrain it with `reelsense train`"
            )
        return cls(vocabulary, weights, params)

    def save(self, path: str | Path) -> None:
        """Write the model as a zip whose bytes depend only on its contents."""
        parts = {
            "model.json": json.dumps(self.params, indent=1, sort_keys=True).encode("utf-8"),
            "vocabulary.txt": "\n".join(self.vocabulary).encode("utf-8"),
            "weights.f16": self.weights.astype("<f2").tobytes(),
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            for name, data in parts.items():
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, data, compresslevel=9)
        Path(path).write_bytes(buffer.getvalue())


def meta_features(
    doc_logit: np.ndarray,
    sentence_logit: np.ndarray,
    doc_tokens: np.ndarray,
    sentence_counts: Sequence[int],
    grades: Sequence[float | None],
) -> np.ndarray:
    """Stage-two inputs from stage-one scores; shared by training and scoring."""
    n = len(doc_logit)
    out = np.zeros((n, len(META_FEATURES)))
    out[:, 0] = doc_logit
    start = 0
    for d, count in enumerate(sentence_counts):
        sl = sentence_logit[start : start + count]
        start += count
        if count:
            out[d, 1] = sl[-1]
            out[d, 2] = sl[-3:].mean()
            out[d, 3] = max(sl.max(), 0.0)
            out[d, 4] = min(sl.min(), 0.0)
            out[d, 5] = sl.mean()
        grade = grades[d]
        if grade is not None:
            out[d, 7] = 1.0
            out[d, 8] = (grade - 5.0) / 5.0
    out[:, 6] = np.log1p(doc_tokens)
    return out


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))
