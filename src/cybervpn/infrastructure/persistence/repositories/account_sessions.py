"""The authenticated-request lookup: an account and one of its sessions.

It runs on every authenticated request, so it has two implementations over one
statement: on PostgreSQL straight on the driver (`DriverAccountSessionLookup`), on
SQLite through SQLAlchemy (`SqlAccountSessionLookup`). ADR 0003 has the figures.
"""

import asyncio
from collections.abc import Mapping
from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from cybervpn.application.common.errors import StorageUnavailableError
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.roles import Role
from cybervpn.domain.identity.session import AuthSession
from cybervpn.infrastructure.persistence.models.identity import (
    AccountModel,
    AuthSessionModel,
)
from cybervpn.infrastructure.persistence.repositories.accounts import ACCOUNT_COLUMNS

_accounts = AccountModel.__table__.c
_sessions = AuthSessionModel.__table__.c
_POSTGRESQL = asyncpg_dialect.dialect()  # type: ignore[no-untyped-call]
_SESSION_COLUMNS = ("created_at", "expires_at", "revoked_at", "ip", "user_agent")

# Built once: a Core statement with bound parameters skips statement construction and
# the ORM's identity map and result mapping on every request.
_ACCOUNT_WITH_SESSION = (
    select(
        *_accounts,
        *(_sessions[name].label(f"session_{name}") for name in _SESSION_COLUMNS),
    )
    .join_from(
        AccountModel.__table__,
        AuthSessionModel.__table__,
        _sessions.account_id == _accounts.id,
    )
    .where(
        _accounts.id == bindparam("account_id"),
        _sessions.id == bindparam("session_id"),
    )
)

# The same statement as the driver runs it ($1, $2 placeholders).
_DRIVER_SQL = str(_ACCOUNT_WITH_SESSION.compile(dialect=_POSTGRESQL))


def _account_and_session(
    row: Mapping[Any, Any], account_id: UUID, session_id: UUID
) -> tuple[Account, AuthSession]:
    account = Account(
        id=account_id,
        role=Role(row["role"]),
        **{name: row[name] for name in ACCOUNT_COLUMNS},
    )
    session = AuthSession(
        id=session_id,
        account_id=account_id,
        **{name: row[f"session_{name}"] for name in _SESSION_COLUMNS},
    )
    return account, session


class SqlAccountSessionLookup:
    """One pooled connection for one indexed join, held only for that query (the
    embedded SQLite database)."""

    def __init__(self, engine: AsyncEngine) -> None:
        # A single SELECT needs no transaction: no BEGIN before it, no ROLLBACK when
        # the connection goes back to the pool.
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")

    async def get_with_session(
        self, account_id: UUID, session_id: UUID
    ) -> tuple[Account, AuthSession] | None:
        async with self._engine.connect() as connection:
            result = await connection.execute(
                _ACCOUNT_WITH_SESSION,
                {"account_id": account_id, "session_id": session_id},
            )
            row = result.mappings().one_or_none()
        return (
            None if row is None else _account_and_session(row, account_id, session_id)
        )


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
    """The pool only ever runs the one SELECT, outside any transaction: no locks,
    cursors, listeners or settings are left to clear, so returning a connection
    costs no round trip."""


class DriverAccountSessionLookup:
    """The same join on a small asyncpg pool of its own (PostgreSQL).

    One round trip per request: the statement is prepared once per connection, runs
    outside a transaction, and a connection goes back to the pool without a reset or
    a liveness check. A connection found dead is replaced: the pool drops every
    connection it holds and asks once more on a new one, so a database restart
    fails no authenticated request. The pool opens on the first lookup (only the API
    makes them) and closes with the container.
    """

    def __init__(self, database_url: str, *, max_size: int) -> None:
        url = make_url(database_url)
        _, options = _POSTGRESQL.create_connect_args(url)  # type: ignore[no-untyped-call]
        # Options only SQLAlchemy's adapter understands.
        for name in ("prepared_statement_cache_size", "prepared_statement_name_func"):
            options.pop(name, None)
        self._connect_options = options
        self._max_size = max_size
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    async def get_with_session(
        self, account_id: UUID, session_id: UUID
    ) -> tuple[Account, AuthSession] | None:
        pool = self._pool or await self._open()
        try:
            row = await pool.fetchrow(_DRIVER_SQL, account_id, session_id)
        except _CONNECTION_LOST:
            await pool.expire_connections()
            try:
                row = await pool.fetchrow(_DRIVER_SQL, account_id, session_id)
            except _CONNECTION_LOST as error:
                raise StorageUnavailableError from error
        return (
            None if row is None else _account_and_session(row, account_id, session_id)
        )

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
