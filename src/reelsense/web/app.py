"""The FastAPI application: the JSON API (`api.py`) and the pages (`pages.py`) over one `Site`.

Reads are open unless the settings make the server private; writes (`POST /v1/reviews`) need a token
from `reelsense token create`, sent as `Authorization: Bearer <token>`. Limits (`settings.py`): a
text of at most `MAX_TEXT_CHARS` characters, a batch of at most `MAX_BATCH` reviews, `MAX_PER_PAGE`
films a page, request bodies of at most `MAX_BODY_BYTES` bytes.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from importlib import resources

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..pipeline import Pipeline
from . import api, pages
from .settings import MAX_BATCH, MAX_BODY_BYTES, MAX_PER_PAGE, MAX_TEXT_CHARS, SETTINGS_VARIABLE, WebSettings
from .site import Site, site_of

__all__ = ["create_app", "app_from_environment"]

DESCRIPTION = (
    "Film reviews as structured, explainable knowledge. Writes need an API token "
    "(`reelsense token create NAME`) as `Authorization: Bearer <token>`. "
    f"Limits: texts of at most {MAX_TEXT_CHARS:,} characters, batches of at most {MAX_BATCH} "
    f"reviews, at most {MAX_PER_PAGE} films a page, request bodies of at most "
    f"{MAX_BODY_BYTES:,} bytes."
)


def create_app(settings: WebSettings, *, pipeline: Pipeline | None = None) -> FastAPI:
    """The app as `settings` describe it; `pipeline`, when given, is used instead of loading one
    (tests share one across apps)."""
    app = FastAPI(title="reelsense", version=__version__, description=DESCRIPTION)
    app.state.site = Site.build(settings, pipeline)
    app.mount(
        "/static", StaticFiles(directory=str(resources.files("reelsense") / "web" / "static")), name="static"
    )
    app.middleware("http")(bounded_bodies)
    app.add_exception_handler(HTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, invalid_request)  # type: ignore[arg-type]
    app.include_router(api.router)
    app.include_router(pages.router)
    return app


def app_from_environment() -> FastAPI:
    """The app for a worker process that `serve --workers N` started: its settings come as JSON in
    $REELSENSE_WEB_SETTINGS, written once by `serve`; nothing else reads the environment."""
    return create_app(WebSettings.from_json(os.environ[SETTINGS_VARIABLE]))


async def bounded_bodies(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Refuse a body larger than MAX_BODY_BYTES from its declared length, before reading it."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
        message = f"request body too large: at most {MAX_BODY_BYTES:,} bytes"
        return JSONResponse({"error": message}, status_code=413)
    return await call_next(request)


async def http_error(request: Request, exc: HTTPException) -> Response:
    """Errors as `{"error": …}` under /v1, as an error page elsewhere."""
    if request.url.path.startswith("/v1"):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    context = {"status": exc.status_code, "message": exc.detail}
    page = site_of(request).templates.TemplateResponse(request, "error.html", context)
    page.status_code = exc.status_code
    return page


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    """A request FastAPI could not validate, as one line naming each wrong field."""
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
    return JSONResponse({"error": f"invalid request: {problems}"}, status_code=422)
