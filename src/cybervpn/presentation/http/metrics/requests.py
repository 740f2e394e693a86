"""Request rate, errors and latency by route template (never by raw path: ids in
paths would make a time series per customer).

Counted in the process and added to the shared histogram once a second (and before
this process answers a scrape), not written on every request: a histogram
observation is two locked writes into a memory map shared by the processes, which
was 6 % of the cheapest route's time. A second's counts add up to a handful of
writes. What a crash loses is at most that second's latencies.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.types import Scope

from cybervpn.infrastructure.metrics.held import HeldHistogram
from cybervpn.infrastructure.metrics.instruments import HTTP_REQUEST_DURATION

# Requests no route took: unknown paths, and those a middleware answered first
# (rate limited, body too large).
UNMATCHED = "unmatched"
FLUSH_SECONDS = 1.0


def route_template(scope: Scope) -> str:
    """The matched route's full path template, prefixes included (every route sits
    on the app itself: flat_routes.py)."""
    route = scope.get("route")
    template: str = getattr(route, "path_format", UNMATCHED)
    return template


REQUEST_LATENCIES = HeldHistogram(HTTP_REQUEST_DURATION)


def observe_request(scope: Scope, status: int, seconds: float) -> None:
    key = (scope["method"], route_template(scope), str(status))
    REQUEST_LATENCIES.observe(key, seconds)


@contextlib.asynccontextmanager
async def flushed_every_second() -> AsyncIterator[None]:
    """For as long as the app runs: the held latencies added every second, and
    the last ones when it stops."""

    async def flush_forever() -> None:
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            REQUEST_LATENCIES.flush()

    task = asyncio.create_task(flush_forever())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        REQUEST_LATENCIES.flush()
