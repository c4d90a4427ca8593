"""Turn tokenised sentences (`text.tokens`) into the hashed n-gram features the verdict model reads.

Tokens become ids through a vocabulary learnt from the training data; n-grams of ids (within a sentence)
are hashed into a fixed number of buckets, so no n-gram list has to ship or load. N-grams near the
end of a review, where reviewers usually sum up, are hashed a second time into their own namespace.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["NEGATORS", "Occurrences", "FeatureHasher"]

# Multiplicative hashing constants (odd 64-bit numbers with well-mixed bits).
_MIX_A = np.uint64(0x9E3779B97F4A7C15)
_MIX_B = np.uint64(0xC2B2AE3D27D4EB4F)
_TAIL_NAMESPACE = 16
_NEGATED_NAMESPACE = 32
# Words that flip what follows: the next `negation_scope` words of the sentence get a negated copy.
# The training default: a model saves the list it was trained with and reads that one back.
NEGATORS = ("not", "n't", "no", "never", "nothing", "nobody", "none", "neither", "nor", "hardly", "without")


@dataclass(frozen=True, slots=True)
class Occurrences:
    """Every n-gram occurrence of a batch: its feature, and the document, sentence and token it starts at."""

    feature: np.ndarray  # int64 bucket
    doc: np.ndarray  # int64 document index within the batch
    sentence: np.ndarray  # int64 sentence index within the batch (all sentences numbered together)
    token: np.ndarray  # int64 index of the first token within its sentence
    length: np.ndarray  # int8 n-gram length in tokens
    positional: np.ndarray  # bool: the copy hashed into the end-of-review namespace
    doc_tokens: np.ndarray  # int64 tokens per document
    known_tokens: np.ndarray  # int64 tokens in the vocabulary, per document


class _Vocabulary(dict[str, int]):
    """Token ids; unknown tokens are 0 (map(__getitem__) is about twice as fast as .get(t, 0))."""

    def __missing__(self, token: str) -> int:
        return 0


class FeatureHasher:
    """Map tokenised sentences to hashed n-gram occurrences."""

    def __init__(
        self,
        vocabulary: Sequence[str],
        bits: int,
        max_n: int,
        tail_tokens: int,
        negation_scope: int = 0,
        negators: Sequence[str] = NEGATORS,
    ) -> None:
        self.vocabulary = _Vocabulary((word, i + 1) for i, word in enumerate(vocabulary))
        self.bits = bits
        self.max_n = max_n
        self.tail_tokens = tail_tokens
        self.negation_scope = negation_scope
        self._negators = np.array(
            sorted(self.vocabulary[w] for w in negators if w in self.vocabulary), dtype=np.uint64
        )
        self._base = np.uint64(len(vocabulary) + 1)
        self._shift = np.uint64(64 - bits)

    @property
    def size(self) -> int:
        return 1 << self.bits

    def ids(self, tokens: Iterable[str]) -> list[int]:
        return list(map(self.vocabulary.__getitem__, tokens))

    def _hash(self, keys: np.ndarray, namespace: int) -> np.ndarray:
        mixed = (keys * _MIX_B + np.uint64(namespace)) * _MIX_A
        return (mixed >> self._shift).astype(np.int64)

    def occurrences(self, docs: Sequence[Sequence[list[int]]]) -> Occurrences:
        """Hash the n-grams of a batch: `docs[d][s]` is the token-id list of sentence s of doc d."""
        sentence_ids: list[int] = []
        lengths: list[int] = []
        for sentences in docs:
            for sentence in sentences:
                sentence_ids.extend(sentence)
                lengths.append(len(sentence))
        ids = np.asarray(sentence_ids, dtype=np.uint64)
        sent_len = np.asarray(lengths, dtype=np.int64)
        n_sent = len(lengths)
        sent_of_tok = np.repeat(np.arange(n_sent, dtype=np.int64), sent_len)
        sent_start = (np.cumsum(sent_len) - sent_len).astype(np.int64)
        pos_in_sent = np.arange(len(ids), dtype=np.int64) - np.repeat(sent_start, sent_len)
        doc_of_sent = np.repeat(np.arange(len(docs), dtype=np.int64), [len(sentences) for sentences in docs])
        doc_of_tok = doc_of_sent[sent_of_tok]
        # Token position counted back from the end of its document, for the tail namespace.
        doc_len = np.bincount(doc_of_tok, minlength=len(docs)).astype(np.int64)
        known = np.bincount(doc_of_tok[ids > 0], minlength=len(docs)).astype(np.int64)
        doc_end = np.cumsum(doc_len)
        from_end = doc_end[doc_of_tok] - np.arange(len(ids), dtype=np.int64)

        features = []
        docs_out = []
        sents_out = []
        toks_out = []
        ns_out = []
        tails_out = []
        total = len(ids)
        for n in range(1, self.max_n + 1):
            m = total - n + 1
            if m <= 0:
                break
            keys = ids[:m].copy()
            for j in range(1, n):
                keys = keys * self._base + ids[j : j + m]
            inside = sent_of_tok[:m] == sent_of_tok[n - 1 : n - 1 + m]
            keys = keys[inside]
            where = np.flatnonzero(inside)
            feats = self._hash(keys, n)
            tail = from_end[where] <= self.tail_tokens
            for f, w, is_tail in (
                (feats, where, False),
                (self._hash(keys[tail], _TAIL_NAMESPACE + n), where[tail], True),
            ):
                features.append(f)
                docs_out.append(doc_of_tok[w])
                sents_out.append(sent_of_tok[w])
                toks_out.append(pos_in_sent[w])
                ns_out.append(np.full(len(w), n, dtype=np.int8))
                tails_out.append(np.full(len(w), is_tail))
        if self.negation_scope and len(self._negators) and total:
            negator_at = np.flatnonzero(np.isin(ids, self._negators))
            for k in range(1, self.negation_scope + 1):
                at = negator_at[negator_at + k < total]
                at = at[sent_of_tok[at] == sent_of_tok[at + k]] + k
                features.append(self._hash(ids[at], _NEGATED_NAMESPACE))
                docs_out.append(doc_of_tok[at])
                sents_out.append(sent_of_tok[at])
                toks_out.append(pos_in_sent[at])
                ns_out.append(np.ones(len(at), dtype=np.int8))
                tails_out.append(np.zeros(len(at), dtype=bool))
        if not features:
            empty = np.zeros(0, dtype=np.int64)
            return Occurrences(
                empty, empty, empty, empty, np.zeros(0, dtype=np.int8), np.zeros(0, dtype=bool),
                doc_len, known,
            )  # fmt: skip
        return Occurrences(
            np.concatenate(features),
            np.concatenate(docs_out),
            np.concatenate(sents_out),
            np.concatenate(toks_out),
            np.concatenate(ns_out),
            np.concatenate(tails_out),
            doc_len,
            known,
        )
