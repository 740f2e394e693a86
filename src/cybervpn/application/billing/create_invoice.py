"""A customer starts paying for a plan."""

from dataclasses import dataclass
from uuid import UUID

from cybervpn.application.billing.ports import InvoiceRequest, PaymentProvider
from cybervpn.application.billing.promo_pricing import priced_with_promo
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.billing.payment import (
    Payment,
    PaymentProviderUnavailableError,
    PaymentStatus,
)
from cybervpn.domain.catalog.plan import PlanNotForSaleError, PlanNotFoundError
from cybervpn.domain.identity.account import Account


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceTerms:
    expires_in_seconds: int


class CreateInvoice:
    """Business rules:
    - only an active plan is sold, at the plan's current price, less a valid
      promo code's discount (or plus its bonus days);
    - the pending payment is committed before the provider is asked for an
      invoice, and the invoice carries the payment id, so whatever happens after,
      a paid invoice always finds its payment;
    - if the provider cannot issue the invoice the payment is marked failed (the
      customer never saw a link to pay) and the request answers 503.
    """

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        provider: PaymentProvider,
        terms: InvoiceTerms,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._provider = provider
        self._terms = terms

    async def execute(
        self, account: Account, plan_id: UUID, promo_code: str | None = None
    ) -> Payment:
        plan = await self._uow.plans.get(plan_id)
        if plan is None:
            raise PlanNotFoundError
        if not plan.is_active:
            raise PlanNotForSaleError
        now = self._clock.now()
        priced, promo = await priced_with_promo(
            self._uow, account=account, plan=plan, code=promo_code, now=now
        )
        payment = Payment(
            account_id=account.id,
            plan_id=plan.id,
            amount=priced.price,
            bonus_days=priced.bonus_days,
            promo_code_id=None if promo is None else promo.id,
            created_at=now,
        )
        self._uow.payments.add(payment)
        await self._uow.commit()
        try:
            invoice = await self._provider.create_invoice(
                InvoiceRequest(
                    amount=payment.amount,
                    currency=payment.currency,
                    payload=str(payment.id),
                    description=f"CyberVPN {plan.name} ({plan.duration_days} days)",
                    expires_in_seconds=self._terms.expires_in_seconds,
                )
            )
        except PaymentProviderUnavailableError:
            payment.status = PaymentStatus.FAILED
            await self._uow.payments.save(payment)
            await self._uow.commit()
            raise
        payment.invoice_id = invoice.invoice_id
        payment.pay_url = invoice.pay_url
        payment.expires_at = invoice.expires_at
        await self._uow.payments.save(payment)
        await self._uow.commit()
        return payment
