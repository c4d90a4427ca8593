from __future__ import annotations

import pytest

from reelsense.kb.base import KnowledgeBase
from reelsense.kb.imdb import import_imdb

from ..conftest import ROOT

FILES = ROOT / "tests" / "data" / "imdb-kb"


@pytest.fixture(scope="module")
def kb_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite knowledge base imported from the tiny IMDb-format files in tests/data/imdb-kb."""
    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'kb.sqlite'}"
    import_imdb(FILES, url)
    return url


@pytest.fixture(scope="module")
def kb(kb_url: str) -> KnowledgeBase:
    return KnowledgeBase(kb_url)
