"""Promo codes: staff manage them; customers preview and use them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail, plain
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.billing.promo_code import (
    PromoCode,
    PromoCodeNotApplicableError,
    PromoCodeNotFoundError,
    PromoCodeTakenError,
    PromoCodeUsedError,
    PromoKind,
    PromoPrice,
    normalize,
)
from cybervpn.domain.catalog.plan import Plan, PlanNotForSaleError, PlanNotFoundError
from cybervpn.domain.identity.account import Account


@dataclass(frozen=True, slots=True, kw_only=True)
class NewPromoCode:
    code: str
    kind: PromoKind
    value: Decimal
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    max_uses: int | None = None
    max_uses_per_account: int = 1
    is_active: bool = True


class ManagePromoCodes:
    """Business rules: codes are unique regardless of case; a code used by any
    payment is never deleted (deactivate it), so every payment keeps its code."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def list(self, *, limit: int, offset: int) -> tuple[Sequence[PromoCode], int]:
        return await self._uow.promo_codes.list(limit=limit, offset=offset)

    async def create(
        self, new: NewPromoCode, *, actor: Account, origin: AuditOrigin
    ) -> PromoCode:
        code = normalize(new.code)
        if await self._uow.promo_codes.by_code(code) is not None:
            raise PromoCodeTakenError
        promo = PromoCode(
            code=code,
            kind=new.kind,
            value=new.value,
            created_at=self._clock.now(),
            valid_from=new.valid_from,
            valid_until=new.valid_until,
            max_uses=new.max_uses,
            max_uses_per_account=new.max_uses_per_account,
            is_active=new.is_active,
        )
        self._uow.promo_codes.add(promo)
        await self._audit(AuditAction.PROMO_CODE_CREATED, promo, actor, origin)
        return promo

    async def update(
        self,
        promo_id: UUID,
        values: dict[str, object],
        *,
        actor: Account,
        origin: AuditOrigin,
    ) -> PromoCode:
        promo = await self._get(promo_id)
        updated = promo.changed(values)
        await self._uow.promo_codes.save(updated)
        await self._audit(
            AuditAction.PROMO_CODE_UPDATED, updated, actor, origin, values
        )
        return updated

    async def delete(
        self, promo_id: UUID, *, actor: Account, origin: AuditOrigin
    ) -> None:
        promo = await self._get(promo_id)
        if await self._uow.payments.promo_used(promo.id):
            raise PromoCodeUsedError
        await self._uow.promo_codes.delete(promo.id)
        await self._audit(AuditAction.PROMO_CODE_DELETED, promo, actor, origin)

    async def _get(self, promo_id: UUID) -> PromoCode:
        promo = await self._uow.promo_codes.get(promo_id)
        if promo is None:
            raise PromoCodeNotFoundError
        return promo

    async def _audit(
        self,
        action: AuditAction,
        promo: PromoCode,
        actor: Account,
        origin: AuditOrigin,
        changes: dict[str, object] | None = None,
    ) -> None:
        after = changes or {
            "code": promo.code,
            "kind": promo.kind,
            "value": promo.value,
        }
        await AuditTrail(self._uow, self._clock).record(
            action,
            origin=origin,
            actor_id=actor.id,
            entity_type="promo_code",
            entity_id=str(promo.id),
            after={k: plain(v) for k, v in after.items()},
        )
        await self._uow.commit()


async def priced_with_promo(
    uow: UnitOfWork, *, account: Account, plan: Plan, code: str | None, now: datetime
) -> tuple[PromoPrice, PromoCode | None]:
    """The price this account pays for this plan with this code (none: the plan's
    price). An unknown or unusable code is refused with the reason."""
    if code is None:
        return PromoPrice(original=plan.price, price=plan.price, bonus_days=0), None
    promo = await uow.promo_codes.by_code(normalize(code))
    if promo is None:
        raise PromoCodeNotApplicableError("Unknown promo code")
    account_uses = await uow.payments.paid_promo_uses(promo.id, account.id)
    refusal = promo.refusal(now=now, account_uses=account_uses)
    if refusal is not None:
        raise PromoCodeNotApplicableError(refusal)
    return promo.apply(plan.price), promo


class PreviewPromoPrice:
    """What a plan would cost with a code, without reserving anything."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, account: Account, *, plan_id: UUID, code: str
    ) -> PromoPrice:
        plan = await self._uow.plans.get(plan_id)
        if plan is None:
            raise PlanNotFoundError
        if not plan.is_active:
            raise PlanNotForSaleError
        priced, _ = await priced_with_promo(
            self._uow, account=account, plan=plan, code=code, now=self._clock.now()
        )
        return priced
