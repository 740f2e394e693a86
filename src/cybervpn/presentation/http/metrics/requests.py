"""Request rate, errors and latency by route template (never by raw path: ids in
paths would make a time series per customer).

Counted in the process and added to the shared histogram once a second (and before
this process answers a scrape), not written on every request: a histogram
observation is two locked writes into a memory map shared by the processes, which
was 6 % of the cheapest route's time. A second's counts add up to a handful of
writes. What a crash loses is at most that second's latencies.
"""

import asyncio
import bisect
import contextlib
from collections.abc import AsyncIterator

from prometheus_client.metrics import Histogram
from starlette.types import Scope

from cybervpn.infrastructure.metrics.instruments import HTTP_REQUEST_DURATION

# Requests no route took: unknown paths, and those a middleware answered first
# (rate limited, body too large).
UNMATCHED = "unmatched"
FLUSH_SECONDS = 1.0

type _Key = tuple[str, str, int]


def route_template(scope: Scope) -> str:
    """The matched route's full path template, prefixes included (every route sits
    on the app itself: flat_routes.py)."""
    route = scope.get("route")
    template: str = getattr(route, "path_format", UNMATCHED)
    return template


class RequestLatencies:
    """Observations of one histogram, held per series until `flush` adds them.

    It adds a second's counts to the histogram's own per-bucket values and sum,
    exactly what as many `observe` calls would have added: the histogram keeps
    those as `_buckets` and `_sum` (prometheus_client has no public call for a
    count of observations; a test pins the exposition)."""

    def __init__(self, histogram: Histogram) -> None:
        self._histogram = histogram
        self._bounds: list[float] = histogram._upper_bounds  # noqa: SLF001
        # Per series: a count per bucket, then the sum of the latencies.
        self._pending: dict[_Key, list[float]] = {}
        self._children: dict[_Key, Histogram] = {}

    def observe(self, key: _Key, seconds: float) -> None:
        pending = self._pending.get(key)
        if pending is None:
            pending = self._pending[key] = [0.0] * (len(self._bounds) + 1)
        pending[bisect.bisect_left(self._bounds, seconds)] += 1
        pending[-1] += seconds

    def flush(self) -> None:
        pending, self._pending = self._pending, {}
        for key, counts in pending.items():
            child = self._children.get(key)
            if child is None:
                method, route, status = key
                child = self._children[key] = self._histogram.labels(
                    method, route, str(status)
                )
            for bucket, count in zip(child._buckets, counts, strict=False):  # noqa: SLF001
                if count:
                    bucket.inc(count)
            child._sum.inc(counts[-1])  # noqa: SLF001


REQUEST_LATENCIES = RequestLatencies(HTTP_REQUEST_DURATION)


def observe_request(scope: Scope, status: int, seconds: float) -> None:
    REQUEST_LATENCIES.observe((scope["method"], route_template(scope), status), seconds)


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
