"""The JSON API under /v1: analyse a text, store reviews (with a token), read films, reviews and search."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field

from ..corpus.aggregate import LISTED_REVIEWS, find_film
from ..corpus.ingest import FieldMap, ingest
from ..corpus.records import StoredReview, snippet
from ..errors import InputError
from ..review import Item
from .settings import MAX_BATCH, MAX_NUMBER, MAX_PER_PAGE, MAX_TEXT_CHARS
from .site import SORT_PATTERN, SiteDep, film_page, reader, writer

__all__ = ["router", "AnalyzeRequest", "ReviewIn", "ReviewBatch", "review_json"]

router = APIRouter(prefix="/v1", dependencies=[Depends(reader)])


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


def review_json(stored: StoredReview) -> dict[str, Any]:
    """A stored review as `GET /v1/reviews/{id}` gives it: its film, source and full analysis."""
    return {
        "id": stored.id,
        "film": stored.film_key,
        "film_title": stored.film_title,
        "film_year": stored.film_year,
        "source": stored.source,
        "analysis": stored.review.to_dict(),
    }


@router.post("/analyze", summary="Analyse one text (nothing is stored)")
def analyze(site: SiteDep, body: AnalyzeRequest) -> dict[str, Any]:
    try:
        return site.pipeline.analyze(body.text).to_dict()
    except InputError as exc:
        raise HTTPException(422, exc.reason) from None


@router.post("/reviews", summary="Store and analyse one review or a batch", status_code=201)
def submit(
    site: SiteDep, body: ReviewIn | ReviewBatch, source: Annotated[str, Depends(writer)]
) -> dict[str, Any]:
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
    # source: the token's name, unless a review names its critic
    report = ingest(site.store, site.pipeline, items, source, fields, keep_outcomes=True)
    outcomes = report.outcomes or []
    ids = site.store.review_ids([o.identity for o in outcomes if o.identity])
    made = [
        {
            "id": given[k].id,  # the id the request gave it, if any
            "review_id": ids.get(o.identity) if o.identity else None,
            "status": o.status,
            "reason": o.reason,
            "url": f"/v1/reviews/{ids[o.identity]}" if o.identity in ids else None,
        }
        for k, o in enumerate(outcomes)
    ]
    return {**report.to_dict(), "reviews": made}


def next_page(request: Request, page: int, more: bool) -> str | None:
    """The path and query of the page after this one (the same query, `page` one on), or None on
    the last page; never built from the Host header."""
    if not more:
        return None
    query = {**request.query_params, "page": str(page + 1)}
    return f"{request.url.path}?{urlencode(query)}"


@router.get("/films", summary="Films, ranked, filtered and paginated (`next`: the page after)")
def films(
    site: SiteDep,
    request: Request,
    sort: Annotated[str, Query(pattern=SORT_PATTERN)] = "share",
    q: Annotated[str | None, Query(max_length=200, description="words in the title or key")] = None,
    min_reviews: Annotated[
        int,
        Query(
            ge=1, le=MAX_NUMBER, description="films with fewer reviews are left out and counted in `hidden`"
        ),
    ] = LISTED_REVIEWS,
    page: Annotated[int, Query(ge=1, le=MAX_NUMBER)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
) -> dict[str, Any]:
    listed = film_page(site, sort, q, min_reviews, page, per_page)
    return {**listed.to_dict(), "next": next_page(request, page, page * per_page < listed.total)}


@router.get("/films/{key}", summary="One film's aggregate")
def film(site: SiteDep, key: str) -> dict[str, Any]:
    found = site.films.report(key, site.listings)
    if found is None:
        raise HTTPException(404, f"no film {key!r}")
    return found.to_dict()


@router.get("/reviews/{review_id}", summary="One stored review with its full analysis")
def review(site: SiteDep, review_id: Annotated[int, Path(ge=1, le=MAX_NUMBER)]) -> dict[str, Any]:
    found = site.store.review(review_id)
    if found is None:
        raise HTTPException(404, f"no review {review_id}")
    return review_json(found)


@router.get("/search", summary="Full-text search over stored reviews, as snippets (`next`: the page after)")
def search(
    site: SiteDep,
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    film: Annotated[str | None, Query(max_length=300, description="a film's key or title")] = None,
    page: Annotated[int, Query(ge=1, le=MAX_NUMBER)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
) -> dict[str, Any]:
    if film is not None and site.store.film(film) is None:
        film = find_film(film, site.listings.ordered("reviews")) or film
    hits = site.store.search(q, film=film, limit=per_page + 1, offset=(page - 1) * per_page)
    results = []
    for hit in hits[:per_page]:
        shown, spans = snippet(hit.text, q)
        found = hit.to_dict()
        del found["text"]  # the whole text is at /v1/reviews/{review_id}
        results.append({**found, "snippet": shown, "highlights": spans})
    more = len(hits) > per_page
    return {
        "query": q,
        "page": page,
        "per_page": per_page,
        "results": results,
        "next": next_page(request, page, more),
    }
