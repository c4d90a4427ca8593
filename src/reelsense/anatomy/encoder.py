"""An optional pretrained sentence encoder for short reviews, read from a folder the user gives.

The shipped sentence model is hashed n-grams and word leans: thousands of snippets a second, and
80.5% of the development critic snippets right out of fold (78.0% of the evaluation part). A
pretrained transformer sentence encoder (a sentence-transformers model saved to a folder, such as
all-mpnet-base-v2) with one logistic head learnt from the same development snippets reads 84.4% of
them right out of fold, at about 15 snippets a second on one core: a choice for a corpus of critic
blurbs, not the default (`bench/critics.py --encoder DIR` measures both on the evaluation part).

It reads where the sentence model's reading is the verdict (`coherence.py`): a one-sentence review
without a stated grade, and a short review of a few sentences (at most `SHORT_TOKENS` tokens). There
its P(positive) replaces the sentence model's, and a one-sentence review's sentence takes its side
unless the sentence is neutral. Longer reviews never reach it, so they cost nothing more.

The head is learnt by `reelsense train-encoder --encoder DIR` (development snippets only) and saved
as `DIR/reelsense-encoder-heads.json` with a digest of the folder's files, so a head is never used
with an encoder it was not learnt for. Nothing is downloaded: the model loads with the Hugging Face
hub switched off, from the folder alone. torch and sentence-transformers come with the `encoder`
extra (`pip install 'reelsense[encoder]'`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError, SourceError

__all__ = [
    "Encoder",
    "EncoderHead",
    "ENCODER_HEAD_FORMAT",
    "HEAD_FILE",
    "folder_digest",
    "fit_encoder_head",
    "train_encoder_head",
]

ENCODER_HEAD_FORMAT = 1
HEAD_FILE = "reelsense-encoder-heads.json"
# Tried out of fold on the development snippets with all-mpnet-base-v2 (84.2–84.4% for 0.1–3).
HEAD_CS = (0.1, 0.3, 1.0, 3.0)
HEAD_FOLDS = 5
HEAD_SEED = 20261204
ENCODE_BATCH = 32


def folder_digest(folder: Path) -> str:
    """sha256 over the folder's files (their paths and bytes), leaving out the head file itself."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != HEAD_FILE):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        h.update(b"\0")
    return h.hexdigest()


