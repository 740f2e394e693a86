"""Plans in SQL."""

from collections.abc import Collection, Sequence
from uuid import UUID

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.catalog.plan import Plan
from cybervpn.infrastructure.persistence.models.commerce import PlanModel
from cybervpn.infrastructure.persistence.repositories.access_limits import (
    limit_columns,
    limits_of,
)


def _to_entity(row: PlanModel) -> Plan:
    return Plan(
        id=row.id,
        code=row.code,
        name=row.name,
        description=row.description,
        duration_days=row.duration_days,
        limits=limits_of(row),
        price=row.price,
        price_stars=row.price_stars,
        is_active=row.is_active,
        sort_order=row.sort_order,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _columns(plan: Plan) -> dict[str, object]:
    return {
        "id": plan.id,
        "code": plan.code,
        "name": plan.name,
        "description": plan.description,
        "duration_days": plan.duration_days,
        **limit_columns(plan.limits),
        "price": plan.price,
        "price_stars": plan.price_stars,
        "is_active": plan.is_active,
        "sort_order": plan.sort_order,
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
    }


class SqlPlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, plan: Plan) -> None:
        self._session.add(PlanModel(**_columns(plan)))

    async def get(self, plan_id: UUID) -> Plan | None:
        row = await self._session.get(PlanModel, plan_id)
        return None if row is None else _to_entity(row)

    async def get_many(self, plan_ids: Collection[UUID]) -> dict[UUID, Plan]:
        rows = await self._session.scalars(
            select(PlanModel).where(PlanModel.id.in_(plan_ids))
        )
        return {row.id: _to_entity(row) for row in rows}

    async def code_taken(self, code: str, *, other_than: UUID | None = None) -> bool:
        query = select(exists().where(PlanModel.code == code))
        if other_than is not None:
            query = select(
                exists().where(PlanModel.code == code, PlanModel.id != other_than)
            )
        return bool(await self._session.scalar(query))

    async def list(self, *, active_only: bool) -> Sequence[Plan]:
        query = select(PlanModel).order_by(PlanModel.sort_order, PlanModel.price)
        if active_only:
            query = query.where(PlanModel.is_active.is_(True))
        return [_to_entity(row) for row in await self._session.scalars(query)]

    async def save(self, plan: Plan) -> None:
        await self._session.merge(PlanModel(**_columns(plan)))

    async def delete(self, plan_id: UUID) -> None:
        await self._session.execute(delete(PlanModel).where(PlanModel.id == plan_id))
