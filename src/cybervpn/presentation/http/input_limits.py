"""Limits on what a request may carry, checked before any route sees it (by the
edge middleware).

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
from starlette.types import Message, Receive, Scope

from cybervpn.infrastructure.persistence.storable import REASON, is_storable
from cybervpn.presentation.http.errors import VALIDATION_FAILED


class BodyTooLargeError(HTTPException):
    def __init__(self) -> None:
        super().__init__(413, "Request body too large")


def declared_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


def limited(receive: Receive, max_bytes: int) -> Receive:
    """`receive`, cut off once the body read so far is over `max_bytes`."""
    received = 0

    async def limited_receive() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > max_bytes:
                # An HTTPException: FastAPI passes it through its body parsing
                # untouched, so the error handlers answer 413.
                raise BodyTooLargeError
        return message

    return limited_receive


def unstorable_url(scope: Scope) -> bytes | None:
    """The 422 body for a path or query parameter holding unstorable text."""
    location = _unstorable(scope)
    if location is None:
        return None
    problem = [{"loc": location, "msg": REASON, "type": "value_error"}]
    return json.dumps({"detail": problem, "code": VALIDATION_FAILED}).encode()


def _unstorable(scope: Scope) -> list[str] | None:
    if not is_storable(scope["path"]):
        return ["path"]
    if not scope.get("query_string"):
        return None
    query = scope["query_string"].decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if not (is_storable(name) and is_storable(value)):
            return ["query", name if is_storable(name) else "?"]
    return None
