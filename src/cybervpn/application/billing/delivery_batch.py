"""What every batch of paid-webhook deliveries does alike, whatever the provider
(ReceivePaidInvoices for Crypto Pay, ReceiveStarsPayments for Telegram Stars):
claim each delivery's dedupe key, log the copies as duplicates, and log every
delivery that did not credit with the outcome it got."""

from collections.abc import Sequence
from dataclasses import dataclass

from cybervpn.application.billing.credit_payment import CreditOutcome
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.webhooks.delivery import DeliveryOutcome, WebhookDelivery

# What a credit makes of the delivery that brought it.
DELIVERY_OUTCOMES = {
    CreditOutcome.CREDITED: DeliveryOutcome.PROCESSED,
    CreditOutcome.ALREADY_PAID: DeliveryOutcome.DUPLICATE,
    CreditOutcome.FLAGGED: DeliveryOutcome.FLAGGED,
}


@dataclass(slots=True)
class Receipt[D]:
    """One delivery of a batch: its log row and the outcome it gets."""

    delivery: D
    logged: WebhookDelivery
    outcome: DeliveryOutcome = DeliveryOutcome.DUPLICATE


async def claim_firsts[D](
    uow: UnitOfWork, receipts: Sequence[Receipt[D]]
) -> list[Receipt[D]]:
    """The receipts whose dedupe key no earlier delivery holds; each of the others
    is logged as a duplicate (without its payload: the first copy has it)."""
    firsts = await uow.webhook_log.record_firsts([r.logged for r in receipts])
    for receipt in receipts:
        if receipt.logged.id not in firsts:
            uow.webhook_log.add(
                WebhookDelivery(
                    provider=receipt.logged.provider,
                    received_at=receipt.logged.received_at,
                    outcome=DeliveryOutcome.DUPLICATE,
                    event=receipt.logged.event,
                )
            )
    return [r for r in receipts if r.logged.id in firsts]


async def log_outcomes[D](uow: UnitOfWork, fresh: Sequence[Receipt[D]]) -> None:
    """Claimed rows were written as processed; the others get their outcome."""
    for receipt in fresh:
        if receipt.outcome is not DeliveryOutcome.PROCESSED:
            receipt.logged.outcome = receipt.outcome
            await uow.webhook_log.save(receipt.logged)
