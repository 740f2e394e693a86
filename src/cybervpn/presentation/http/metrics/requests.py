"""Request rate, errors and latency by route template (never by raw path: ids in
paths would make a time series per customer)."""

from prometheus_client.metrics import Histogram
from starlette.types import Scope

from cybervpn.infrastructure.metrics.instruments import HTTP_REQUEST_DURATION

# Requests no route took: unknown paths, and those a middleware answered first
# (rate limited, body too large).
UNMATCHED = "unmatched"

# The labelled children, found once: prometheus_client's labels() validates and
# locks on every call, and this runs on every request.
_series: dict[tuple[str, str, int], Histogram] = {}


def route_template(scope: Scope) -> str:
    """The matched route's full path template, prefixes included (every route sits
    on the app itself: flat_routes.py)."""
    route = scope.get("route")
    template: str = getattr(route, "path_format", UNMATCHED)
    return template


def observe_request(scope: Scope, status: int, seconds: float) -> None:
    key = (scope["method"], route_template(scope), status)
    series = _series.get(key)
    if series is None:
        series = _series[key] = HTTP_REQUEST_DURATION.labels(
            key[0], key[1], str(status)
        )
    series.observe(seconds)
