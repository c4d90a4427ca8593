"""The sentence model: what one sentence (or one piece of it) says, learnt from labelled real reviews.

Trained by `reelsense train-sentences` on sentences people labelled blind (`bench/data/`: critic
snippets, IMDB sentences) and on IMDB train sentences marked with their review's label. Each of its
heads is a logistic regression over the same inputs of a token run:
- its word uni- and bigrams (hashed, as binary features; a negated copy of the words after a
  negator), each head with its own weight per bucket;
- each word's learnt lean, averaged over the run's known words (word vectors learnt from IMDB
  unsup and train, folded into one number per word and head at training time: no vectors ship);
- a few dense readings (`DENSE`): the transfer head's score (an n-gram model of IMDB sentences by
  their review's label), the rules' reading of the run (contrast, negation, faint praise on top of
  the verdict model's scores, `opinion.py`), faint praise and negation themselves, the aspect
  words of the lexicon (`aspects.py`).
The heads, in `HEADS` order:
- `transfer`: P(positive) of a sentence from IMDB review labels alone (an input of the others);
- `polarity`: P(positive) of the run: the sentence's `score`, and a one-sentence review's verdict;
- `neutral`: P(the run leans no way), read with the polarity for the three-way sentiment;
- `opinion`: P(the run judges rather than narrates), for a review's only sentence (in longer
  reviews the opinion model, which reads each sentence in its review, decides);
- `aspect:NAME`, one per aspect: P(the run judges that aspect);
- `tone:NAME`, one per aspect: P(it praises that aspect, where it judges it), reading the words of
  the piece of the sentence that names the aspect ("the acting is superb | but the script is a
  mess").
The model also carries the pull-quote scorer (`quotes.py`), learnt with it.
The file is a zip of plain parts (vocabulary, float16 weights, JSON settings) written with fixed
timestamps, so training twice on the same data gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from ..modelfile import zip_bytes
from ..verdict.features import FeatureHasher
from .aspects import ASPECTS

__all__ = [
    "SentenceModel",
    "Run",
    "RunScores",
    "HEADS",
    "ASPECT_HEADS",
    "TONE_HEADS",
    "dense_inputs",
    "kind_of",
    "DENSE",
    "SENTENCE_MODEL_FORMAT",
    "default_sentence_model_path",
]

SENTENCE_MODEL = "sentence-model.zip"
SENTENCE_MODEL_FORMAT = 1
ASPECT_HEADS = tuple(f"aspect:{name}" for name in ASPECTS)
TONE_HEADS = tuple(f"tone:{name}" for name in ASPECTS)
HEADS = ("transfer", "polarity", "neutral", "opinion", *ASPECT_HEADS, *TONE_HEADS)
# The dense inputs each kind of head reads besides its words, in order. `transfer` and `polarity`
# are those heads' log-odds of the run; `rules` the rules' reading; `term`/`cue` whether the
# lexicon names the head's aspect in the run / a word judges it (+1/−1); `piece` the polarity's
# log-odds of the piece of the sentence that names the head's aspect (the run's where none does);
# `negation` how far a negated judging word turns the run (`opinion.negation_bound`).
DENSE: dict[str, tuple[str, ...]] = {
    "transfer": (),
    "polarity": ("transfer", "transfer_strength", "rules", "rules_strength", "faint", "negation"),
    "neutral": ("polarity", "polarity_strength", "rules", "rules_strength", "faint", "negation_strength"),
    "opinion": ("polarity", "polarity_strength", "rules", "rules_strength", "faint"),
    "aspect": ("polarity", "polarity_strength", "rules", "faint", "term", "cue"),
    "tone": ("piece", "faint", "negation", "term", "cue"),
}
_LIMIT = 30.0


def kind_of(head: str) -> str:
    """The kind of a head ("aspect:acting" → "aspect"), which says its dense inputs."""
    return head.split(":", 1)[0]


def default_sentence_model_path() -> Path:
    return Path(str(resources.files("reelsense") / "data" / SENTENCE_MODEL))


@dataclass(frozen=True, slots=True)
class Run:
    """A token run to read: a sentence or a piece of one.

    `rules` is the rules' log-odds of it (`anatomy.stage`), `faint` whether it is faint praise,
    `negation` how far a negated judging word in it turns it (`opinion.negation_bound`),
    `terms` and `cues` the aspects the lexicon finds named in it and judged by a word in it
    ({aspect: +1/−1} for cues); `pieces` says, for an aspect named in a sentence cut into pieces,
    how many runs further on in the batch the piece that names it is (none: the run itself).
    """

    tokens: Sequence[str]
    rules: float = 0.0
    faint: bool = False
    terms: frozenset[str] = frozenset()
    cues: Mapping[str, int] = field(default_factory=dict)
    pieces: Mapping[str, int] = field(default_factory=dict)
    negation: float = 0.0


@dataclass(frozen=True, slots=True)
class RunScores:
    """The heads' log-odds for a batch of runs: `logits[h, r]` is head `HEADS[h]` on run r."""

    logits: np.ndarray

    def head(self, name: str) -> np.ndarray:
        return self.logits[HEADS.index(name)]

    def probability(self, name: str) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(self.head(name), -_LIMIT, _LIMIT)))

    def probabilities(self) -> dict[str, list[float]]:
        """Every head's P for each run, as plain lists (cheap to index one run at a time)."""
        p = 1.0 / (1.0 + np.exp(-np.clip(self.logits, -_LIMIT, _LIMIT)))
        return {name: row.tolist() for name, row in zip(HEADS, p, strict=True)}


