"""The worker's metrics endpoint. The worker serves no HTTP of its own, so its
supervising process answers Prometheus from a small thread, for every worker
process (their instruments share PROMETHEUS_MULTIPROC_DIR)."""

import json
import threading
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client.exposition import ThreadingWSGIServer

from cybervpn.domain.identity.errors import InvalidTokenError
from cybervpn.infrastructure.metrics.access import scrape_allowed
from cybervpn.infrastructure.metrics.exposition import CONTENT_TYPE, render

type StartResponse = Callable[[str, list[tuple[str, str]]], Any]
_UNAUTHORIZED = json.dumps(
    {"detail": InvalidTokenError.default_message, "code": InvalidTokenError.code}
).encode()
_NOT_FOUND = json.dumps({"detail": "Not found", "code": "not_found"}).encode()


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Scrapes every 15 s are not worth a log line each."""


def metrics_app(token: str | None) -> Callable[..., Iterable[bytes]]:
    """GET /metrics, with the API's rule: `Authorization: Bearer <METRICS_TOKEN>`
    when a token is configured."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        if environ.get("PATH_INFO") != "/metrics":
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [_NOT_FOUND]
        if not scrape_allowed(environ.get("HTTP_AUTHORIZATION"), token):
            start_response(
                "401 Unauthorized",
                [("Content-Type", "application/json"), ("WWW-Authenticate", "Bearer")],
            )
            return [_UNAUTHORIZED]
        start_response("200 OK", [("Content-Type", CONTENT_TYPE)])
        return [render()]

    return app


def serve_metrics(host: str, port: int, token: str | None) -> WSGIServer:
    """Serves until the process ends (a daemon thread); returns the server."""
    server = make_server(
        host,
        port,
        metrics_app(token),
        server_class=ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    return server
