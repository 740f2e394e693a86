"""POST /webhooks/cryptobot: Crypto Pay tells us an invoice was paid."""

from typing import Annotated

from fastapi import APIRouter, Header, Request

from cybervpn.application.billing.receive_payment_webhook import PaymentWebhook
from cybervpn.domain.billing.payment import PROVIDER_CRYPTOBOT
from cybervpn.domain.webhooks.delivery import DeliveryOutcome
from cybervpn.infrastructure.cryptobot.schemas import parse_update
from cybervpn.infrastructure.cryptobot.signature import is_authentic
from cybervpn.infrastructure.metrics.instruments import PAYMENTS
from cybervpn.presentation.http.billing.schemas import WebhookAck
from cybervpn.presentation.http.billing.use_cases import ReceivePaymentWebhookDep
from cybervpn.presentation.http.dependencies import ContainerDep
from cybervpn.presentation.http.metrics.deliveries import counted_delivery

router = APIRouter(tags=["webhooks"])
# A processed `invoice_paid` credited a payment; a flagged one did not match it.
PAYMENT_OUTCOMES = {
    DeliveryOutcome.PROCESSED: "paid",
    DeliveryOutcome.FLAGGED: "flagged",
}


@router.post("/webhooks/cryptobot", summary="Receive a Crypto Pay update")
async def cryptobot_webhook(
    request: Request,
    c: ContainerDep,
    receive: ReceivePaymentWebhookDep,
    signature: Annotated[
        str | None, Header(alias="crypto-pay-api-signature", max_length=128)
    ] = None,
) -> WebhookAck:
    """Signed by Crypto Pay over the raw body (401 when it is not). 200 with the
    outcome otherwise (`processed`, `duplicate`, `flagged`, `ignored`), so the
    provider stops retrying."""
    body = await request.body()  # the exact bytes Crypto Pay signed
    authentic = is_authentic(c.payments.token, body, signature)
    update, logged = parse_update(body) if authentic else (None, None)
    outcome = await counted_delivery(
        PROVIDER_CRYPTOBOT,
        receive.execute(
            PaymentWebhook(
                authentic=authentic,
                update_type=None if update is None else update.update_type,
                invoice=None if update is None else update.payload.to_domain(),
                payload=logged,
            )
        ),
    )
    if outcome in PAYMENT_OUTCOMES:
        PAYMENTS.labels(PROVIDER_CRYPTOBOT, PAYMENT_OUTCOMES[outcome]).inc()
    return WebhookAck(status=outcome)
