"""The stage contract: what a pipeline stage is, says about itself, and is checked for.

A stage takes a batch of reviews and returns the same reviews, in order, with its findings filled
in (`dataclasses.replace`; never mutation). It declares the `Review` fields it reads (`requires`)
and those it fills (`assigns`), and the name of the model it applies, if any (`model`: it becomes
part of every analysis's name, so stored analyses made otherwise are known to be stale).

A pipeline checks the order once, when it is built (each stage's `requires` must be filled by
reading or a stage before it), and each stage's output on every batch (one `Review` per input, the
same text, in order), raising `StageError` naming the stage.

    @dataclass
    class Shouting:
        name = "shouting"
        requires = frozenset({"sentences"})
        assigns = frozenset({"flags"})
        model = None

        def pipe(self, reviews: Sequence[Review]) -> list[Review]:
            return [replace(r, flags=(*r.flags, "shouting")) if r.text.isupper() else r for r in reviews]

    Pipeline(extra_stages=[Shouting()])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from .errors import StageError
from .review import Review
from .text.reading import READ_ASSIGNS

__all__ = ["Named", "Stage", "check_order", "check_output"]


class Named(Protocol):
    """A model: anything with a name that changes when what it computes changes."""

    @property
    def name(self) -> str: ...


class Stage(Protocol):
    """A pipeline stage: reviews in, the same reviews with its findings out, in order."""

    @property
    def name(self) -> str:
        """How errors and listings name it."""

    @property
    def requires(self) -> frozenset[str]:
        """The Review fields it reads."""

    @property
    def assigns(self) -> frozenset[str]:
        """The Review fields it fills."""

    @property
    def model(self) -> Named | None:
        """The model it applies, or None for rules alone."""

    def pipe(self, reviews: Sequence[Review]) -> list[Review]: ...


def check_order(stages: Iterable[Stage]) -> None:
    """Raise StageError when a stage needs a field that neither reading nor a stage before it fills."""
    filled = set(READ_ASSIGNS)
    before = ["read"]
    for stage in stages:
        for needed in sorted(stage.requires - filled):
            raise StageError(
                stage.name,
                f"requires {needed!r}, which nothing before it assigns (before it: {', '.join(before)})",
            )
        filled |= stage.assigns
        before.append(stage.name)


def check_output(stage: Stage, batch: Sequence[Review], out: object) -> list[Review]:
    """`out` as a list of reviews, or StageError saying how the stage broke its contract on `batch`."""
    if not isinstance(out, list):
        raise StageError(stage.name, f"returned {type(out).__name__}, expected a list of Review")
    if len(out) != len(batch):
        raise StageError(stage.name, f"returned {len(out)} reviews for a batch of {len(batch)}")
    for i, (before, after) in enumerate(zip(batch, out, strict=True)):
        if not isinstance(after, Review):
            raise StageError(
                stage.name, f"returned {type(after).__name__} at position {i}, expected a Review"
            )
        if after.text != before.text or after.id != before.id:
            raise StageError(
                stage.name,
                f"returned a different review at position {i} (record {before.id!r}): "
                "results must come back one per input, in order",
            )
    return out
