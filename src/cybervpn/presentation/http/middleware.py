"""Pure ASGI middleware (no BaseHTTPMiddleware: it costs throughput on every request).

Order, outermost first (see app.py): CORS, trusted proxy headers, request context,
security headers, default rate limit, then the routes.
"""

import json
import os
import re
import time
from collections.abc import Iterable

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cybervpn.infrastructure.ratelimit.limiter import Limiter, rate
from cybervpn.presentation.http.metrics.requests import observe_request

access_log = structlog.get_logger("cybervpn.access")
error_log = structlog.get_logger("cybervpn.errors")

REQUEST_ID_HEADER = b"x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")
INTERNAL_ERROR = json.dumps(
    {"detail": "Internal server error", "code": "internal_error"}
).encode()


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER:
            candidate: str = value.decode("latin-1")
            if _VALID_REQUEST_ID.match(candidate):
                return candidate
            break
    return os.urandom(16).hex()


def client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


async def send_json(
    send: Send, status: int, body: bytes, headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestContextMiddleware:
    """Request id (accepted or generated, echoed), access log and request metrics
    (one measurement for both), last-resort 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID_HEADER, request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            error_log.exception(
                "unhandled error", method=scope["method"], path=scope["path"]
            )
            if not response_started:
                await send_json(send_with_id, 500, INTERNAL_ERROR)
        finally:
            seconds = time.perf_counter() - started
            observe_request(scope, status, seconds)
            access_log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round(seconds * 1000, 2),
                client=client_ip(scope),
            )


_API_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
]
# The interactive docs load their script and styles from this app (no CDN); the
# pages start them with an inline script, and ReDoc runs a worker from a blob.
_DOCS_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self' 'unsafe-inline'; "
        b"style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        b"worker-src 'self' blob:; frame-ancestors 'none'",
    ),
]
_HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
DOCS_PATHS = ("/docs", "/redoc", "/openapi.json")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self._extra = [_HSTS] if hsts else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = (
            _DOCS_HEADERS if scope["path"].startswith(DOCS_PATHS) else _API_HEADERS
        )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(h for h in (*headers, *self._extra) if h[0] not in present),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


RATE_LIMITED = json.dumps(
    {"detail": "Too many requests", "code": "rate_limited"}
).encode()
RATE_LIMIT_EXEMPT = ("/health", "/ready", "/metrics")


class RateLimitMiddleware:
    """The default limit: every endpoint, per client IP. Probes and the metrics
    scrape are exempt."""

    def __init__(self, app: ASGIApp, *, requests: int, window: int) -> None:
        self.app = app
        self._rule = rate(requests, window)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in RATE_LIMIT_EXEMPT:
            await self.app(scope, receive, send)
            return
        # The limiter is part of the container, which the lifespan builds after the
        # middleware stack exists.
        limiter: Limiter = scope["app"].state.container.general_limiter
        decision = await limiter.hit(self._rule, "ip", client_ip(scope))
        if not decision.allowed:
            await send_json(
                send,
                429,
                RATE_LIMITED,
                [(b"retry-after", str(decision.retry_after).encode())],
            )
            return
        await self.app(scope, receive, send)
