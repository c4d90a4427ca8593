"""The FastAPI application: the JSON API under /v1 and the pages, over one Store and one Pipeline.

Reads are open unless `private` is set; writes (`POST /v1/reviews`) need a token from
`reelsense token create`, sent as `Authorization: Bearer <token>`. Limits: a text of at most
`MAX_TEXT_CHARS` characters, a batch of at most `MAX_BATCH` reviews, `MAX_PER_PAGE` films a page.
"""

import os
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from .. import __version__
from ..corpus.aggregate import film_listing, film_report
from ..corpus.ingest import FieldMap, ingest
from ..corpus.records import StoredReview
from ..corpus.store import Store, database_url
from ..errors import InputError
from ..kb.base import KnowledgeBase
from ..pipeline import Pipeline
from ..review import Item, Rejected
from .views import aspect_svg, histogram_svg, marked_text, tint

__all__ = ["create_app", "MAX_TEXT_CHARS", "MAX_BATCH", "MAX_PER_PAGE", "MAX_BODY_BYTES"]

MAX_TEXT_CHARS = 100_000
MAX_BATCH = 100
MAX_PER_PAGE = 100
MAX_BODY_BYTES = 16 * 1024 * 1024  # a request body larger than this is refused before it is read
SORTS = ("score", "share", "reviews", "title")


class AnalyzeRequest(BaseModel):
    text: str = Field(
        max_length=MAX_TEXT_CHARS, description=f"the review, at most {MAX_TEXT_CHARS:,} characters"
    )


class ReviewIn(BaseModel):
    text: str = Field(max_length=MAX_TEXT_CHARS)
    id: str | None = Field(default=None, description="your id for it")
    film: str | None = Field(default=None, description="an IMDb tt id or 'Title (Year)'")
    critic: str | None = Field(default=None, description="the critic or source (default: the token's name)")
    rating: float | None = Field(default=None, ge=0, le=10, description="the source's own 0–10 rating")
    date: str | None = None
    url: str | None = None


class ReviewBatch(BaseModel):
    reviews: list[ReviewIn] = Field(max_length=MAX_BATCH, description=f"at most {MAX_BATCH} reviews")


