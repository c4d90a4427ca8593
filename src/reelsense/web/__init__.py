"""The web service: a JSON API under /v1 and server-rendered pages, a thin layer over the library.

May import: the library and the corpus. Never the CLI.
"""

from .app import create_app
from .settings import WebSettings

__all__ = ["create_app", "WebSettings"]
