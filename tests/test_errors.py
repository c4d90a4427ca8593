import pickle

import pytest

import reelsense
from reelsense import errors
from reelsense.errors import InputError, ModelError, ReelsenseError, SourceError, StageError, StoreError


def test_errors_form_one_tree_rooted_in_reelsense_error() -> None:
    assert ReelsenseError.__bases__ == (Exception,)
    kinds = (InputError, SourceError, ModelError, StoreError, StageError)
    assert {cls: cls.__bases__ for cls in kinds} == {
        InputError: (ReelsenseError,),
        SourceError: (ReelsenseError,),
        ModelError: (ReelsenseError,),
        StoreError: (ReelsenseError,),
        StageError: (ReelsenseError,),
    }
    assert errors.__all__ == [
        "ReelsenseError", "InputError", "SourceError", "ModelError", "StoreError", "StageError"
    ]  # fmt: skip
    assert all(getattr(reelsense, name) is getattr(errors, name) for name in errors.__all__)


def test_errors_tree_is_the_one_the_module_docstring_draws() -> None:
    doc = errors.__doc__ or ""
    for name in errors.__all__:
        assert name in doc, name


def test_errors_input_error_names_the_record_and_the_reason() -> None:
    error = InputError("r7", "empty text")
    assert (error.record, error.reason, str(error)) == ("r7", "empty text", "record r7: empty text")
    assert str(InputError(None, "empty text")) == "empty text"


def test_errors_input_error_survives_pickling() -> None:
    """Worker processes send errors back pickled; record and reason must come back whole."""
    copy = pickle.loads(pickle.dumps(InputError("r7", "text is binary")))
    assert (type(copy), copy.record, copy.reason, str(copy)) == (
        InputError,
        "r7",
        "text is binary",
        "record r7: text is binary",
    )


def test_errors_stage_error_names_the_stage_and_survives_pickling() -> None:
    error = StageError("people", "returned 3 reviews for a batch of 4")
    assert str(error) == "stage 'people' returned 3 reviews for a batch of 4"
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.stage, copy.problem, str(copy)) == (
        StageError,
        error.stage,
        error.problem,
        str(error),
    )


def test_errors_are_caught_as_reelsense_errors() -> None:
    for error in (InputError("a", "b"), SourceError("x.txt: no such file"), ModelError("bad")):
        with pytest.raises(ReelsenseError) as caught:
            raise error
        assert caught.value is error
