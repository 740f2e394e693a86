"""The API's own asyncpg pool, for the statements on its hot paths (PostgreSQL).

The session check of every authenticated request and the writes of a password
login run here, straight on the driver: one round trip each, with the statement
prepared once per connection, outside a transaction (each is a single statement),
and no reset or liveness check when a connection goes back to the pool. ADR 0003
has the figures.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect
from sqlalchemy.engine.url import make_url

from cybervpn.application.common.errors import StorageUnavailableError

POSTGRESQL = asyncpg_dialect.dialect()  # type: ignore[no-untyped-call]

# The pool's connection was ended under it (a database restart, a failover, an
# idle timeout) or a new one could not be opened. A connection whose server ended
# it while it sat idle may still be handed out and fail with an internal protocol
# error ("another operation is in progress").
_CONNECTION_LOST = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    asyncpg.exceptions.OperatorInterventionError,
    OSError,
)


async def _nothing_to_reset(_connection: asyncpg.Connection) -> None:
    """The pool only runs single statements outside any transaction: no locks,
    cursors, listeners or settings are left to clear, so returning a connection
    costs no round trip."""


class DriverPool:
    """A connection found dead is replaced: the pool drops every connection it holds
    and the statement runs once more on a new one, so a database restart fails no
    request. The pool opens on first use (only the API uses it) and closes with the
    container."""

    def __init__(self, database_url: str, *, max_size: int) -> None:
        _, options = POSTGRESQL.create_connect_args(make_url(database_url))  # type: ignore[no-untyped-call]
        # Options only SQLAlchemy's adapter understands.
        for name in ("prepared_statement_cache_size", "prepared_statement_name_func"):
            options.pop(name, None)
        self._connect_options = options
        self._max_size = max_size
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()
        # Callers take turns in the order they came, then find a connection free.
        # asyncpg's pool alone lets one who arrives as a connection comes back take
        # it from the caller woken for it, who queues again behind everyone: under
        # load a few requests waited many turns (the tail of the latency, ADR 0003).
        self._turns = asyncio.Semaphore(max_size)

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        async def read(pool: asyncpg.Pool) -> asyncpg.Record | None:
            return await pool.fetchrow(sql, *args)

        return await self._on_a_live_connection(read, read)

    async def insert_once(self, sql: str, *args: Any) -> None:
        """A write whose rows carry keys the caller made. When its connection is
        lost the write may have committed before the answer got back, so it runs
        once more, and the retry's duplicate key means the first run stands."""

        async def write(pool: asyncpg.Pool) -> None:
            await pool.execute(sql, *args)

        async def write_again(pool: asyncpg.Pool) -> None:
            with contextlib.suppress(asyncpg.UniqueViolationError):
                await pool.execute(sql, *args)

        await self._on_a_live_connection(write, write_again)

    async def _on_a_live_connection[T](
        self,
        first: Callable[[asyncpg.Pool], Awaitable[T]],
        again: Callable[[asyncpg.Pool], Awaitable[T]],
    ) -> T:
        async with self._turns:
            pool = self._pool or await self._open()
            try:
                return await first(pool)
            except _CONNECTION_LOST:
                await pool.expire_connections()
            try:
                return await again(pool)
            except _CONNECTION_LOST as error:
                raise StorageUnavailableError from error

    async def _open(self) -> asyncpg.Pool:
        async with self._opening:  # the first requests arrive together
            if self._pool is None:
                try:
                    self._pool = await asyncpg.create_pool(
                        min_size=1,
                        max_size=self._max_size,
                        reset=_nothing_to_reset,
                        **self._connect_options,
                    )
                except _CONNECTION_LOST as error:
                    raise StorageUnavailableError from error
            return self._pool

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
