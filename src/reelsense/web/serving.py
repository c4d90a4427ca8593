"""How `reelsense serve` runs the app: uvicorn, with deadlines for a request's headers and body.

uvicorn closes an idle keep-alive connection, but a connection that has sent part of a request's
headers (or part of its body) is held for as long as the client likes: 1,500 half-open connections
stayed open for as long as they were watched. `DeadlineProtocol` gives every request a deadline for
its headers, from the connection's start or the end of the previous response, and one for its body
(`BODY_DEADLINES` times longer), from the end of its headers. Headers too late are answered 408 and the
connection closed; a body too late closes the connection, and the app sees the client gone.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import os
from collections.abc import Callable
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .settings import SETTINGS_VARIABLE, WebSettings

__all__ = ["DeadlineProtocol", "serve", "BODY_DEADLINES"]

BODY_DEADLINES = 6  # a body may take this many header deadlines
_LATE_BODY = b'{"error": "the request\'s headers did not come in time"}'
_TOO_LATE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(_LATE_BODY), _LATE_BODY)
)


class DeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers and body."""

    def __init__(self, *args: Any, header_seconds: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_seconds = header_seconds
        self._deadline: asyncio.TimerHandle | None = None
        self._late: Callable[[], None] | None = None  # what the deadline is for

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.header_seconds, self._headers_late)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _follow(self) -> None:
        """Move the deadline on to where the request now is: its headers, its body, or done."""
        if self.transport.is_closing():
            self._disarm()
            return
        state = self.conn.their_state
        if state is h11.IDLE and self._late != self._headers_late:
            self._arm(self.header_seconds, self._headers_late)
        elif state is h11.SEND_BODY and self._late != self._body_late:
            self._arm(self.header_seconds * BODY_DEADLINES, self._body_late)
        elif state not in (h11.IDLE, h11.SEND_BODY):
            self._disarm()

    def _arm(self, seconds: float, late: Callable[[], None]) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, late)
        self._late = late

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self._late = None

    def _headers_late(self) -> None:
        self._deadline = self._late = None
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self.transport.write(_TOO_LATE)
            self.transport.close()

    def _body_late(self) -> None:
        self._deadline = self._late = None
        if not self.transport.is_closing() and self.conn.their_state is h11.SEND_BODY:
            self.transport.close()  # the app's next receive() is a disconnect


def serve(
    settings: WebSettings, *, host: str, port: int, workers: int, header_seconds: float, log: bool = False
) -> None:
    """Serve the app that `settings` describe until interrupted; `log`: a line per request on
    standard error (uvicorn's access log: client, method, path, status)."""
    import uvicorn

    from .app import create_app

    protocol = functools.partial(DeadlineProtocol, header_seconds=header_seconds)
    # uvicorn's own logging, with its access lines on standard error like every other message
    logging = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    logging["handlers"]["access"]["stream"] = "ext://sys.stderr"
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "http": protocol,
        "log_level": "info" if log else "warning",
        "access_log": log,
        "log_config": logging,
    }
    if workers > 1:
        # uvicorn's workers are new processes that import the app by name: the settings go with them
        # as JSON in one variable, read only by app_from_environment
        os.environ[SETTINGS_VARIABLE] = settings.to_json()
        uvicorn.run("reelsense.web.app:app_from_environment", factory=True, workers=workers, **options)
    else:
        uvicorn.run(create_app(settings), **options)
