"""The HTML pages: the film list, a film, a stored review, and the paste-a-review form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..corpus.aggregate import LISTED_REVIEWS
from ..review import Item, Rejected
from .settings import MAX_NUMBER, MAX_TEXT_CHARS
from .site import SORT_PATTERN, SiteDep, film_page, reader
from .views import aspect_svg, histogram_svg, marked_text, time_svg

__all__ = ["router", "FILMS_PER_PAGE", "REVIEWS_PER_PAGE"]

FILMS_PER_PAGE = 30
REVIEWS_PER_PAGE = 50  # a film's page lists its reviews a page at a time
# How the home page names each order (`FILM_ORDERS`).
SORT_NAMES = {
    "share": "share positive (the interval's low end)",
    "score": "score (mean rating)",
    "reviews": "most reviewed",
    "title": "title",
}

# The pages are for people; the API's schema (/docs) documents /v1 only.
router = APIRouter(
    dependencies=[Depends(reader)], include_in_schema=False, default_response_class=HTMLResponse
)


@router.get("/")
def home(
    site: SiteDep,
    request: Request,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str, Query(pattern=SORT_PATTERN)] = "share",
    min_reviews: Annotated[int, Query(ge=1, le=MAX_NUMBER)] = LISTED_REVIEWS,
    page: Annotated[int, Query(ge=1, le=MAX_NUMBER)] = 1,
) -> Response:
    listing = film_page(site, sort, q, min_reviews, page, FILMS_PER_PAGE)
    context = {"listing": listing, "q": q or "", "sort": sort, "min_reviews": min_reviews}
    context["sorts"] = SORT_NAMES
    return site.templates.TemplateResponse(request, "home.html", context)


@router.get("/films/{key}")
def film(
    site: SiteDep, request: Request, key: str, page: Annotated[int, Query(ge=1, le=MAX_NUMBER)] = 1
) -> Response:
    report = site.films.report(key, site.listings)
    if report is None:
        raise HTTPException(404, f"no film {key!r}")
    reviews = site.store.film_review_lines(report.key, REVIEWS_PER_PAGE, (page - 1) * REVIEWS_PER_PAGE)
    context = {
        "film": report,
        "reviews": reviews,
        "page": page,
        "pages": max(1, -(-report.reviews // REVIEWS_PER_PAGE)),
        "histogram": histogram_svg(report.rating_histogram),
        "over_time": time_svg(report.over_time) if len(report.over_time) >= 2 else None,
        "aspects": aspect_svg(report.aspects) if report.aspects else None,
    }
    return site.templates.TemplateResponse(request, "film.html", context)


@router.get("/reviews/{review_id}")
def review(site: SiteDep, request: Request, review_id: Annotated[int, Path(ge=1, le=MAX_NUMBER)]) -> Response:
    stored = site.store.review(review_id)
    if stored is None:
        raise HTTPException(404, f"no review {review_id}")
    context = {"review": stored.review, "marked": marked_text(stored.review), "stored": stored}
    return site.templates.TemplateResponse(request, "review.html", context)


@router.get("/analyze")
def analyze_form(site: SiteDep, request: Request) -> Response:
    return site.templates.TemplateResponse(request, "analyze.html", {"review": None, "text": ""})


@router.post("/analyze")
def analyze(
    site: SiteDep, request: Request, text: Annotated[str, Form(max_length=MAX_TEXT_CHARS)]
) -> Response:
    result = site.pipeline.pipe([Item(text)])[0]
    context: dict[str, Any]
    if isinstance(result, Rejected):
        context = {"review": None, "text": text, "error": result.reason}
    else:
        context = {"review": result, "marked": marked_text(result), "text": text}
    return site.templates.TemplateResponse(request, "analyze.html", context)
