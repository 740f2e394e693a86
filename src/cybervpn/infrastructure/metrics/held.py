"""Observations of a labelled histogram held in the process and added in bulk.

A histogram observation in multiprocess mode is two locked writes into a memory map
the processes share; held observations cost a list increment each, and a flush adds
a whole batch to each bucket in one write.
"""

import bisect

from prometheus_client.metrics import Histogram

type SeriesKey = tuple[str, ...]


class HeldHistogram:
    """Observations of one histogram, held per series until `flush` adds them.

    It adds the held counts to the histogram's own per-bucket values and sum,
    exactly what as many `observe` calls would have added: the histogram keeps
    those as `_buckets` and `_sum` (prometheus_client has no public call for a
    count of observations; a test pins the exposition)."""

    def __init__(self, histogram: Histogram) -> None:
        self._histogram = histogram
        self._bounds: list[float] = histogram._upper_bounds  # noqa: SLF001
        # Per series: a count per bucket, then the sum of the values.
        self._pending: dict[SeriesKey, list[float]] = {}
        self._children: dict[SeriesKey, Histogram] = {}

    def observe(self, key: SeriesKey, seconds: float) -> None:
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
                child = self._children[key] = self._histogram.labels(*key)
            for bucket, count in zip(child._buckets, counts, strict=False):  # noqa: SLF001
                if count:
                    bucket.inc(count)
            child._sum.inc(counts[-1])  # noqa: SLF001
