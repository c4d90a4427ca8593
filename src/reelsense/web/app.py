"""The FastAPI application: the JSON API (`api.py`) and the pages (`pages.py`) over one `Site`.

Reads are open unless the settings make the server private; writes (`POST /v1/reviews`) need a token
from `reelsense token create`, sent as `Authorization: Bearer <token>`. Limits (`settings.py`): a
text of at most `MAX_TEXT_CHARS` characters, a batch of at most `MAX_BATCH` reviews, `MAX_PER_PAGE`
films a page, request bodies of at most `MAX_BODY_BYTES` bytes.
"""

from __future__ import annotations

import json
import os
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
    # FastAPIOffline serves the API docs' scripts from its package: nothing loads from a CDN.
    app = FastAPIOffline(title="reelsense", version=__version__, description=DESCRIPTION, redoc_url=None)
    app.state.site = Site.build(settings, pipeline)
    app.mount(
        "/static", StaticFiles(directory=str(resources.files("reelsense") / "web" / "static")), name="static"
    )
    app.add_middleware(Guard, site=app.state.site)
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, invalid_request)  # type: ignore[arg-type]
    app.include_router(api.router)
    app.include_router(pages.router)
    return app


def app_from_environment() -> FastAPI:
    """The app for a worker process that `serve --workers N` started: its settings come as JSON in
    $REELSENSE_WEB_SETTINGS, written once by `serve`; nothing else reads the environment."""
    return create_app(WebSettings.from_json(os.environ[SETTINGS_VARIABLE]))


# Writes whose token is checked before their body is read (FastAPI reads a body before it runs the
# dependencies, so an unauthenticated client could make the server hold a large one).
WRITES = {("POST", "/v1/reviews")}
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
# The pages load nothing from elsewhere and run no script; the API docs run their own start-up script.
PAGE_POLICY = (
    b"default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    b"frame-ancestors 'none'; base-uri 'none'"
)
DOCS_POLICY = (
    b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'"
)
DOCS = ("/docs", "/redoc", "/openapi.json", "/static-offline-docs")


class Guard:
    """Outermost layer (plain ASGI): refuses a body past MAX_BODY_BYTES by the bytes actually
    received (a chunked body declares no length), checks a write's token and a private server's
    read token before any body is read, and adds the security headers to every response."""

    def __init__(self, app: ASGIApp, site: Site) -> None:
        self.app = app
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope["headers"]}
        path: str = scope["path"]
        policy = DOCS_POLICY if path.startswith(DOCS) else PAGE_POLICY
        started = False

        async def send_guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *HEADERS,
                                                  (b"content-security-policy", policy)]}  # fmt: skip
            await send(message)

        async def refuse(status: int, message: str, extra: list[tuple[bytes, bytes]] | None = None) -> None:
            body = json.dumps({"error": message}).encode()
            response_headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ]
            await send_guarded({"type": "http.response.start", "status": status,
                                "headers": response_headers + (extra or [])})  # fmt: skip
            await send_guarded({"type": "http.response.body", "body": body})

        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            await refuse(413, f"request body too large: at most {MAX_BODY_BYTES:,} bytes")
            return
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        bearer = [(b"www-authenticate", b"Bearer")]
        if (scope["method"], path.rstrip("/")) in WRITES and self.site.token_name(authorization) is None:
            await refuse(401, "a valid API token is needed: Authorization: Bearer <token>", bearer)
            return
        if (
            self.site.settings.private
            and path.startswith(DOCS)
            and self.site.token_name(authorization) is None
        ):
            await refuse(401, "this server's reads need an API token", bearer)
            return
        received = 0
        refused = False

        async def receive_bounded() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES and not started:
                    # Answer now and tell the app the client left: it stops reading, and whatever
                    # it still sends is dropped.
                    await refuse(413, f"request body too large: at most {MAX_BODY_BYTES:,} bytes")
                    refused = True
                    return {"type": "http.disconnect"}
            return message

        async def send_unless_refused(message: Message) -> None:
            if not refused:
                await send_guarded(message)

        await self.app(scope, receive_bounded, send_unless_refused)


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """Errors as `{"error": …}` under /v1, as an error page elsewhere."""
    if request.url.path.startswith("/v1"):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    context = {"status": exc.status_code, "message": exc.detail}
    page = site_of(request).templates.TemplateResponse(request, "error.html", context)
    page.status_code = exc.status_code
    return page


async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """A request FastAPI could not validate, as one line naming each wrong field (a page, for a page)."""
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
    return await http_error(request, StarletteHTTPException(422, f"invalid request: {problems}"))
