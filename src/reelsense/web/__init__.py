"""The web service: a JSON API under /v1 and server-rendered pages, a thin layer over the library."""

from .app import create_app

__all__ = ["create_app"]
