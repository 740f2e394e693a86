"""Accounts in SQL."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.repositories import AccountFilter
from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.persistence.models.identity import AccountModel
from cybervpn.infrastructure.persistence.repositories.pagination import paginate

ACCOUNT_COLUMNS = (
    "email",
    "email_verified_at",
    "password_hash",
    "is_active",
    "two_factor_enabled",
    "telegram_id",
    "unverified_telegram_id",
    "created_at",
    "updated_at",
    "last_login_at",
    "deleted_at",
    "language",
)


def to_account(row: AccountModel) -> Account:
    return Account(
        id=row.id,
        role=Role(row.role),
        **{name: getattr(row, name) for name in ACCOUNT_COLUMNS},
    )


def account_from_columns(row: Mapping[str, Any]) -> Account:
    """An account from a Core or driver row that holds every `accounts` column."""
    return Account(
        id=row["id"],
        role=Role(row["role"]),
        **{name: row[name] for name in ACCOUNT_COLUMNS},
    )


def _columns(account: Account) -> dict[str, object]:
    values: dict[str, object] = {n: getattr(account, n) for n in ACCOUNT_COLUMNS}
    values["role"] = account.role.value
    return values


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


class SqlAccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(
        self, account_id: UUID, *, for_update: bool = False
    ) -> Account | None:
        row = await self._session.get(
            AccountModel,
            account_id,
            with_for_update=for_update,
            populate_existing=for_update,
        )
        return to_account(row) if row else None

    async def get_by_email(self, email: str) -> Account | None:
        row = await self._session.scalar(
            select(AccountModel).where(AccountModel.email == email)
        )
        return to_account(row) if row else None

    async def email_exists(self, email: str) -> bool:
        return await self._exists(AccountModel.email == email)

    async def _exists(self, condition: object) -> bool:
        found = await self._session.scalar(select(AccountModel.id).where(condition))  # type: ignore[arg-type]
        return found is not None

    async def add(self, account: Account) -> None:
        self._session.add(AccountModel(id=account.id, **_columns(account)))
        await self._session.flush()

    async def update(self, account: Account) -> None:
        await self._session.execute(
            update(AccountModel)
            .where(AccountModel.id == account.id)
            .values(**_columns(account))
        )

    async def record_login(
        self,
        account_id: UUID,
        *,
        logged_in_at: datetime | None,
        password_hash: str | None,
    ) -> None:
        values: dict[str, object] = {}
        if logged_in_at is not None:
            values["last_login_at"] = logged_in_at
        if password_hash is not None:
            values["password_hash"] = password_hash
        if values:
            await self._session.execute(
                update(AccountModel).where(AccountModel.id == account_id).values(values)
            )

    async def list(
        self, account_filter: AccountFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Account], int]:
        conditions = []
        if account_filter.role is not None:
            conditions.append(AccountModel.role == account_filter.role.value)
        if account_filter.is_active is not None:
            conditions.append(AccountModel.is_active == account_filter.is_active)
        if account_filter.text:
            conditions.append(
                AccountModel.email.like(_like_pattern(account_filter.text), escape="\\")
            )
        return await paginate(
            self._session,
            AccountModel,
            conditions,
            newest_first=AccountModel.created_at,
            to_entity=to_account,
            limit=limit,
            offset=offset,
        )
