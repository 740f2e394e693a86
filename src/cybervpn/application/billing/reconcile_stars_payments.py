"""Reconciling Telegram Stars: payments Telegram took whose update never reached
us, and pending payments nobody will pay any more."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from cybervpn.application.billing.credit_payment import CreditPayments
from cybervpn.application.billing.ports import StarsCharge, StarsPayments
from cybervpn.application.billing.reconcile_payments import ReconcileReport
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWorkFactory
from cybervpn.domain.billing.payment import (
    CURRENCY_STARS,
    PROVIDER_TELEGRAM_STARS,
    PaymentProviderUnavailableError,
    PaymentStatus,
    ProviderInvoice,
)

PAGE = 100  # getStarTransactions' largest page
MAX_PAGES = 50  # a run reads at most this many pages back
# A link approved just before it expired may still be paid a moment after.
EXPIRY_GRACE = timedelta(minutes=10)


class ReconcileStarsPayments:
    """Business rules:
    - Telegram's transactions are read newest first, a page of 100 at a time, back
      to the oldest pending Stars payment; a charge whose payment is still pending
      goes through the same crediting as the webhook (CreditPayments), so a lost
      update is caught and the update arriving later is a duplicate;
    - a pending Stars payment ten minutes past its expiry, with no charge for it,
      is expired: its link can no longer be paid;
    - while Telegram cannot answer, nothing is expired (a charge may be there) and
      the next run tries again.
    """

    def __init__(
        self,
        *,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        stars: StarsPayments,
        credit: CreditPayments,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._stars = stars
        self._credit = credit

    async def execute(self) -> ReconcileReport:
        outcomes: Counter[str] = Counter()
        async with self._uow_factory() as uow:
            oldest = await uow.payments.oldest_pending(PROVIDER_TELEGRAM_STARS)
        if oldest is None:
            return ReconcileReport(checked=0, outcomes={})
        checked = 0
        try:
            for page in range(MAX_PAGES):
                charges, held = await self._stars.charges(
                    offset=page * PAGE, limit=PAGE
                )
                for charge in charges:
                    if charge.paid_at >= oldest - EXPIRY_GRACE:
                        checked += 1
                        outcome = await self._settle(charge)
                        if outcome is not None:
                            outcomes[outcome] += 1
                reached_oldest = any(c.paid_at < oldest for c in charges)
                if held < PAGE or reached_oldest:
                    break
        except PaymentProviderUnavailableError:
            outcomes["provider_unavailable"] += 1
            return ReconcileReport(checked=checked, outcomes=dict(outcomes))
        outcomes["expired"] += await self._expire_unpaid()
        return ReconcileReport(checked=checked, outcomes=+outcomes)

    async def _settle(self, charge: StarsCharge) -> str | None:
        try:
            payment_id = UUID(charge.payload)
        except ValueError:
            return None
        async with self._uow_factory() as uow:
            payment = await uow.payments.get(payment_id)
            if payment is None or payment.status is not PaymentStatus.PENDING:
                return None  # not ours, or settled already
            [outcome] = await self._credit.execute(uow, [(payment, _invoice(charge))])
            await uow.commit()
        return outcome.value

    async def _expire_unpaid(self) -> int:
        before = self._clock.now() - EXPIRY_GRACE
        expired = 0
        async with self._uow_factory() as uow:
            for payment in await uow.payments.pending_expired(
                PROVIDER_TELEGRAM_STARS, before=before
            ):
                expired += await uow.payments.mark_expired(payment.id)
            await uow.commit()
        return expired


def _invoice(charge: StarsCharge) -> ProviderInvoice:
    return ProviderInvoice(
        invoice_id=None,
        status="paid",
        currency_type="stars",
        currency=CURRENCY_STARS,
        amount=Decimal(charge.amount),
        payload=charge.payload,
        paid_at=charge.paid_at,
        paid_asset=CURRENCY_STARS,
        paid_amount=Decimal(charge.amount),
        charge_id=charge.charge_id,
        payer_telegram_id=charge.payer_telegram_id,
    )
