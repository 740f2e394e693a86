"""Receiving a Crypto Pay webhook: an invoice was paid."""

from dataclasses import dataclass
from typing import Any

from cybervpn.application.billing.credit_payment import CreditOutcome, CreditPayment
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
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
    - every delivery is logged; the first one of an invoice is recorded under the
      unique key `invoice_paid:{invoice_id}` in the same transaction as the credit,
      so concurrent and later copies are logged as duplicates and credit nothing;
    - an invoice we do not know is logged as ignored; one that does not match its
      payment is flagged (see CreditPayment). Both answer 200, so the provider
      stops retrying: retrying cannot make them right.
    """

    def __init__(
        self, *, uow: UnitOfWork, clock: Clock, referral_bonus_days: int
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._referral_bonus_days = referral_bonus_days

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
            return await self._log(DeliveryOutcome.IGNORED, webhook, "not a payment")
        invoice = webhook.invoice
        first = WebhookDelivery(
            provider=PROVIDER_CRYPTOBOT,
            received_at=self._clock.now(),
            outcome=DeliveryOutcome.PROCESSED,
            event=PAID_UPDATE,
            dedupe_key=f"{PAID_UPDATE}:{invoice.invoice_id}",
            payload=webhook.payload,
        )
        if not await self._uow.webhook_log.record_first(first):
            return await self._log(DeliveryOutcome.DUPLICATE, webhook)
        payment = await self._uow.payments.by_invoice(invoice.invoice_id)
        if payment is None:
            first.outcome, first.error = DeliveryOutcome.IGNORED, "unknown invoice"
        else:
            credit = await CreditPayment(
                uow=self._uow,
                clock=self._clock,
                referral_bonus_days=self._referral_bonus_days,
            ).execute(payment, invoice)
            first.outcome = _OUTCOMES[credit]
        await self._uow.webhook_log.save(first)
        await self._uow.commit()
        return first.outcome

    async def _log(
        self,
        outcome: DeliveryOutcome,
        webhook: PaymentWebhook,
        error: str | None = None,
    ) -> DeliveryOutcome:
        self._uow.webhook_log.add(
            WebhookDelivery(
                provider=PROVIDER_CRYPTOBOT,
                received_at=self._clock.now(),
                outcome=outcome,
                event=webhook.update_type,
                error=error,
                payload=webhook.payload
                if outcome is not DeliveryOutcome.DUPLICATE
                else None,
            )
        )
        await self._uow.commit()
        return outcome

    async def _log_and_raise(
        self,
        reason: str,
        error: type[WebhookRejectedError | MalformedWebhookError],
        webhook: PaymentWebhook,
    ) -> None:
        self._uow.webhook_log.add(
            WebhookDelivery(
                provider=PROVIDER_CRYPTOBOT,
                received_at=self._clock.now(),
                outcome=DeliveryOutcome.REJECTED,
                error=reason,
            )
        )
        await self._uow.commit()
        raise error(reason)
