"""E-mail link tokens in SQL."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.identity.email_token import EmailToken, EmailTokenPurpose
from cybervpn.infrastructure.persistence.models.identity import EmailTokenModel

T = EmailTokenModel


class SqlEmailTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, token: EmailToken) -> None:
        self._session.add(
            T(
                id=token.id,
                account_id=token.account_id,
                purpose=token.purpose.value,
                email=token.email,
                digest=token.digest,
                created_at=token.created_at,
                expires_at=token.expires_at,
                used_at=token.used_at,
            )
        )

    async def consume(
        self, digest: str, purpose: EmailTokenPurpose, now: datetime
    ) -> EmailToken | None:
        # One UPDATE decides: of two requests with the same link, one gets it.
        used = await self._session.scalar(
            update(T)
            .where(
                T.digest == digest,
                T.purpose == purpose.value,
                T.used_at.is_(None),
                T.expires_at > now,
            )
            .values(used_at=now)
            .returning(T.id)
        )
        if used is None:
            return None
        row = await self._session.scalar(
            select(T).where(T.id == used).execution_options(populate_existing=True)
        )
        if row is None:  # pragma: no cover - the row was just updated
            return None
        return EmailToken(
            id=row.id,
            account_id=row.account_id,
            purpose=EmailTokenPurpose(row.purpose),
            email=row.email,
            digest=row.digest,
            created_at=row.created_at,
            expires_at=row.expires_at,
            used_at=row.used_at,
        )

    async def retire(
        self, account_id: UUID, purpose: EmailTokenPurpose, now: datetime
    ) -> None:
        await self._session.execute(
            update(T)
            .where(
                T.account_id == account_id,
                T.purpose == purpose.value,
                T.used_at.is_(None),
            )
            .values(used_at=now)
        )
