"""Promo codes in SQL."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.billing.promo_code import PromoCode, PromoKind
from cybervpn.infrastructure.persistence.models.commerce import PromoCodeModel
from cybervpn.infrastructure.persistence.repositories.pagination import paginate

C = PromoCodeModel
_FIELDS = (
    "id",
    "code",
    "value",
    "valid_from",
    "valid_until",
    "max_uses",
    "max_uses_per_account",
    "uses",
    "is_active",
    "created_at",
)


def _to_entity(row: PromoCodeModel) -> PromoCode:
    values = {name: getattr(row, name) for name in _FIELDS}
    return PromoCode(kind=PromoKind(row.kind), **values)


def _columns(promo: PromoCode) -> dict[str, object]:
    return {name: getattr(promo, name) for name in _FIELDS} | {"kind": promo.kind.value}


class SqlPromoCodeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, promo: PromoCode) -> None:
        self._session.add(C(**_columns(promo)))

    async def get(self, promo_id: UUID) -> PromoCode | None:
        row = await self._session.scalar(
            select(C).where(C.id == promo_id).execution_options(populate_existing=True)
        )
        return None if row is None else _to_entity(row)

    async def by_code(self, code: str) -> PromoCode | None:
        row = await self._session.scalar(
            select(C).where(C.code == code).execution_options(populate_existing=True)
        )
        return None if row is None else _to_entity(row)

    async def save(self, promo: PromoCode) -> None:
        # `uses` is only ever changed by count_use, never overwritten.
        columns = _columns(promo)
        del columns["uses"]
        await self._session.execute(update(C).where(C.id == promo.id).values(columns))

    async def delete(self, promo_id: UUID) -> None:
        await self._session.execute(delete(C).where(C.id == promo_id))

    async def count_use(self, promo_id: UUID) -> None:
        await self._session.execute(
            update(C).where(C.id == promo_id).values(uses=C.uses + 1)
        )

    async def list(self, *, limit: int, offset: int) -> tuple[Sequence[PromoCode], int]:
        return await paginate(
            self._session,
            C,
            (),
            newest_first=C.created_at,
            to_entity=_to_entity,
            limit=limit,
            offset=offset,
        )
