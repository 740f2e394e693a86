"""Receiving a Crypto Pay webhook: an invoice was paid."""

from dataclasses import dataclass
from typing import Any, NoReturn

from cybervpn.application.billing.receive_paid_invoices import (
    PAID_UPDATE,
    PaidDelivery,
    PaidDeliveryHandler,
)
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWorkFactory
from cybervpn.domain.billing.payment import PROVIDER_CRYPTOBOT, ProviderInvoice
from cybervpn.domain.webhooks.delivery import (
    DeliveryOutcome,
    MalformedWebhookError,
    WebhookDelivery,
    WebhookRejectedError,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentWebhook:
    authentic: bool  # the HMAC over the raw body matched
    update_type: str | None
    invoice: ProviderInvoice | None  # None when the body is not a valid update
    payload: dict[str, Any] | None  # what is logged


class ReceivePaymentWebhook:
    """Business rules:
    - a delivery without a valid signature is logged as rejected and credits
      nothing (401); the provider signs no timestamp, so replays are stopped by
      deduplication instead;
    - a body that is not a Crypto Pay update is logged as rejected (422), an
      update that is not a payment as ignored;
    - a paid invoice goes to `credit`: in the API that is the container's
      GroupCommit over ReceivePaidInvoices, so it is credited in one transaction
      with the deliveries that arrive with it.
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
        invoice = webhook.invoice
        if invoice is None or webhook.update_type is None:
            await self._log_and_raise(
                "not a Crypto Pay update", MalformedWebhookError, webhook
            )
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
        return await self._credit(PaidDelivery(invoice, webhook.payload))

    async def _log_and_raise(
        self,
        reason: str,
        error: type[WebhookRejectedError | MalformedWebhookError],
        webhook: PaymentWebhook,
    ) -> NoReturn:
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
