"""Linked identities in SQL."""

from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.identity.identity import Identity, IdentityProvider
from cybervpn.infrastructure.persistence.models.identity import IdentityModel

_COLUMNS = (
    "account_id",
    "provider_user_id",
    "username",
    "email",
    "email_verified",
    "language_code",
    "linked_at",
    "last_used_at",
)


def _to_entity(row: IdentityModel) -> Identity:
    return Identity(
        id=row.id,
        provider=IdentityProvider(row.provider),
        **{name: getattr(row, name) for name in _COLUMNS},
    )


def _columns(identity: Identity) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(identity, name) for name in _COLUMNS}
    values["provider"] = identity.provider.value
    return values


class SqlIdentityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def find(
        self, provider: IdentityProvider, provider_user_id: str
    ) -> Identity | None:
        row = await self._session.scalar(
            select(IdentityModel).where(
                IdentityModel.provider == provider.value,
                IdentityModel.provider_user_id == provider_user_id,
            )
        )
        return _to_entity(row) if row else None

    async def list_for_account(self, account_id: UUID) -> list[Identity]:
        rows = await self._session.scalars(
            select(IdentityModel)
            .where(IdentityModel.account_id == account_id)
            .order_by(IdentityModel.linked_at, IdentityModel.provider)
        )
        return [_to_entity(row) for row in rows]

    async def add(self, identity: Identity) -> None:
        self._session.add(IdentityModel(id=identity.id, **_columns(identity)))
        await self._session.flush()

    async def save(self, identity: Identity) -> None:
        await self._session.execute(
            update(IdentityModel)
            .where(IdentityModel.id == identity.id)
            .values(**_columns(identity))
        )

    async def remove_all(self, account_id: UUID) -> None:
        await self._session.execute(
            delete(IdentityModel).where(IdentityModel.account_id == account_id)
        )

    async def remove(self, identity: Identity) -> None:
        await self._session.execute(
            delete(IdentityModel).where(IdentityModel.id == identity.id)
        )