def distinct(keys: np.ndarray) -> np.ndarray:
    """The distinct values of `keys`, sorted (`np.unique` without its hash table, several times
    faster on the half million keys of a batch)."""
    ordered = np.sort(keys)
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _rows(rows: np.ndarray, columns: np.ndarray, n: int, width: int) -> Any:
    """An n × width sparse matrix counting each (row, column) pair; `rows` ascending."""
    import scipy.sparse as sp  # here, not at the top: it would add a quarter second to every start

    starts = np.searchsorted(rows, np.arange(n + 1))
    return sp.csr_matrix((np.ones(len(columns)), columns, starts), shape=(n, width))


class _Columns:
    """The dense inputs of a batch of runs, each column worked out once for all the heads."""

    def __init__(self, runs: Sequence[Run]) -> None:
        self.runs = runs
        self.cache: dict[str, np.ndarray] = {}

    def _column(self, name: str) -> np.ndarray:
        if name not in self.cache:
            runs = self.runs
            if name == "rules":
                self.cache[name] = np.array([run.rules for run in runs], dtype=np.float64)
            elif name == "faint":
                self.cache[name] = np.array([float(run.faint) for run in runs])
            elif name == "negation":
                self.cache[name] = np.array([run.negation for run in runs], dtype=np.float64)
            elif name.startswith("term:"):
                aspect = name[5:]
                self.cache[name] = np.array([float(aspect in run.terms) for run in runs])
            elif name.startswith("cue:"):
                aspect = name[4:]
                self.cache[name] = np.array([float(run.cues.get(aspect, 0)) for run in runs])
            else:  # pragma: no cover - DENSE names only these
                raise AssertionError(name)
        return self.cache[name]

    def dense(self, head: str, transfer: np.ndarray, polarity: np.ndarray | None) -> np.ndarray:
        """The dense inputs (`DENSE`) of one head for each run, given the transfer and polarity
        heads' log-odds of every run of the batch (`polarity` None for the polarity head itself)."""
        aspect = head.split(":", 1)[1] if ":" in head else ""
        columns = []
        for name in DENSE[kind_of(head)]:
            base = name.removesuffix("_strength")
            if base == "transfer":
                x = transfer
            elif base == "polarity":
                assert polarity is not None
                x = polarity
            elif base == "piece":
                assert polarity is not None
                x = polarity[[r + run.pieces.get(aspect, 0) for r, run in enumerate(self.runs)]]
            elif base in ("term", "cue"):
                x = self._column(f"{base}:{aspect}")
            else:
                x = self._column(base)
            columns.append(np.abs(x) if name.endswith("_strength") else x)
        return np.column_stack(columns) if columns else np.zeros((len(self.runs), 0))


def dense_inputs(
    runs: Sequence[Run], transfer: np.ndarray, polarity: np.ndarray | None, head: str
) -> np.ndarray:
    """The dense inputs (`DENSE`) of one head for each run (see `_Columns.dense`)."""
    return _Columns(runs).dense(head, transfer, polarity)


