"""Staff manage the plans we sell."""

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail, plain
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.catalog.plan import (
    AccessLimits,
    Plan,
    PlanChanges,
    PlanCodeTakenError,
    PlanNotFoundError,
    PlanSoldError,
    stars,
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
    price_stars: int | None = None
    is_active: bool = True
    sort_order: int = 0


class ManagePlans:
    """Create, change and delete plans: one aggregate's CRUD, so one class.

    Business rules: plan codes are unique; prices are positive whole cents in
    USD, and a Stars price (optional: without one the plan is not sold for Stars)
    is whole Stars; a plan that has been sold is never deleted (deactivate it
    instead), so every payment keeps its plan. Changes apply to future purchases
    only: existing subscriptions keep the limits they were bought with until they
    renew."""

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
            price_stars=stars(new.price_stars),
            is_active=new.is_active,
            sort_order=new.sort_order,
            created_at=now,
            updated_at=now,
        )
        self._uow.plans.add(plan)
        await self._audit(AuditAction.PLAN_CREATED, plan, actor, origin, _facts(plan))
        await self._uow.commit()
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
        if changes.code is not None and await self._uow.plans.code_taken(
            changes.code, other_than=plan.id
        ):
            raise PlanCodeTakenError
        updated = plan.changed(changes, now=self._clock.now())
        await self._uow.plans.save(updated)
        await self._audit(
            AuditAction.PLAN_UPDATED, updated, actor, origin, changes.values()
        )
        await self._uow.commit()
        return updated

    async def delete(
        self, plan_id: UUID, *, actor: Account, origin: AuditOrigin
    ) -> None:
        plan = await self._get(plan_id)
        if await self._uow.payments.plan_sold(plan.id):
            raise PlanSoldError
        await self._uow.plans.delete(plan.id)
        await self._audit(AuditAction.PLAN_DELETED, plan, actor, origin, None)
        await self._uow.commit()

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
        """Records the change; the calling method commits it."""
        await AuditTrail(self._uow, self._clock).record(
            action,
            origin=origin,
            actor_id=actor.id,
            entity_type="plan",
            entity_id=str(plan.id),
            after=None if after is None else {k: plain(v) for k, v in after.items()},
        )


def _facts(plan: Plan) -> dict[str, object]:
    return {
        "code": plan.code,
        "price": str(plan.price),
        "price_stars": plan.price_stars,
        "duration_days": plan.duration_days,
        "limits": plan.limits,
        "is_active": plan.is_active,
    }
