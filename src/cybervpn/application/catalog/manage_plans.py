"""Staff manage the plans we sell."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail, plain
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.catalog.plan import (
    AccessLimits,
    Plan,
    PlanCodeTakenError,
    PlanNotFoundError,
    PlanSoldError,
    usd,
)
from cybervpn.domain.identity.account import Account


@dataclass(frozen=True, slots=True, kw_only=True)
class NewPlan:
    code: str
    name: str
    description: str
    duration_days: int
    limits: AccessLimits
    price: Decimal
    is_active: bool = True
    sort_order: int = 0


LIMIT_FIELDS = frozenset(
    {"traffic_limit_bytes", "traffic_limit_strategy", "device_limit", "squad_uuids"}
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanChanges:
    """Only the fields in `values` change: plan fields and limit fields alike."""

    values: dict[str, object] = field(default_factory=dict)


class ListPlans:
    """Customers see the active plans; staff see every plan."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, *, active_only: bool) -> Sequence[Plan]:
        return await self._uow.plans.list(active_only=active_only)


class ManagePlans:
    """Business rules: plan codes are unique; prices are positive whole cents in
    USD; a plan that has been sold is never deleted (deactivate it instead), so
    every payment keeps its plan. Changes apply to future purchases only: existing
    subscriptions keep the limits they were bought with until they renew."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def create(
        self, new: NewPlan, *, actor: Account, origin: AuditOrigin
    ) -> Plan:
        if await self._uow.plans.code_taken(new.code):
            raise PlanCodeTakenError
        now = self._clock.now()
        plan = Plan(
            code=new.code,
            name=new.name,
            description=new.description,
            duration_days=new.duration_days,
            limits=new.limits,
            price=usd(new.price),
            is_active=new.is_active,
            sort_order=new.sort_order,
            created_at=now,
            updated_at=now,
        )
        self._uow.plans.add(plan)
        await self._audit(AuditAction.PLAN_CREATED, plan, actor, origin, _facts(plan))
        return plan

    async def update(
        self,
        plan_id: UUID,
        changes: PlanChanges,
        *,
        actor: Account,
        origin: AuditOrigin,
    ) -> Plan:
        plan = await self._get(plan_id)
        code = changes.values.get("code")
        if isinstance(code, str) and await self._uow.plans.code_taken(
            code, other_than=plan.id
        ):
            raise PlanCodeTakenError
        price = changes.values.get("price")
        if isinstance(price, Decimal):
            usd(price)
        plan_values = {k: v for k, v in changes.values.items() if k not in LIMIT_FIELDS}
        limit_values = {k: v for k, v in changes.values.items() if k in LIMIT_FIELDS}
        if limit_values:
            plan_values["limits"] = replace(plan.limits, **limit_values)  # type: ignore[arg-type]
        updated = plan.changed(plan_values, now=self._clock.now())
        await self._uow.plans.save(updated)
        await self._audit(
            AuditAction.PLAN_UPDATED, updated, actor, origin, dict(changes.values)
        )
        return updated

    async def delete(
        self, plan_id: UUID, *, actor: Account, origin: AuditOrigin
    ) -> None:
        plan = await self._get(plan_id)
        if await self._uow.payments.plan_sold(plan.id):
            raise PlanSoldError
        await self._uow.plans.delete(plan.id)
        await self._audit(AuditAction.PLAN_DELETED, plan, actor, origin, None)

    async def _get(self, plan_id: UUID) -> Plan:
        plan = await self._uow.plans.get(plan_id)
        if plan is None:
            raise PlanNotFoundError
        return plan

    async def _audit(
        self,
        action: AuditAction,
        plan: Plan,
        actor: Account,
        origin: AuditOrigin,
        after: dict[str, object] | None,
    ) -> None:
        await AuditTrail(self._uow, self._clock).record(
            action,
            origin=origin,
            actor_id=actor.id,
            entity_type="plan",
            entity_id=str(plan.id),
            after=None if after is None else {k: plain(v) for k, v in after.items()},
        )
        await self._uow.commit()


def _facts(plan: Plan) -> dict[str, object]:
    return {
        "code": plan.code,
        "price": str(plan.price),
        "duration_days": plan.duration_days,
        "limits": plan.limits,
        "is_active": plan.is_active,
    }
