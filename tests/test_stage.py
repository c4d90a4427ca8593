"""The stage contract: an example stage plugged in, and each way a stage can break the contract."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pytest

from reelsense import Pipeline, Review, StageError
from reelsense.stage import check_order, check_output

from .conftest import make_review


@dataclasses.dataclass
class Shouting:
    """The README's example stage: flags a review written in capitals."""

    name: str = "shouting"
    requires: frozenset[str] = frozenset({"sentences"})
    assigns: frozenset[str] = frozenset({"flags"})
    model: None = None

    def pipe(self, reviews: Sequence[Review]) -> list[Review]:
        return [
            dataclasses.replace(r, flags=(*r.flags, "shouting")) if r.text.isupper() else r for r in reviews
        ]


@dataclasses.dataclass
class Broken:
    """A stage that returns whatever it is told to."""

    result: object
    name: str = "broken"
    requires: frozenset[str] = frozenset()
    assigns: frozenset[str] = frozenset()
    model: None = None

    def pipe(self, reviews: Sequence[Review]) -> list[Review]:
        return self.result(reviews)  # type: ignore[operator, no-any-return]


def test_stage_an_extra_stage_runs_after_the_built_in_ones() -> None:
    pipeline = Pipeline(anatomy=False, people=False, extra_stages=[Shouting()])
    loud, quiet = pipeline.analyze_many(["WHAT A FILM. I LOVED IT.", "What a film. I loved it."])
    assert isinstance(loud, Review) and isinstance(quiet, Review)
    assert loud.flags[-1] == "shouting" and "shouting" not in quiet.flags
    assert loud.verdict is not None  # the verdict stage ran before it
    assert loud.model == quiet.model == pipeline.name == pipeline.model.name  # rules add no model name


def test_stage_order_is_checked_when_the_pipeline_is_built() -> None:
    needs_aspects = Shouting(name="aspect-count", requires=frozenset({"aspects"}))
    with pytest.raises(StageError) as caught:
        Pipeline(anatomy=False, people=False, extra_stages=[needs_aspects])
    assert str(caught.value) == (
        "stage 'aspect-count' requires 'aspects', which nothing before it assigns (before it: read, verdict)"
    )
    Pipeline(people=False, extra_stages=[needs_aspects])  # the anatomy stage assigns aspects


def test_stage_order_starts_from_what_reading_fills() -> None:
    check_order([Shouting(requires=frozenset({"layout", "sentences", "grade", "normalized", "flags"}))])


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (lambda reviews: reviews[:1], "stage 'broken' returned 1 reviews for a batch of 2"),
        (lambda reviews: tuple(reviews), "stage 'broken' returned tuple, expected a list of Review"),
        (
            lambda reviews: [reviews[0], {"id": "r2"}],
            "stage 'broken' returned dict at position 1, expected a Review",
        ),
        (
            lambda reviews: reviews[::-1],
            "stage 'broken' returned a different review at position 0 (record 'r1'): "
            "results must come back one per input, in order",
        ),
    ],
)
def test_stage_output_is_checked_and_the_stage_named(result: object, message: str) -> None:
    batch = [make_review(id="r1", text="One."), make_review(id="r2", text="Two.")]
    stage = Broken(result)
    with pytest.raises(StageError) as caught:
        check_output(stage, batch, stage.pipe(batch))
    assert str(caught.value) == message and caught.value.stage == "broken"


def test_stage_a_broken_stage_stops_the_pipeline_with_its_name() -> None:
    pipeline = Pipeline(anatomy=False, people=False, extra_stages=[Broken(lambda reviews: [])])
    with pytest.raises(StageError, match=r"^stage 'broken' returned 0 reviews for a batch of 1$"):
        pipeline.analyze("A fine film.")
