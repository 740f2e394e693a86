"""Login sessions and refresh tokens in SQL."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.identity.session import AuthSession, RefreshToken
from cybervpn.infrastructure.persistence.models.identity import (
    AuthSessionModel,
    RefreshTokenModel,
)


def to_session(row: AuthSessionModel) -> AuthSession:
    return AuthSession(
        id=row.id,
        account_id=row.account_id,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        ip=row.ip,
        user_agent=row.user_agent,
        service_token_id=row.service_token_id,
    )


class SqlSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, session: AuthSession) -> None:
        self._session.add(
            AuthSessionModel(
                id=session.id,
                account_id=session.account_id,
                created_at=session.created_at,
                expires_at=session.expires_at,
                revoked_at=session.revoked_at,
                ip=session.ip,
                user_agent=session.user_agent,
                service_token_id=session.service_token_id,
            )
        )
        await self._session.flush()

    async def get(self, session_id: UUID) -> AuthSession | None:
        row = await self._session.get(AuthSessionModel, session_id)
        return to_session(row) if row else None

    async def revoke(self, session_id: UUID, now: datetime) -> None:
        await self._session.execute(
            update(AuthSessionModel)
            .where(
                AuthSessionModel.id == session_id, AuthSessionModel.revoked_at.is_(None)
            )
            .values(revoked_at=now)
        )

    async def revoke_all(
        self, account_id: UUID, now: datetime, *, except_session: UUID | None = None
    ) -> int:
        statement = update(AuthSessionModel).where(
            AuthSessionModel.account_id == account_id,
            AuthSessionModel.revoked_at.is_(None),
        )
        if except_session is not None:
            statement = statement.where(AuthSessionModel.id != except_session)
        result = await self._session.execute(statement.values(revoked_at=now))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def revoke_started_by(self, service_token_id: UUID, now: datetime) -> int:
        result = await self._session.execute(
            update(AuthSessionModel)
            .where(
                AuthSessionModel.service_token_id == service_token_id,
                AuthSessionModel.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


class SqlRefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: RefreshToken) -> None:
        self._session.add(
            RefreshTokenModel(
                id=token.id,
                session_id=token.session_id,
                token_hash=token.token_hash,
                issued_at=token.issued_at,
                expires_at=token.expires_at,
                used_at=token.used_at,
            )
        )
        await self._session.flush()

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        row = await self._session.scalar(
            select(RefreshTokenModel).where(RefreshTokenModel.token_hash == token_hash)
        )
        if row is None:
            return None
        return RefreshToken(
            id=row.id,
            session_id=row.session_id,
            token_hash=row.token_hash,
            issued_at=row.issued_at,
            expires_at=row.expires_at,
            used_at=row.used_at,
        )

    async def mark_used(self, token_id: UUID, now: datetime) -> bool:
        # The conditional UPDATE is the lock: of two concurrent refreshes with one
        # token, exactly one sees rowcount 1.
        result = await self._session.execute(
            update(RefreshTokenModel)
            .where(
                RefreshTokenModel.id == token_id, RefreshTokenModel.used_at.is_(None)
            )
            .values(used_at=now)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]
