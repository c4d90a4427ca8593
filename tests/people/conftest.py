from __future__ import annotations

import pytest

from reelsense import Pipeline

from ..kb.conftest import kb, kb_url

__all__ = ["kb", "kb_url", "linked"]  # the knowledge-base fixtures, shared with tests/kb


@pytest.fixture(scope="module")
def linked(kb_url: str, pipeline: Pipeline) -> Pipeline:
    return Pipeline(pipeline.model, kb=kb_url)
