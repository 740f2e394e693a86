"""POST /webhooks/telegram: Telegram's updates (Stars pre-checkout queries and
payments), from Telegram itself or forwarded unchanged by the bot."""

from typing import Annotated

from fastapi import APIRouter, Header, Request

from cybervpn.application.billing.telegram_updates import TELEGRAM
from cybervpn.domain.billing.payment import PROVIDER_TELEGRAM_STARS
from cybervpn.infrastructure.metrics.instruments import PAYMENTS
from cybervpn.infrastructure.telegram.updates import (
    SECRET_HEADER,
    is_authentic,
    parse_update,
)
from cybervpn.presentation.http.billing.schemas import WebhookAck
from cybervpn.presentation.http.billing.use_cases import ReceiveTelegramUpdateDep
from cybervpn.presentation.http.billing.webhook_router import PAYMENT_OUTCOMES
from cybervpn.presentation.http.dependencies import ContainerDep
from cybervpn.presentation.http.metrics.deliveries import counted_delivery

router = APIRouter(tags=["webhooks"])


@router.post("/webhooks/telegram", summary="Receive a Telegram update")
async def telegram_webhook(
    request: Request,
    c: ContainerDep,
    receive: ReceiveTelegramUpdateDep,
    secret_token: Annotated[
        str | None, Header(alias=SECRET_HEADER, max_length=256)
    ] = None,
) -> WebhookAck:
    """Must carry `TELEGRAM_WEBHOOK_SECRET` in `X-Telegram-Bot-Api-Secret-Token`
    (401 otherwise). A pre-checkout query is answered to Telegram before this
    answers. 200 with the outcome (`processed`, `duplicate`, `flagged`,
    `ignored`), so Telegram stops retrying."""
    expected = c.settings.telegram.webhook_secret
    authentic = is_authentic(
        None if expected is None else expected.get_secret_value(), secret_token
    )
    update = parse_update(await request.body()) if authentic else None
    outcome = await counted_delivery(
        TELEGRAM, receive.execute(update, authentic=authentic)
    )
    if update is not None and update.paid is not None and outcome in PAYMENT_OUTCOMES:
        PAYMENTS.labels(PROVIDER_TELEGRAM_STARS, PAYMENT_OUTCOMES[outcome]).inc()
    return WebhookAck(status=outcome)
