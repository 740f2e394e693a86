"""The price a customer pays for a plan with a promo code."""

from datetime import datetime

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.billing.promo_code import (
    PromoCode,
    PromoCodeNotApplicableError,
    PromoPrice,
    normalize,
)
from cybervpn.domain.catalog.plan import Plan
from cybervpn.domain.identity.account import Account


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
