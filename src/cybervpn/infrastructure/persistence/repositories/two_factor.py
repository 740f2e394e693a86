"""TOTP credentials and backup codes in SQL."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.identity.two_factor import TotpCredential
from cybervpn.infrastructure.persistence.models.identity import (
    BackupCodeModel,
    TotpCredentialModel,
)


class SqlTotpCredentialRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, account_id: UUID) -> TotpCredential | None:
        row = await self._session.get(TotpCredentialModel, account_id)
        if row is None:
            return None
        return TotpCredential(
            account_id=row.account_id,
            encrypted_secret=row.encrypted_secret,
            created_at=row.created_at,
            enabled_at=row.enabled_at,
            last_timecode=row.last_timecode,
        )

    async def replace_pending(self, credential: TotpCredential) -> None:
        await self.delete(credential.account_id)
        self._session.add(
            TotpCredentialModel(
                account_id=credential.account_id,
                encrypted_secret=credential.encrypted_secret,
                created_at=credential.created_at,
                enabled_at=None,
                last_timecode=None,
            )
        )
        await self._session.flush()

    async def mark_enabled(self, account_id: UUID, now: datetime) -> None:
        await self._session.execute(
            update(TotpCredentialModel)
            .where(TotpCredentialModel.account_id == account_id)
            .values(enabled_at=now)
        )

    async def delete(self, account_id: UUID) -> None:
        await self._session.execute(
            delete(TotpCredentialModel).where(
                TotpCredentialModel.account_id == account_id
            )
        )

    async def claim_timecode(self, account_id: UUID, timecode: int) -> bool:
        # One conditional UPDATE: a code's time step is accepted once, ever, even
        # when two requests race with the same code.
        result = await self._session.execute(
            update(TotpCredentialModel)
            .where(
                TotpCredentialModel.account_id == account_id,
                or_(
                    TotpCredentialModel.last_timecode.is_(None),
                    TotpCredentialModel.last_timecode < timecode,
                ),
            )
            .values(last_timecode=timecode)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]


class SqlBackupCodeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def replace(self, account_id: UUID, code_hashes: Sequence[str]) -> None:
        await self.delete_all(account_id)
        self._session.add_all(
            BackupCodeModel(
                id=uuid4(), account_id=account_id, code_hash=h, used_at=None
            )
            for h in code_hashes
        )
        await self._session.flush()

    async def consume(self, account_id: UUID, code_hash: str, now: datetime) -> bool:
        result = await self._session.execute(
            update(BackupCodeModel)
            .where(
                BackupCodeModel.account_id == account_id,
                BackupCodeModel.code_hash == code_hash,
                BackupCodeModel.used_at.is_(None),
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def count_unused(self, account_id: UUID) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(BackupCodeModel)
            .where(
                BackupCodeModel.account_id == account_id,
                BackupCodeModel.used_at.is_(None),
            )
        )
        return count or 0

    async def delete_all(self, account_id: UUID) -> None:
        await self._session.execute(
            delete(BackupCodeModel).where(BackupCodeModel.account_id == account_id)
        )
