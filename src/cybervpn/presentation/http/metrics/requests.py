"""Request rate, errors and latency by route template (never by raw path: ids in
paths would make a time series per customer)."""

from fastapi.routing import iter_route_contexts
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
    """The matched route's full path template, prefixes included. The route in
    the scope is the one its router declared (`/plans`), so the app's own table
    (built on first use, when every router is included) gives the full one."""
    route = scope.get("route")
    if route is None:
        return UNMATCHED
    state = scope["app"].state
    templates: dict[int, str] | None = getattr(state, "route_templates", None)
    if templates is None:
        templates = state.route_templates = _templates(scope["app"].routes)
    return templates.get(id(route), UNMATCHED)


def _templates(routes: list[object]) -> dict[int, str]:
    return {
        id(context.original_route): context.path_format or context.path or UNMATCHED
        for context in iter_route_contexts(routes)  # type: ignore[arg-type]
    }


def observe_request(scope: Scope, status: int, seconds: float) -> None:
    key = (scope["method"], route_template(scope), status)
    series = _series.get(key)
    if series is None:
        series = _series[key] = HTTP_REQUEST_DURATION.labels(
            key[0], key[1], str(status)
        )
    series.observe(seconds)
