"""Service tokens in SQL."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.identity.service_token import ServiceScope, ServiceToken
from cybervpn.infrastructure.persistence.models.identity import ServiceTokenModel

_COLUMNS = (
    "name",
    "token_digest",
    "created_at",
    "created_by",
    "expires_at",
    "revoked_at",
    "last_used_at",
)


def _to_entity(row: ServiceTokenModel) -> ServiceToken:
    return ServiceToken(
        id=row.id,
        scopes=frozenset(ServiceScope(scope) for scope in row.scopes),
        **{name: getattr(row, name) for name in _COLUMNS},
    )


def _columns(token: ServiceToken) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(token, name) for name in _COLUMNS}
    values["scopes"] = sorted(scope.value for scope in token.scopes)
    return values


class SqlServiceTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: ServiceToken) -> None:
        self._session.add(ServiceTokenModel(id=token.id, **_columns(token)))
        await self._session.flush()

    async def get(self, token_id: UUID) -> ServiceToken | None:
        row = await self._session.get(ServiceTokenModel, token_id)
        return _to_entity(row) if row else None

    async def find_by_digest(self, digest: str) -> ServiceToken | None:
        row = await self._session.scalar(
            select(ServiceTokenModel).where(ServiceTokenModel.token_digest == digest)
        )
        return _to_entity(row) if row else None

    async def list(
        self, *, limit: int, offset: int
    ) -> tuple[Sequence[ServiceToken], int]:
        total = await self._session.scalar(select(func.count(ServiceTokenModel.id)))
        rows = await self._session.scalars(
            select(ServiceTokenModel)
            .order_by(ServiceTokenModel.created_at.desc(), ServiceTokenModel.id)
            .limit(limit)
            .offset(offset)
        )
        return [_to_entity(row) for row in rows], int(total or 0)

    async def save(self, token: ServiceToken) -> None:
        await self._session.execute(
            update(ServiceTokenModel)
            .where(ServiceTokenModel.id == token.id)
            .values(**_columns(token))
        )
