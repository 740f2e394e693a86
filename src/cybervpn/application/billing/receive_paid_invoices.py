"""Crediting paid-invoice webhooks, many in one transaction.

Wiring: the webhook route hands each authentic `invoice_paid` delivery to
ReceivePaymentWebhook, whose `credit` is the container's GroupCommit over this use
case (`presentation/http/container.py`); deliveries that arrive together become one
batch here. See ADR 0004.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cybervpn.application.billing.credit_payment import CreditPayments
from cybervpn.application.billing.delivery_batch import (
    DELIVERY_OUTCOMES,
    Receipt,
    claim_firsts,
    log_outcomes,
)
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork, UnitOfWorkFactory
from cybervpn.domain.billing.payment import PROVIDER_CRYPTOBOT, ProviderInvoice
from cybervpn.domain.webhooks.delivery import DeliveryOutcome, WebhookDelivery

PAID_UPDATE = "invoice_paid"


@dataclass(frozen=True, slots=True)
class PaidDelivery:
    """An authentic `invoice_paid` update, ready to be credited."""

    invoice: ProviderInvoice
    payload: dict[str, Any] | None


type PaidDeliveryHandler = Callable[[PaidDelivery], Awaitable[DeliveryOutcome]]


def _invoice_id(receipt: Receipt[PaidDelivery]) -> int:
    # Crypto Pay's updates always carry one (0 finds no payment).
    return receipt.delivery.invoice.invoice_id or 0


class ReceivePaidInvoices:
    """Business rules:
    - every delivery is logged; the first one of an invoice is recorded under the
      unique key `invoice_paid:{invoice_id}` in the same transaction as the credit,
      so concurrent and later copies are logged as duplicates and credit nothing;
    - an invoice we do not know is logged as ignored; one that does not match its
      payment is flagged (see CreditPayments). Both answer 200, so the provider
      stops retrying: retrying cannot make them right.

    A batch is one transaction; each delivery gets the outcome it would have had
    alone.
    """

    def __init__(
        self, *, uow_factory: UnitOfWorkFactory, clock: Clock, credit: CreditPayments
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._credit = credit

    async def execute(self, batch: Sequence[PaidDelivery]) -> list[DeliveryOutcome]:
        async with self._uow_factory() as uow:
            receipts = await self._receive(uow, batch)
            await uow.commit()
        return [receipt.outcome for receipt in receipts]

    async def _receive(
        self, uow: UnitOfWork, batch: Sequence[PaidDelivery]
    ) -> list[Receipt[PaidDelivery]]:
        now = self._clock.now()
        receipts = [Receipt(delivery, _logged(delivery, now)) for delivery in batch]
        fresh = await claim_firsts(uow, receipts)
        payments = await uow.payments.by_invoices(
            PROVIDER_CRYPTOBOT, {_invoice_id(r) for r in fresh}
        )
        known = [r for r in fresh if _invoice_id(r) in payments]
        results = await self._credit.execute(
            uow, [(payments[_invoice_id(r)], r.delivery.invoice) for r in known]
        )
        for receipt, result in zip(known, results, strict=True):
            receipt.outcome = DELIVERY_OUTCOMES[result]
        for receipt in fresh:
            if _invoice_id(receipt) not in payments:
                receipt.outcome = DeliveryOutcome.IGNORED
                receipt.logged.error = "unknown invoice"
        await log_outcomes(uow, fresh)
        return receipts


def _logged(delivery: PaidDelivery, now: datetime) -> WebhookDelivery:
    return WebhookDelivery(
        provider=PROVIDER_CRYPTOBOT,
        received_at=now,
        outcome=DeliveryOutcome.PROCESSED,
        event=PAID_UPDATE,
        dedupe_key=f"{PAID_UPDATE}:{delivery.invoice.invoice_id}",
        payload=delivery.payload,
    )
