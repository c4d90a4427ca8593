"""Streams cut into batches: the one helper every batched loop uses (Python 3.11 has no itertools.batched)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

__all__ = ["DEFAULT_BATCH_SIZE", "batched"]

DEFAULT_BATCH_SIZE = 256  # reviews analysed together: large enough for numpy to pay, small enough to stream

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last may be shorter); `size` below 1 counts as 1."""
    iterator = iter(items)
    while batch := list(islice(iterator, max(1, size))):
        yield batch
