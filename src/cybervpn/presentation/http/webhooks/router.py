"""POST /webhooks/remnawave (the panel calls it) and GET /admin/webhook-log."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Query, Request
from pydantic import BaseModel, ConfigDict

from cybervpn.application.identity.authenticate import Caller
from cybervpn.application.webhooks.receive_panel_webhook import PanelWebhook
from cybervpn.domain.identity.roles import Permission
from cybervpn.domain.webhooks.delivery import DeliveryOutcome, WebhookLogFilter
from cybervpn.infrastructure.remnawave.webhook_events import parse_event
from cybervpn.infrastructure.remnawave.webhook_signature import is_authentic
from cybervpn.presentation.http.dependencies import ContainerDep, PageDep, require
from cybervpn.presentation.http.metrics.deliveries import counted_delivery
from cybervpn.presentation.http.pagination import PageResponse
from cybervpn.presentation.http.webhooks.use_cases import (
    ListWebhookLogDep,
    ReceivePanelWebhookDep,
)

router = APIRouter(tags=["webhooks"])


class WebhookAck(BaseModel):
    status: DeliveryOutcome


class WebhookDeliveryResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    provider: str
    event: str | None
    outcome: DeliveryOutcome
    error: str | None
    payload: dict[str, Any] | None
    received_at: datetime


def _timestamp(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


@router.post("/webhooks/remnawave", summary="Receive a panel event")
async def remnawave_webhook(
    request: Request,
    receive: ReceivePanelWebhookDep,
    container: ContainerDep,
    signature: Annotated[
        str | None, Header(alias="X-Remnawave-Signature", max_length=256)
    ] = None,
    timestamp: Annotated[
        str | None, Header(alias="X-Remnawave-Timestamp", max_length=64)
    ] = None,
) -> WebhookAck:
    """Signed by the panel over the raw body; 401 when the signature or the
    timestamp does not hold, 200 `duplicate` for a delivery already processed."""
    body = await request.body()  # the exact bytes the panel signed
    secret = container.settings.remnawave.webhook_secret
    authentic = is_authentic(
        secret.get_secret_value() if secret else None, body, signature
    )
    event, logged = parse_event(body) if authentic else (None, None)
    outcome = await counted_delivery(
        "remnawave",
        receive.execute(
            PanelWebhook(
                authentic=authentic,
                sent_at=_timestamp(timestamp),
                event=event,
                payload=logged,
            )
        ),
    )
    return WebhookAck(status=outcome)


@router.get("/admin/webhook-log", tags=["jobs"], summary="Read the webhook log")
async def list_webhook_log(
    _caller: Annotated[Caller, require(Permission.OPERATIONS_MANAGE)],
    webhook_log: ListWebhookLogDep,
    page: PageDep,
    provider: Annotated[str | None, Query(max_length=32)] = None,
    event: Annotated[str | None, Query(max_length=96)] = None,
    outcome: DeliveryOutcome | None = None,
) -> PageResponse[WebhookDeliveryResponse]:
    items, total = await webhook_log.execute(
        WebhookLogFilter(provider=provider, event=event, outcome=outcome),
        limit=page.limit,
        offset=page.offset,
    )
    return PageResponse[WebhookDeliveryResponse].of(items, total, page)