@dataclass(frozen=True)
class EncoderHead:
    """P(positive) of a text from its embedding: a logistic regression learnt from critic snippets."""

    coef: np.ndarray
    intercept: float
    digest: str  # `folder_digest` of the encoder it was learnt on
    report: dict[str, Any]

    def probability(self, embeddings: np.ndarray) -> np.ndarray:
        z = embeddings @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> str:
        data = {
            "format": ENCODER_HEAD_FORMAT,
            "encoder_digest": self.digest,
            "intercept": round(self.intercept, 6),
            "coef": [round(float(c), 6) for c in self.coef],
            "report": self.report,
        }
        return json.dumps(data, indent=1, sort_keys=True) + "\n"

    @classmethod
    def load(cls, path: Path) -> EncoderHead:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ModelError(
                f"cannot read the encoder's head {path}: {exc.strerror or exc} "
                "(learn it with `reelsense train-encoder --encoder DIR`)"
            ) from None
        except ValueError as exc:
            raise ModelError(f"{path} is not an encoder head: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != ENCODER_HEAD_FORMAT:
            raise ModelError(f"{path} is not an encoder head of format {ENCODER_HEAD_FORMAT}")
        try:
            coef = np.asarray(data["coef"], dtype=np.float64)
            return cls(coef, float(data["intercept"]), str(data["encoder_digest"]), dict(data["report"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{path} is not an encoder head: {exc}") from None


class Encoder:
    """A sentence-transformers model in `folder` and the head learnt for it (`head`, by default
    the folder's `reelsense-encoder-heads.json`). The model loads the first time it is asked to
    read, in the process that reads (a pool's workers each load their own)."""

    def __init__(self, folder: str | Path, head: str | Path | None = None) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise ModelError(
                f"encoder {folder}: no such folder (a sentence-transformers model saved to disk)"
            )
        self.head_path = Path(head) if head is not None else self.folder / HEAD_FILE
        self.head = EncoderHead.load(self.head_path)
        digest = folder_digest(self.folder)
        if digest != self.head.digest:
            raise ModelError(
                f"the head {self.head_path} was learnt for another encoder (digest "
                f"{self.head.digest[:12]}, this folder's is {digest[:12]}): learn one with "
                f"`reelsense train-encoder --encoder {folder}`"
            )
        self.name = f"encoder@{digest[:12]}"
        self._model: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_model": None}  # a worker (started fresh, `pipeline.py`) loads its own

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's embedding, normalised to length one."""
        if not texts:
            return np.zeros((0, len(self.head.coef)))
        if self._model is None:
            self._model = load_sentence_transformer(self.folder)
        out = _encode(self._model, texts)
        if out.shape[1] != len(self.head.coef):
            raise ModelError(
                f"encoder {self.folder} gives {out.shape[1]} numbers a text, "
                f"its head reads {len(self.head.coef)}"
            )
        return out

    def probability(self, texts: Sequence[str]) -> np.ndarray:
        """P(positive) of each text."""
        return self.head.probability(self.embed(texts))


def _encode(model: Any, texts: Sequence[str]) -> np.ndarray:
    """Each text's embedding by `model`, normalised to length one."""
    vectors = model.encode(
        list(texts), batch_size=ENCODE_BATCH, normalize_embeddings=True, convert_to_numpy=True,
        show_progress_bar=False,
    )  # fmt: skip
    return np.asarray(vectors, dtype=np.float64)


def load_sentence_transformer(folder: Path) -> Any:
    """The sentence-transformers model saved in `folder`, on the CPU, with the hub switched off."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ModelError(
            "the encoder needs torch and sentence-transformers: pip install 'reelsense[encoder]'"
        ) from None
    try:
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # its "Loading weights" bar would cross our output
    except ImportError:  # pragma: no cover - sentence-transformers always brings transformers
        pass
    try:
        return SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    except Exception as exc:  # the library raises many kinds for a folder that is no model
        raise ModelError(f"cannot load the encoder in {folder}: {exc}") from None


def fit_encoder_head(
    embeddings: np.ndarray, positive: np.ndarray, digest: str, cs: Sequence[float] = HEAD_CS
) -> EncoderHead:
    """A logistic head over `embeddings`, its C chosen by accuracy out of fold (seeded folds)."""
    import scipy.sparse as sp

    from ..verdict.train import fit_logistic

    y = np.asarray(positive, dtype=bool)
    X = sp.csr_matrix(embeddings)
    folds = np.random.default_rng(HEAD_SEED).permutation(len(y)) % HEAD_FOLDS
    accuracy: dict[str, float] = {}
    for C in cs:
        right = 0
        for k in range(HEAD_FOLDS):
            train, test = folds != k, folds == k
            coef, intercept = fit_logistic(X[train], y[train], C, 2000)
            right += int(((embeddings[test] @ coef + intercept > 0) == y[test]).sum())
        accuracy[f"{C:g}"] = round(right / len(y), 4)
    best = max(cs, key=lambda c: (accuracy[f"{c:g}"], -c))
    coef, intercept = fit_logistic(X, y, best, 2000)
    report = {
        "texts": len(y),
        "C": best,
        "cv_accuracy_by_C": accuracy,
        "cv_fresh_rotten": accuracy[f"{best:g}"],
    }
    return EncoderHead(coef, intercept, digest, report)


def development_snippets(data: Path, labels: Path) -> tuple[list[str], np.ndarray]:
    """The development critic snippets (`rt-snippets.tsv`, part dev) and whether each is fresh;
    evaluation rows are never read."""
    from ..verdict.train import read_jsonl
    from .sentence_train import read_tsv

    ids = [row["snippet_id"] for row in read_tsv(labels / "rt-snippets.tsv") if row["part"] == "dev"]
    wanted = set(ids)
    try:
        rows = read_jsonl(data / "rt" / "train.jsonl.gz")
        texts = {r["id"]: (r["text"], r["label"] == "pos") for r in rows if r["id"] in wanted}
    except OSError as exc:
        raise SourceError(f"cannot read the critic snippets: {exc}") from None
    missing = [i for i in ids if i not in texts]
    if missing:
        raise SourceError(f"snippet {missing[0]} is not in {data / 'rt' / 'train.jsonl.gz'}")
    return [texts[i][0] for i in ids], np.array([texts[i][1] for i in ids])


def train_encoder_head(
    folder: Path, data: Path, labels: Path, progress: Callable[[int, int], None] | None = None
) -> EncoderHead:
    """Learn the head for the encoder in `folder` from the development critic snippets."""
    texts, fresh = development_snippets(data, labels)
    model = load_sentence_transformer(folder)
    parts = []
    for at in range(0, len(texts), 256):
        parts.append(_encode(model, texts[at : at + 256]))
        if progress is not None:
            progress(min(at + 256, len(texts)), len(texts))
    return fit_encoder_head(np.concatenate(parts), fresh, folder_digest(folder))
