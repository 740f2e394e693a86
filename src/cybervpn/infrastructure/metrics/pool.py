"""Database pool use, from the pool's own events."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.pool import Pool

from cybervpn.infrastructure.metrics.instruments import DB_POOL_CAPACITY, DB_POOL_IN_USE


def measure_pool(pool: Pool, *, capacity: int) -> None:
    """Count checked-out connections and the pool's capacity (size + overflow), so
    the dashboard shows how close each service runs to its share of
    max_connections.

    The listeners go on the pool, not the engine: an engine-level listener turns
    on SQLAlchemy's per-statement event dispatch, which costs every query."""
    DB_POOL_CAPACITY.set(capacity)  # one engine per process; a dead one is forgotten
    event.listen(pool, "checkout", _checked_out)
    event.listen(pool, "checkin", _checked_in)


def _checked_out(_dbapi: Any, _record: Any, _proxy: Any) -> None:
    DB_POOL_IN_USE.inc()


def _checked_in(_dbapi: Any, _record: Any) -> None:
    DB_POOL_IN_USE.dec()
