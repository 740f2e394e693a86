"""A customer starts paying for a plan in Telegram Stars."""

from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from cybervpn.application.billing.ports import StarsInvoiceRequest, StarsPayments
from cybervpn.application.billing.promo_pricing import priced_with_promo
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.billing.payment import (
    CURRENCY_STARS,
    PROVIDER_TELEGRAM_STARS,
    STARS_SUBSCRIPTION_DAYS,
    AutoRenewNotAvailableError,
    Payment,
    PaymentProviderUnavailableError,
    PaymentStatus,
    StarsPriceMissingError,
)
from cybervpn.domain.catalog.plan import Plan, PlanNotForSaleError, PlanNotFoundError
from cybervpn.domain.identity.account import Account

# Telegram's limits on an invoice's texts.
TITLE_MAX = 32
DESCRIPTION_MAX = 255


class CreateStarsInvoice:
    """Business rules:
    - only an active plan with a Stars price is sold for Stars (409
      `stars_price_missing` otherwise), at that price less a valid promo code's
      share off (or plus its bonus days), in whole Stars, at least one;
    - as with Crypto Pay, the pending payment is committed before Telegram is
      asked for the invoice link, which carries the payment id as its payload;
      if Telegram cannot issue it the payment is failed and the request answers
      503;
    - the link may be paid until the payment expires: after that the
      pre-checkout is refused;
    - with `auto_renew`, a 30-day plan is sold as a Stars subscription: Telegram
      charges it again every 30 days until the customer cancels (other plans:
      422 `auto_renew_not_available`).
    """

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        stars: StarsPayments,
        expires_in: timedelta,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._stars = stars
        self._expires_in = expires_in

    async def execute(
        self,
        account: Account,
        plan_id: UUID,
        promo_code: str | None = None,
        *,
        auto_renew: bool = False,
    ) -> Payment:
        plan = await self._uow.plans.get(plan_id)
        if plan is None:
            raise PlanNotFoundError
        if not plan.is_active:
            raise PlanNotForSaleError
        if plan.price_stars is None:
            raise StarsPriceMissingError
        if auto_renew and plan.duration_days != STARS_SUBSCRIPTION_DAYS:
            raise AutoRenewNotAvailableError
        now = self._clock.now()
        _, promo = await priced_with_promo(
            self._uow, account=account, plan=plan, code=promo_code, now=now
        )
        amount, bonus_days = (
            (plan.price_stars, 0)
            if promo is None
            else promo.apply_stars(plan.price_stars, plan.price)
        )
        payment = Payment(
            account_id=account.id,
            plan_id=plan.id,
            provider=PROVIDER_TELEGRAM_STARS,
            currency=CURRENCY_STARS,
            amount=Decimal(amount),
            bonus_days=bonus_days,
            promo_code_id=None if promo is None else promo.id,
            created_at=now,
            expires_at=now + self._expires_in,
            auto_renew=auto_renew,
        )
        self._uow.payments.add(payment)
        await self._uow.commit()
        try:
            link = await self._stars.create_invoice_link(_request(plan, payment))
        except PaymentProviderUnavailableError:
            payment.status = PaymentStatus.FAILED
            await self._uow.payments.save(payment)
            await self._uow.commit()
            raise
        payment.pay_url = link
        await self._uow.payments.save(payment)
        await self._uow.commit()
        return payment


def _request(plan: Plan, payment: Payment) -> StarsInvoiceRequest:
    title = f"CyberVPN {plan.name}"
    description = f"{plan.name}: {plan.duration_days} days of VPN access"
    return StarsInvoiceRequest(
        title=title[:TITLE_MAX],
        description=description[:DESCRIPTION_MAX],
        payload=str(payment.id),
        amount=int(payment.amount),
        subscription_period_seconds=(
            STARS_SUBSCRIPTION_DAYS * 86_400 if payment.auto_renew else None
        ),
    )
