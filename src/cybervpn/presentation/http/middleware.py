"""The edge every HTTP request passes through, as one pure ASGI layer.

One layer, not one per concern: each ASGI layer costs a call and a wrapped `send`
on every request, which on the cheapest routes was a third of their time (ADR
0003). In order, on the way in:

1. a request id (the caller's `X-Request-ID` if well formed, else a new one), bound
   to the logs and echoed in the response;
2. the default rate limit, per client IP (probes and the metrics scrape exempt);
3. the body ceiling and the URL check (`input_limits`);
4. the route, its response given the API's security headers.

On the way out each request is logged and measured once, and an error no handler
answered becomes a generic 500. CORS and trusted proxy headers sit outside this
layer (app.py), so the client IP and preflights are settled before it runs; CORS
wraps only the requests that carry an Origin (`OnlyCorsRequests`).
"""

import json
import logging
import random
import re
import time
from collections.abc import Iterable

import structlog
from limits import RateLimitItem
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cybervpn.infrastructure.ratelimit.limiter import Limiter, rate
from cybervpn.presentation.http import input_limits
from cybervpn.presentation.http.errors import body_too_large_response
from cybervpn.presentation.http.metrics.requests import observe_request

access_log = structlog.get_logger("cybervpn.access")
error_log = structlog.get_logger("cybervpn.errors")

REQUEST_ID_HEADER = b"x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")
INTERNAL_ERROR = json.dumps(
    {"detail": "Internal server error", "code": "internal_error"}
).encode()
RATE_LIMITED = json.dumps(
    {"detail": "Too many requests", "code": "rate_limited"}
).encode()
RATE_LIMIT_EXEMPT = ("/health", "/ready", "/metrics")

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
# What CORS adds to the answers it sees; the edge adds it to the others.
_VARY_ORIGIN = (b"vary", b"Origin")
DOCS_PATHS = ("/docs", "/redoc", "/openapi.json")


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER:
            candidate: str = value.decode("latin-1")
            if _VALID_REQUEST_ID.match(candidate):
                return candidate
            break
    # Unique, not secret (it correlates logs): the process's own generator, seeded
    # from the OS, gives 128 bits without a system call per request.
    return f"{random.getrandbits(128):032x}"


def _with_headers(
    headers: list[tuple[bytes, bytes]], added: list[tuple[bytes, bytes]]
) -> list[tuple[bytes, bytes]]:
    """`headers` and those of `added` the route did not set itself."""
    present = dict(headers)
    return [*headers, *(header for header in added if header[0] not in present)]


def has_origin(scope: Scope) -> bool:
    return any(name == b"origin" for name, _ in scope["headers"])


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


class EdgeMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        hsts: bool,
        max_body_bytes: int,
        rate_limit: tuple[int, int] | None,
    ) -> None:
        self.app = app
        extra = [_HSTS] if hsts else []
        self._api_headers = [*_API_HEADERS, *extra]
        self._docs_headers = [*_DOCS_HEADERS, *extra]
        self._max_body_bytes = max_body_bytes
        self._rate: RateLimitItem | None = rate(*rate_limit) if rate_limit else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        path: str = scope["path"]
        added = [
            (REQUEST_ID_HEADER, request_id.encode()),
            *(self._docs_headers if path.startswith(DOCS_PATHS) else self._api_headers),
            # CORS adds it to the requests it sees (OnlyCorsRequests).
            *(() if has_origin(scope) else (_VARY_ORIGIN,)),
        ]
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                message["headers"] = _with_headers(message.get("headers", []), added)
            await send(message)

        try:
            if self._rate is not None and await self._over_rate_limit(
                self._rate, scope, send_with_headers
            ):
                return
            refusal = self._refusal(scope)
            if refusal is not None:
                await refusal(scope, receive, send_with_headers)
                return
            await self.app(
                scope,
                input_limits.limited(receive, self._max_body_bytes),
                send_with_headers,
            )
        except Exception:
            error_log.exception("unhandled error", method=scope["method"], path=path)
            if not response_started:
                await send_json(send_with_headers, 500, INTERNAL_ERROR)
        finally:
            seconds = time.perf_counter() - started
            observe_request(scope, status, seconds)
            # The call alone costs a microsecond when the level drops it.
            if access_log.is_enabled_for(logging.INFO):
                access_log.info(
                    "request",
                    method=scope["method"],
                    path=path,
                    status=status,
                    duration_ms=round(seconds * 1000, 2),
                    client=client_ip(scope),
                )

    @staticmethod
    async def _over_rate_limit(rule: RateLimitItem, scope: Scope, send: Send) -> bool:
        """Answers 429 to a client over the default limit."""
        if scope["path"] in RATE_LIMIT_EXEMPT:
            return False
        # The limiter is part of the container, which the lifespan builds after the
        # middleware stack exists.
        limiter: Limiter = scope["app"].state.container.general_limiter
        decision = await limiter.hit(rule, "ip", client_ip(scope))
        if decision.allowed:
            return False
        retry_after = str(decision.retry_after).encode()
        await send_json(send, 429, RATE_LIMITED, [(b"retry-after", retry_after)])
        return True

    def _refusal(self, scope: Scope) -> Response | None:
        """The answer to a request that goes no further: a declared body over the
        ceiling, or a URL carrying text that cannot be stored."""
        if input_limits.declared_length(scope) > self._max_body_bytes:
            return body_too_large_response()
        problem = input_limits.unstorable_url(scope)
        if problem is not None:
            return Response(problem, 422, media_type="application/json")
        return None


class OnlyCorsRequests(CORSMiddleware):
    """Starlette's CORS, for the requests that are cross-origin: one without an
    Origin header goes straight on (the edge gives its response `Vary: Origin`),
    so the rest of the API pays no CORS wrapper."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not has_origin(scope):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
