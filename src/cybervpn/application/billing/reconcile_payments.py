"""Reconciliation: what the provider knows that our webhooks did not tell us."""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from cybervpn.application.billing.credit_payment import CreditPayments
from cybervpn.application.billing.ports import PaymentProvider
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWorkFactory
from cybervpn.domain.billing.payment import (
    Payment,
    PaymentProviderUnavailableError,
    PaymentStatus,
    ProviderInvoice,
)

BATCH = 100
# A payment whose invoice was never created (the provider failed mid-request and
# the process died before marking it) is given up after this long.
ORPHAN_AFTER = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    checked: int
    outcomes: dict[str, int]


class ReconcilePayments:
    """Business rules:
    - every pending payment with an invoice is checked with the provider, a batch
      at a time; a paid invoice goes through the same crediting as a webhook
      (CreditPayments), so a missed webhook is caught and a webhook that arrives
      too changes nothing;
    - an invoice the provider reports expired, or whose expiry has passed while
      still unpaid, makes its payment expired: it can never provision;
    - a provider outage skips the run; the next one tries again.
    """

    def __init__(
        self,
        *,
        uow_factory: UnitOfWorkFactory,
        provider: PaymentProvider,
        clock: Clock,
        credit: CreditPayments,
    ) -> None:
        self._uow_factory = uow_factory
        self._provider = provider
        self._clock = clock
        self._credit = credit

    async def execute(self) -> ReconcileReport:
        outcomes: Counter[str] = Counter()
        checked, offset = 0, 0
        await self._fail_orphans()
        while True:
            async with self._uow_factory() as uow:
                batch = await uow.payments.pending_with_invoice(
                    limit=BATCH, offset=offset
                )
            if not batch:
                break
            try:
                invoices = await self._provider.invoices(
                    [p.invoice_id for p in batch if p.invoice_id is not None]
                )
            except PaymentProviderUnavailableError:
                outcomes["provider_unavailable"] += 1
                break
            by_id = {invoice.invoice_id: invoice for invoice in invoices}
            still_pending = 0
            for payment in batch:
                outcome = await self._settle(
                    payment, by_id.get(payment.invoice_id or 0)
                )
                outcomes[outcome] += 1
                still_pending += outcome == "pending"
            checked += len(batch)
            offset += still_pending  # settled rows left the pending set
            if len(batch) < BATCH:
                break
        return ReconcileReport(checked=checked, outcomes=dict(outcomes))

    async def _settle(self, payment: Payment, invoice: ProviderInvoice | None) -> str:
        now = self._clock.now()
        async with self._uow_factory() as uow:
            if invoice is not None and invoice.status == "paid":
                [credit] = await self._credit.execute(uow, [(payment, invoice)])
                await uow.commit()
                return credit.value
            provider_expired = invoice is not None and invoice.status == "expired"
            past_expiry = payment.expires_at is not None and payment.expires_at <= now
            if provider_expired or (invoice is None and past_expiry):
                await uow.payments.mark_expired(payment.id)
                await uow.commit()
                return PaymentStatus.EXPIRED.value
        return "pending"

    async def _fail_orphans(self) -> None:
        async with self._uow_factory() as uow:
            before = self._clock.now() - ORPHAN_AFTER
            for payment in await uow.payments.stale_without_invoice(before=before):
                payment.status = PaymentStatus.FAILED
                await uow.payments.save(payment)
            await uow.commit()
