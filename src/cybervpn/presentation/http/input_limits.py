"""Limits on what a request may carry, checked before any route sees it.

- Bodies have a ceiling, enforced while they are read, before any parsing: a
  declared Content-Length over the limit is refused without reading a byte; a body
  that streams past it (chunked, or lying about its length) is cut off as soon as
  it crosses. Webhooks are included: they are unauthenticated until their signature
  is checked, which needs the whole body.
- The path and the query string may not carry text PostgreSQL cannot store (a NUL
  from `%00`): 422 naming the parameter, on every backend alike. Request bodies get
  the same check field by field (`request_body.RequestBody`).
"""

import json
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cybervpn.infrastructure.persistence.storable import REASON, is_storable
from cybervpn.presentation.http.errors import (
    VALIDATION_FAILED,
    body_too_large_response,
)
from cybervpn.presentation.http.middleware import send_json


class BodyTooLargeError(HTTPException):
    def __init__(self) -> None:
        super().__init__(413, "Request body too large")


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self._max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._declared_length(scope) > self._max_bytes:
            await body_too_large_response()(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self._max_bytes:
                    # An HTTPException: FastAPI passes it through its body parsing
                    # untouched, so the error handlers answer 413.
                    raise BodyTooLargeError
            return message

        await self.app(scope, limited_receive, send)

    @staticmethod
    def _declared_length(scope: Scope) -> int:
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    return 0
        return 0


class StorableUrlMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        location = self._unstorable(scope)
        if location is not None:
            problem = [{"loc": location, "msg": REASON, "type": "value_error"}]
            body = {"detail": problem, "code": VALIDATION_FAILED}
            await send_json(send, 422, json.dumps(body).encode())
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _unstorable(scope: Scope) -> list[str] | None:
        if not is_storable(scope["path"]):
            return ["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        for name, value in parse_qsl(query, keep_blank_values=True):
            if not (is_storable(name) and is_storable(value)):
                return ["query", name if is_storable(name) else "?"]
        return None
