"""What every route shares: the `Site` (settings, store, pipeline, templates, cached film reports), kept
on `app.state.site`, and the dependencies that hand it out and check tokens."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..anatomy.encoder import Encoder
from ..corpus.aggregate import (
    DEFAULT_LABELS,
    FILM_ORDERS,
    FilmReport,
    FilmSummary,
    Labels,
    film_listing,
    find_film,
    matching,
)
from ..corpus.records import FilmRow, names_a_file
from ..corpus.store import Store
from ..pipeline import Pipeline
from .settings import WebSettings
from .views import tint

__all__ = [
    "Site",
    "FilmReports",
    "FilmListings",
    "FilmPage",
    "SiteDep",
    "site_of",
    "reader",
    "writer",
    "film_page",
    "SORTS",
    "SORT_PATTERN",
]

SORTS = tuple(FILM_ORDERS)
SORT_PATTERN = f"^({'|'.join(SORTS)})$"


def templates() -> Jinja2Templates:
    """The page templates (autoescaping .html), with the helpers they call."""
    found = Jinja2Templates(directory=str(resources.files("reelsense") / "web" / "templates"))
    found.env.globals.update(tint=tint, version=__version__, names_a_file=names_a_file)
    return found


class FilmReports:
    """Film reports, rebuilt only when the film's totals change (a review added or reanalysed)."""

    def __init__(self, store: Store, size: int, labels: Labels = DEFAULT_LABELS) -> None:
        self.store = store
        self.size = size
        self.labels = labels
        self._held: dict[str, tuple[FilmRow, FilmReport]] = {}
        self._lock = threading.Lock()  # sync routes run on a thread pool

    def report(self, key: str, listings: FilmListings | None = None) -> FilmReport | None:
        """The film's report (`Store.film_report`), or None when no review of it is stored; a key
        not stored is looked up as typed or by title (`find_film`) in `listings`, where given."""
        row = self.store.film(key)  # one indexed aggregate: cheap, and tells what changed
        if row is None and listings is not None:
            found = find_film(key, listings.ordered("reviews"))
            row = self.store.film(found) if found else None
        if row is None:
            return None
        key = row.key
        held = self._held.get(key)
        if held is not None and held[0] == row:
            return held[1]
        built = self.store.film_report(row, self.labels)
        with self._lock:
            if key not in self._held and len(self._held) >= self.size:
                self._held.pop(next(iter(self._held)))
            self._held[key] = (row, built)
        return built


class FilmListings:
    """The film list in each order, kept until the corpus changes (`Store.generation`): a list page
    costs one lookup and a slice, not a total over every analysis of every film."""

    def __init__(self, store: Store, labels: Labels = DEFAULT_LABELS) -> None:
        self.store = store
        self.labels = labels
        self._generation: int | None = None
        self._ordered: dict[str, list[FilmSummary]] = {}
        self._lock = threading.Lock()  # sync routes run on a thread pool; one rebuilds, the rest wait

    def ordered(self, sort: str) -> list[FilmSummary]:
        """Every film with an analysed review, ordered by `sort` (a key of FILM_ORDERS)."""
        generation = self.store.generation()  # read first: a write after it moves it again
        with self._lock:
            if generation != self._generation:
                self._ordered = {"score": film_listing(self.store.film_rows(), "score", labels=self.labels)}
                self._generation = generation
            if sort not in self._ordered:
                self._ordered[sort] = sorted(self._ordered["score"], key=FILM_ORDERS[sort])
            return self._ordered[sort]


@dataclass(frozen=True)
class Site:
    """The app's settings and what it built from them, shared by every request."""

    settings: WebSettings
    store: Store
    pipeline: Pipeline
    templates: Jinja2Templates
    films: FilmReports
    listings: FilmListings

    @classmethod
    def build(cls, settings: WebSettings, pipeline: Pipeline | None = None) -> Site:
        """Open the store and load the pipeline (unless one is given) that `settings` name."""
        store = Store(settings.database)
        if pipeline is None:
            encoder = Encoder(settings.encoder, settings.encoder_head) if settings.encoder else None
            pipeline = Pipeline(settings.model, kb=settings.knowledge_base, encoder=encoder)
        analyser = pipeline
        films = FilmReports(store, settings.film_cache, settings.labels)
        return cls(settings, store, analyser, templates(), films, FilmListings(store, settings.labels))

    def token_name(self, authorization: str | None) -> str | None:
        """Whose bearer token the Authorization header carries, or None."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():  # the scheme is case-blind (RFC 7235)
            return None
        return self.store.token_name(token.strip())


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


SiteDep = Annotated[Site, Depends(site_of)]


def reader(site: SiteDep, authorization: Annotated[str | None, Header()] = None) -> None:
    """Let a read through, unless the server is private and no valid token came with it."""
    if site.settings.private and site.token_name(authorization) is None:
        raise HTTPException(401, "this server's reads need an API token", {"WWW-Authenticate": "Bearer"})


def writer(site: SiteDep, authorization: Annotated[str | None, Header()] = None) -> str:
    """The name of the token a write came with; refused without a valid one."""
    name = site.token_name(authorization)
    if name is None:
        raise HTTPException(401, "a valid API token is needed: Authorization: Bearer <token>",
                            {"WWW-Authenticate": "Bearer"})  # fmt: skip
    return name


@dataclass(frozen=True, slots=True)
class FilmPage:
    """One page of the film list: how many films match in all, where the page is, its films, and how
    many were left out for having too few reviews."""

    total: int
    page: int
    per_page: int
    films: list[FilmSummary]
    hidden: int = 0

    def to_dict(self) -> dict[str, Any]:
        films = [f.to_dict() for f in self.films]
        return {"total": self.total, "hidden": self.hidden, "page": self.page, "per_page": self.per_page,
                "films": films}  # fmt: skip


def film_page(site: Site, sort: str, q: str | None, min_reviews: int, page: int, per_page: int) -> FilmPage:
    """Page `page` of the films with at least `min_reviews` reviews matching `q`, ordered by `sort`;
    `hidden` counts the films matching `q` left out for having fewer."""
    films = site.listings.ordered(sort)
    if q:
        films = matching(films, q)
    listed = [f for f in films if f.reviews >= min_reviews] if min_reviews > 1 else films
    start = (page - 1) * per_page
    return FilmPage(len(listed), page, per_page, listed[start : start + per_page], len(films) - len(listed))
