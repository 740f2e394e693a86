"""Database pool use, from the pool's own events."""

from typing import Any

from sqlalchemy import Engine, event

from cybervpn.infrastructure.metrics.instruments import DB_POOL_CAPACITY, DB_POOL_IN_USE


def measure_pool(engine: Engine, *, capacity: int) -> None:
    """Count checked-out connections and the pool's capacity (size + overflow), so
    the dashboard shows how close each service runs to its share of
    max_connections."""
    DB_POOL_CAPACITY.inc(capacity)

    def disposed(_engine: Engine) -> None:
        DB_POOL_CAPACITY.dec(capacity)

    event.listen(engine, "engine_disposed", disposed, once=True)
    event.listen(engine, "checkout", _checked_out)
    event.listen(engine, "checkin", _checked_in)


def _checked_out(_dbapi: Any, _record: Any, _proxy: Any) -> None:
    DB_POOL_IN_USE.inc()


def _checked_in(_dbapi: Any, _record: Any) -> None:
    DB_POOL_IN_USE.dec()
