"""The authenticated-request lookup: an account and one of its sessions.

It runs on every authenticated request, so it has two implementations over one
statement: on PostgreSQL straight on the driver (`DriverAccountSessionLookup`), on
SQLite through SQLAlchemy (`SqlAccountSessionLookup`). ADR 0003 has the figures.
"""

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncEngine

from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.session import AuthSession
from cybervpn.infrastructure.persistence.driver import POSTGRESQL, DriverPool
from cybervpn.infrastructure.persistence.models.identity import (
    AccountModel,
    AuthSessionModel,
)
from cybervpn.infrastructure.persistence.repositories.accounts import (
    account_from_columns,
)

_accounts = AccountModel.__table__.c
_sessions = AuthSessionModel.__table__.c
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
_DRIVER_SQL = str(_ACCOUNT_WITH_SESSION.compile(dialect=POSTGRESQL))


def _account_and_session(
    row: Mapping[Any, Any], account_id: UUID, session_id: UUID
) -> tuple[Account, AuthSession]:
    account = account_from_columns(row)
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


class DriverAccountSessionLookup:
    """The same join on the API's driver pool (PostgreSQL): one round trip."""

    def __init__(self, pool: DriverPool) -> None:
        self._pool = pool

    async def get_with_session(
        self, account_id: UUID, session_id: UUID
    ) -> tuple[Account, AuthSession] | None:
        row = await self._pool.fetchrow(_DRIVER_SQL, account_id, session_id)
        return (
            None if row is None else _account_and_session(row, account_id, session_id)
        )
