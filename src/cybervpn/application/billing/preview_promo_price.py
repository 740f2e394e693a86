"""Customers preview a promo code's price before they buy."""

from uuid import UUID

from cybervpn.application.billing.promo_pricing import priced_with_promo
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.billing.promo_code import PromoPrice
from cybervpn.domain.catalog.plan import PlanNotForSaleError, PlanNotFoundError
from cybervpn.domain.identity.account import Account


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
