"""The authenticated-request lookup: an account and one of its sessions."""

from uuid import UUID

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncEngine

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


class SqlAccountSessionLookup:
    """One pooled connection for one indexed join, held only for that query."""

    def __init__(self, engine: AsyncEngine) -> None:
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
        if row is None:
            return None
        account = Account(
            id=row["id"],
            role=Role(row["role"]),
            **{name: row[name] for name in ACCOUNT_COLUMNS},
        )
        session = AuthSession(
            id=session_id,
            account_id=account_id,
            **{name: row[f"session_{name}"] for name in _SESSION_COLUMNS},
        )
        return account, session
