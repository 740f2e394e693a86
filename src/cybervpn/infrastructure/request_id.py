"""The request id that started the work, carried on: to the panel, Crypto Pay and
Telegram (as X-Request-ID) and into background jobs (as a TaskIQ label), so one id
finds every log line of a purchase across the api and the worker."""

import httpx
import structlog

HEADER = "X-Request-ID"
LABEL = "request_id"


def current_request_id() -> str | None:
    value = structlog.contextvars.get_contextvars().get(LABEL)
    return value if isinstance(value, str) else None


async def send_request_id(request: httpx.Request) -> None:
    """An httpx request hook."""
    request_id = current_request_id()
    if request_id is not None and HEADER not in request.headers:
        request.headers[HEADER] = request_id


def bind_request_id(request_id: object) -> None:
    """In a job: log under the request id that enqueued it (if any)."""
    structlog.contextvars.clear_contextvars()
    if isinstance(request_id, str) and request_id:
        structlog.contextvars.bind_contextvars(request_id=request_id)