class SentenceModel:
    """A trained sentence model: hashed n-gram weights, word leans and dense weights, per head."""

    def __init__(
        self, vocabulary: Sequence[str], weights: np.ndarray, leans: np.ndarray, params: dict
    ) -> None:
        self.params = params
        self.vocabulary = list(vocabulary)
        self.hasher = FeatureHasher(
            vocabulary, params["bits"], params["max_n"], tail_tokens=-1,
            negation_scope=params["negation_scope"], negators=params["negators"],
        )  # fmt: skip
        if weights.shape != (len(HEADS), self.hasher.size):
            raise ModelError(f"sentence model weights have shape {weights.shape}, expected "
                             f"({len(HEADS)}, {self.hasher.size})")  # fmt: skip
        if leans.shape != (len(HEADS), len(vocabulary) + 1):
            raise ModelError(f"sentence model word leans have shape {leans.shape}")
        # Held a row per feature (and per word), so one sparse product scores every head; `weights`
        # and `leans` (a row per head) are views of the same memory, not copies.
        self._weights_by_feature = np.ascontiguousarray(weights.T, dtype=np.float64)
        self._leans_by_word = np.ascontiguousarray(leans.T, dtype=np.float64)
        self.weights = self._weights_by_feature.T
        self.leans = self._leans_by_word.T
        self.dense = {h: np.array([params["dense"][h][k] for k in DENSE[kind_of(h)]]) for h in HEADS}
        self.intercepts = np.array([params["intercepts"][h] for h in HEADS])
        self.name = params.get("name", "sentences@unsaved")

    # -- scoring -------------------------------------------------------------------------------

    def score(self, runs: Sequence[Run]) -> RunScores:
        """Every head's log-odds for each run."""
        n = len(runs)
        if n == 0:
            return RunScores(np.zeros((len(HEADS), 0)))
        ids = [self.hasher.ids(run.tokens) for run in runs]
        occ = self.hasher.occurrences([[x] for x in ids])
        size = np.int64(self.hasher.size)
        key = distinct(occ.doc * size + occ.feature)  # each feature once per run, in order
        present = _rows(key // size, key % size, n, self.hasher.size)
        sparse = (present @ self._weights_by_feature).T
        # Each head's mean lean over each run's known words.
        every = np.fromiter(chain.from_iterable(ids), dtype=np.int64)
        of_run = np.repeat(np.arange(n), [len(x) for x in ids])
        known = every > 0
        words, owners = every[known], of_run[known]
        count = np.bincount(owners, minlength=n)
        sums = (_rows(owners, words, n, len(self.vocabulary) + 1) @ self._leans_by_word).T
        lean: np.ndarray = sums / np.maximum(count, 1)
        logits = sparse + lean + self.intercepts[:, None]
        # A tone head reads the words of the piece that names its aspect (the run's own, uncut).
        for h, name in enumerate(HEADS):
            if kind_of(name) == "tone":
                aspect = name.split(":", 1)[1]
                if any(aspect in run.pieces for run in runs):
                    shifted = [r + run.pieces.get(aspect, 0) for r, run in enumerate(runs)]
                    logits[h] = logits[h][shifted]
        columns = _Columns(runs)
        transfer = logits[0].copy()
        logits[1] += columns.dense("polarity", transfer, None) @ self.dense["polarity"]
        polarity = logits[1].copy()
        for h, name in enumerate(HEADS[2:], start=2):
            logits[h] += columns.dense(name, transfer, polarity) @ self.dense[name]
        return RunScores(logits)

    def thresholds(self) -> dict[str, float]:
        """The probability past which each aspect head counts its aspect judged (chosen for F1 out of
        fold at training time), and the neutral head's."""
        return dict(self.params["thresholds"])

    def quote_scorer(self) -> dict[str, Any]:
        """The pull-quote scorer saved with the model (`quotes.pick_pull_quote`)."""
        return dict(self.params["quote"])

    # -- storage -------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> SentenceModel:
        """The model in `path`, or the shipped one; ModelError when it is missing or unreadable."""
        where = Path(path) if path is not None else default_sentence_model_path()
        try:
            data = where.read_bytes()
        except OSError as exc:
            raise ModelError(f"cannot read sentence model {where}: {exc.strerror or exc}") from None
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                params = json.loads(z.read("model.json"))
                vocabulary = z.read("vocabulary.txt").decode("utf-8").split("\n")
                weights = np.frombuffer(z.read("weights.f16"), dtype="<f2").reshape(len(HEADS), -1)
                leans = np.frombuffer(z.read("leans.f16"), dtype="<f2").reshape(len(HEADS), -1)
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise ModelError(f"{where} is not a sentence model: {exc}") from None
        if params.get("format") != SENTENCE_MODEL_FORMAT or params.get("heads") != list(HEADS):
            raise ModelError(f"{where} has sentence model format {params.get('format')!r} for other heads; "
                             "retrain it with `reelsense train-sentences`")  # fmt: skip
        params["name"] = f"sentences@{hashlib.sha256(data).hexdigest()[:12]}"
        return cls(vocabulary, weights, leans, params)

    def to_bytes(self) -> bytes:
        params: dict[str, Any] = {k: v for k, v in self.params.items() if k != "name"}
        parts = {
            "model.json": json.dumps(params, indent=1, sort_keys=True).encode("utf-8"),
            "vocabulary.txt": "\n".join(self.vocabulary).encode("utf-8"),
            "weights.f16": self.weights.astype("<f2").tobytes(),
            "leans.f16": self.leans.astype("<f2").tobytes(),
        }
        return zip_bytes(parts)

    def save(self, path: str | Path) -> None:
        """Write the model as a zip whose bytes depend only on its contents."""
        Path(path).write_bytes(self.to_bytes())
