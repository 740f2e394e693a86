"""Receiving a Crypto Pay webhook: an invoice was paid."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cybervpn.application.billing.credit_payment import CreditOutcome, CreditPayments
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork, UnitOfWorkFactory
from cybervpn.domain.billing.payment import PROVIDER_CRYPTOBOT, ProviderInvoice
from cybervpn.domain.webhooks.delivery import (
    DeliveryOutcome,
    MalformedWebhookError,
    WebhookDelivery,
    WebhookRejectedError,
)

PAID_UPDATE = "invoice_paid"


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentWebhook:
    authentic: bool  # the HMAC over the raw body matched
    update_type: str | None
    invoice: ProviderInvoice | None  # None when the body is not a valid update
    payload: dict[str, Any] | None  # what is logged


@dataclass(frozen=True, slots=True)
class PaidDelivery:
    """An authentic `invoice_paid` update, ready to be credited."""

    invoice: ProviderInvoice
    payload: dict[str, Any] | None


type PaidDeliveryHandler = Callable[[PaidDelivery], Awaitable[DeliveryOutcome]]

_OUTCOMES = {
    CreditOutcome.CREDITED: DeliveryOutcome.PROCESSED,
    CreditOutcome.ALREADY_PAID: DeliveryOutcome.DUPLICATE,
    CreditOutcome.FLAGGED: DeliveryOutcome.FLAGGED,
}


class ReceivePaymentWebhook:
    """Business rules:
    - a delivery without a valid signature is logged as rejected and credits
      nothing (401); the provider signs no timestamp, so replays are stopped by
      deduplication instead;
    - a body that is not a Crypto Pay update is logged as rejected (422), an
      update that is not a payment as ignored;
    - a paid invoice goes to `credit` (ReceivePaidInvoices, in a batch with the
      deliveries that arrive with it).
    """

    def __init__(
        self,
        *,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        credit: PaidDeliveryHandler,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._credit = credit

    async def execute(self, webhook: PaymentWebhook) -> DeliveryOutcome:
        if not webhook.authentic:
            await self._log_and_raise(
                "bad or missing signature", WebhookRejectedError, webhook
            )
        if webhook.invoice is None or webhook.update_type is None:
            await self._log_and_raise(
                "not a Crypto Pay update", MalformedWebhookError, webhook
            )
        assert webhook.invoice is not None  # noqa: S101 - narrowed above
        if webhook.update_type != PAID_UPDATE:
            await self._log(
                WebhookDelivery(
                    provider=PROVIDER_CRYPTOBOT,
                    received_at=self._clock.now(),
                    outcome=DeliveryOutcome.IGNORED,
                    event=webhook.update_type,
                    error="not a payment",
                    payload=webhook.payload,
                )
            )
            return DeliveryOutcome.IGNORED
        return await self._credit(PaidDelivery(webhook.invoice, webhook.payload))

    async def _log_and_raise(
        self,
        reason: str,
        error: type[WebhookRejectedError | MalformedWebhookError],
        webhook: PaymentWebhook,
    ) -> None:
        await self._log(
            WebhookDelivery(
                provider=PROVIDER_CRYPTOBOT,
                received_at=self._clock.now(),
                outcome=DeliveryOutcome.REJECTED,
                error=reason,
            )
        )
        raise error(reason)

    async def _log(self, delivery: WebhookDelivery) -> None:
        async with self._uow_factory() as uow:
            uow.webhook_log.add(delivery)
            await uow.commit()


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
        self, *, uow_factory: UnitOfWorkFactory, clock: Clock, referral_bonus_days: int
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._referral_bonus_days = referral_bonus_days

    async def execute(self, batch: Sequence[PaidDelivery]) -> list[DeliveryOutcome]:
        async with self._uow_factory() as uow:
            outcomes = await self._receive(uow, batch)
            await uow.commit()
        return outcomes

    async def _receive(
        self, uow: UnitOfWork, batch: Sequence[PaidDelivery]
    ) -> list[DeliveryOutcome]:
        now = self._clock.now()
        records = [
            WebhookDelivery(
                provider=PROVIDER_CRYPTOBOT,
                received_at=now,
                outcome=DeliveryOutcome.PROCESSED,
                event=PAID_UPDATE,
                dedupe_key=f"{PAID_UPDATE}:{delivery.invoice.invoice_id}",
                payload=delivery.payload,
            )
            for delivery in batch
        ]
        firsts = await uow.webhook_log.record_firsts(records)
        outcomes = [DeliveryOutcome.DUPLICATE] * len(batch)
        for record in records:
            if record.id not in firsts:
                uow.webhook_log.add(
                    WebhookDelivery(
                        provider=PROVIDER_CRYPTOBOT,
                        received_at=now,
                        outcome=DeliveryOutcome.DUPLICATE,
                        event=PAID_UPDATE,
                    )
                )
        first = [n for n, record in enumerate(records) if record.id in firsts]
        payments = await uow.payments.by_invoices(
            {batch[n].invoice.invoice_id for n in first}
        )
        credited = [n for n in first if batch[n].invoice.invoice_id in payments]
        results = await CreditPayments(
            uow=uow, clock=self._clock, referral_bonus_days=self._referral_bonus_days
        ).execute(
            [
                (payments[batch[n].invoice.invoice_id], batch[n].invoice)
                for n in credited
            ]
        )
        decided = {n: _OUTCOMES[r] for n, r in zip(credited, results, strict=True)}
        for n in first:
            outcome = decided.get(n, DeliveryOutcome.IGNORED)
            outcomes[n] = outcome
            if outcome is not DeliveryOutcome.PROCESSED:
                records[n].outcome = outcome
                if n not in decided:
                    records[n].error = "unknown invoice"
                await uow.webhook_log.save(records[n])
        return outcomes
