"""How the web app is configured: one frozen `WebSettings` handed to `create_app`, and the fixed limits.

`serve` builds the settings from its options. With several workers uvicorn imports the app in each
worker process by name, so `serve` hands the settings over once, as JSON in the environment variable
`SETTINGS_VARIABLE`, and only `app.app_from_environment` reads it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from ..corpus.aggregate import DEFAULT_LABELS, Labels

__all__ = [
    "WebSettings",
    "SETTINGS_VARIABLE",
    "MAX_TEXT_CHARS",
    "MAX_BATCH",
    "MAX_PER_PAGE",
    "MAX_BODY_BYTES",
    "FILM_CACHE",
]

SETTINGS_VARIABLE = "REELSENSE_WEB_SETTINGS"
MAX_TEXT_CHARS = 100_000
MAX_BATCH = 100
MAX_PER_PAGE = 100
MAX_BODY_BYTES = 16 * 1024 * 1024  # a request body larger than this is refused before it is read
FILM_CACHE = 256  # film reports held in memory, each until its film's totals change


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Everything the app needs to know: its database, whether reads are closed, and its models."""

    database: str  # the URL of the corpus (and of the knowledge base, when one is loaded)
    private: bool = False  # reads need an API token too (writes always do)
    knowledge_base: str | None = None  # the URL of a knowledge base to link names with
    model: str | None = None  # a verdict model file (default: the shipped one)
    film_cache: int = FILM_CACHE
    labels: Labels = DEFAULT_LABELS  # how a film's standing is put in words
    encoder: str | None = None  # a sentence-transformers folder that reads short reviews (`--encoder`)
    encoder_head: str | None = None  # its learnt head (default: the one in its folder)

    @classmethod
    def for_database(
        cls,
        url: str,
        *,
        private: bool = False,
        model: str | None = None,
        labels: Labels = DEFAULT_LABELS,
        encoder: str | None = None,
        encoder_head: str | None = None,
    ) -> WebSettings:
        """Settings on the database at `url`, linking names when it holds a knowledge base."""
        from ..kb.base import KnowledgeBase

        kb = url if KnowledgeBase.loaded(url) else None
        return cls(url, private, kb, model, labels=labels, encoder=encoder, encoder_head=encoder_head)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> WebSettings:
        values = json.loads(text)
        return cls(**{**values, "labels": Labels(**values.get("labels", {}))})


# The largest id, page or count a request may name: past it the database cannot even compare
# (SQLite's integers are 64-bit), so it is refused as invalid instead of failing inside.
MAX_NUMBER = 1 << 53