def create_app(
    db: str | None = None, *, private: bool | None = None, pipeline: Pipeline | None = None
) -> FastAPI:
    """The app on the database `db` (default: $REELSENSE_DB, else reelsense.db); `private` closes reads."""
    store = Store(db)
    closed = private if private is not None else os.environ.get("REELSENSE_PRIVATE") == "1"
    url = database_url(db)
    analyser = pipeline or Pipeline(kb=url if KnowledgeBase.loaded(url) else None)  # link when a KB is loaded
    app = FastAPI(
        title="reelsense",
        version=__version__,
        description=(
            "Film reviews as structured, explainable knowledge. Writes need an API token "
            "(`reelsense token create NAME`) as `Authorization: Bearer <token>`. "
            f"Limits: texts of at most {MAX_TEXT_CHARS:,} characters, batches of at most {MAX_BATCH} "
            f"reviews, at most {MAX_PER_PAGE} films a page, request bodies of at most "
            f"{MAX_BODY_BYTES:,} bytes."
        ),
    )
    here = resources.files("reelsense") / "web"
    templates = Jinja2Templates(directory=str(here / "templates"))  # autoescapes .html
    templates.env.globals.update(tint=tint, version=__version__)
    app.mount("/static", StaticFiles(directory=str(here / "static")), name="static")

    @app.middleware("http")
    async def bounded_bodies(request: Request, call_next: Any) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            message = f"request body too large: at most {MAX_BODY_BYTES:,} bytes"
            return JSONResponse({"error": message}, status_code=413)
        response: Response = await call_next(request)
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/v1"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        page = templates.TemplateResponse(
            request, "error.html", {"status": exc.status_code, "message": exc.detail}
        )
        page.status_code = exc.status_code
        return page

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return JSONResponse({"error": f"invalid request: {problems}"}, status_code=422)

    def token_of(authorization: str | None) -> str | None:
        if not authorization or not authorization.startswith("Bearer "):
            return None
        return store.token_name(authorization.removeprefix("Bearer ").strip())

    def writer(authorization: Annotated[str | None, Header()] = None) -> str:
        name = token_of(authorization)
        if name is None:
            raise HTTPException(401, "a valid API token is needed: Authorization: Bearer <token>",
                                {"WWW-Authenticate": "Bearer"})  # fmt: skip
        return name

    def reader(authorization: Annotated[str | None, Header()] = None) -> None:
        if closed and token_of(authorization) is None:
            raise HTTPException(401, "this server's reads need an API token", {"WWW-Authenticate": "Bearer"})

    films_cache = _FilmReports(store)
    api = APIRouter(prefix="/v1", dependencies=[Depends(reader)])

    @api.post("/analyze", summary="Analyse one text (nothing is stored)")
    def analyze(body: AnalyzeRequest) -> dict[str, Any]:
        try:
            return analyser.analyze(body.text).to_dict()
        except InputError as exc:
            raise HTTPException(422, exc.reason) from None

    @api.post("/reviews", summary="Store and analyse one review or a batch", status_code=201)
    def submit(body: ReviewIn | ReviewBatch, source: Annotated[str, Depends(writer)]) -> dict[str, Any]:
        given = body.reviews if isinstance(body, ReviewBatch) else [body]
        items = [
            Item(
                r.text,
                r.id,
                {k: v for k, v in r.model_dump().items() if k not in ("text", "id") and v is not None},
            )
            for r in given
        ]
        fields = FieldMap(film_field="film", critic_field="critic", rating_field="rating")
        return ingest(store, analyser, items, source, fields).to_dict()  # source: the token's name

    @api.get("/films", summary="Films, ranked, filtered and paginated")
    def films(
        sort: Annotated[str, Query(pattern="^(score|share|reviews|title)$")] = "score",
        q: Annotated[str | None, Query(max_length=200, description="words in the title or key")] = None,
        min_reviews: Annotated[int, Query(ge=1)] = 1,
        page: Annotated[int, Query(ge=1)] = 1,
        per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
    ) -> dict[str, Any]:
        listing = _film_page(store, sort, q, min_reviews, page, per_page)
        return {**listing, "films": [f.to_dict() for f in listing["films"]]}

    @api.get("/films/{key}", summary="One film's aggregate")
    def film(key: str) -> dict[str, Any]:
        return films_cache.report(key)[0].to_dict()

    @api.get("/reviews/{review_id}", summary="One stored review with its full analysis")
    def review(review_id: int) -> dict[str, Any]:
        found = store.review(review_id)
        if found is None:
            raise HTTPException(404, f"no review {review_id}")
        return {
            "id": found.id,
            "film": found.film_key,
            "film_title": found.film_title,
            "film_year": found.film_year,
            "source": found.source,
            "analysis": found.review.to_dict(),
        }

    @api.get("/search", summary="Full-text search over stored reviews")
    def search(
        q: Annotated[str, Query(min_length=1, max_length=200)],
        film: str | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
    ) -> dict[str, Any]:
        return {"query": q, "results": [h.to_dict() for h in store.search(q, film=film, limit=limit)]}

    app.include_router(api)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, q: str | None = None, page: int = 1, _: None = Depends(reader)) -> Response:
        listing = _film_page(store, "score", q, 1, max(1, page), 30)
        return templates.TemplateResponse(request, "home.html", {"listing": listing, "q": q or ""})

    @app.get("/films/{key}", response_class=HTMLResponse, include_in_schema=False)
    def film_page(request: Request, key: str, _: None = Depends(reader)) -> Response:
        report, rows = films_cache.report(key)
        context = {
            "film": report,
            "reviews": rows,
            "histogram": histogram_svg(report.rating_histogram),
            "aspects": aspect_svg(report.aspects) if report.aspects else None,
        }
        return templates.TemplateResponse(request, "film.html", context)

    @app.get("/reviews/{review_id}", response_class=HTMLResponse, include_in_schema=False)
    def review_page(request: Request, review_id: int, _: None = Depends(reader)) -> Response:
        found = store.review(review_id)
        if found is None:
            raise HTTPException(404, f"no review {review_id}")
        context = {"review": found.review, "marked": marked_text(found.review), "stored": found}
        return templates.TemplateResponse(request, "review.html", context)

    @app.get("/analyze", response_class=HTMLResponse, include_in_schema=False)
    def analyze_form(request: Request, _: None = Depends(reader)) -> Response:
        return templates.TemplateResponse(request, "analyze.html", {"review": None, "text": ""})

    @app.post("/analyze", response_class=HTMLResponse, include_in_schema=False)
    def analyze_page(
        request: Request, text: Annotated[str, Form(max_length=MAX_TEXT_CHARS)], _: None = Depends(reader)
    ) -> Response:
        result = analyser.pipe([Item(text)])[0]
        context: dict[str, Any]
        if isinstance(result, Rejected):
            context = {"review": None, "text": text, "error": result.reason}
        else:
            context = {"review": result, "marked": marked_text(result), "text": text}
        return templates.TemplateResponse(request, "analyze.html", context)

    return app


def _film_page(
    store: Store, sort: str, q: str | None, min_reviews: int, page: int, per_page: int
) -> dict[str, Any]:
    films = film_listing(store.film_rows(min_reviews), sort, q)
    start = (page - 1) * per_page
    return {"total": len(films), "page": page, "per_page": per_page, "films": films[start : start + per_page]}


class _FilmReports:
    """Film reports, rebuilt only when the film's totals change (a review added or reanalysed)."""

    def __init__(self, store: Store, size: int = 256) -> None:
        self.store = store
        self.size = size
        self._held: dict[str, tuple[Any, Any, list[StoredReview]]] = {}

    def report(self, key: str) -> tuple[Any, list[StoredReview]]:
        row = self.store.film(key)  # one indexed aggregate: cheap, and tells what changed
        if row is None:
            raise HTTPException(404, f"no film {key!r}")
        held = self._held.get(key)
        if held is not None and held[0] == row:
            return held[1], held[2]
        reviews = self.store.film_reviews(key)
        built = film_report(row.key, row.title, row.year, reviews)
        if len(self._held) >= self.size:
            self._held.pop(next(iter(self._held)))
        self._held[key] = (row, built, reviews)
        return built, reviews
