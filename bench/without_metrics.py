"""`cybervpn` with the metrics taken out: the baseline `metrics_cost.py` compares
against. Every Prometheus value is a no-op, and the per-request and per-checkout
hooks are not called at all.

    python bench/without_metrics.py serve
"""

import sys

from prometheus_client import values


class _NoValue:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def inc(self, amount: float) -> None:
        pass

    def set(self, value: float, timestamp: float | None = None) -> None:
        pass

    def set_exemplar(self, exemplar: object) -> None:
        pass

    def get(self) -> float:
        return 0.0

    def get_exemplar(self) -> None:
        return None


values.ValueClass = _NoValue

from cybervpn.infrastructure.persistence import database  # noqa: E402
from cybervpn.presentation import entry  # noqa: E402
from cybervpn.presentation.http import middleware  # noqa: E402

middleware.observe_request = lambda *args: None  # type: ignore[attr-defined]
database.measure_pool = lambda *args, **kwargs: None  # type: ignore[attr-defined]

if __name__ == "__main__":
    sys.argv[0] = "cybervpn"
    entry.main()
