"""Receiving a Remnawave panel webhook."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.application.webhooks.ports import LiveFeed
from cybervpn.domain.notifications.notification import (
    Audience,
    Notification,
    Template,
)
from cybervpn.domain.webhooks.delivery import (
    DeliveryOutcome,
    MalformedWebhookError,
    WebhookDelivery,
    WebhookRejectedError,
    redact,
)

PROVIDER = "remnawave"
CUSTOMER_TEMPLATES = {
    "user.expired": Template.VPN_EXPIRED,
    "user.limited": Template.VPN_LIMITED,
    "user.expiration": Template.VPN_EXPIRING,
    "user.bandwidth_usage_threshold_reached": Template.VPN_TRAFFIC_THRESHOLD,
}
STAFF_TEMPLATES = {
    "node.connection_lost": Template.NODE_CONNECTION_LOST,
    "node.connection_restored": Template.NODE_CONNECTION_RESTORED,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelWebhook:
    body: bytes
    authentic: bool  # the HMAC over the raw body matched
    sent_at: datetime | None  # X-Remnawave-Timestamp


class ReceivePanelWebhook:
    """Business rules:
    - an unsigned or wrongly signed delivery, or one whose timestamp is outside the
      freshness window, is logged as rejected and changes nothing;
    - a delivery is processed once: its key is event + timestamp + the user id or
      node uuid, kept under a unique constraint, so replays and concurrent copies
      are logged as duplicates;
    - a customer's VPN user expired, limited, expiring or past a traffic threshold
      notifies the customer (the VPN user's Telegram chat); a node losing or
      regaining its connection alerts staff; every accepted event goes to the live
      monitoring feed after the commit.
    """

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        feed: LiveFeed,
        freshness: timedelta,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._feed = feed
        self._freshness = freshness

    async def execute(self, webhook: PanelWebhook) -> DeliveryOutcome:
        now = self._clock.now()
        if not webhook.authentic:
            await self._reject(now, "bad or missing signature")
        if webhook.sent_at is None or abs(now - webhook.sent_at) > self._freshness:
            await self._reject(now, "timestamp missing or outside the freshness window")
        event = _parse(webhook.body)
        delivery = WebhookDelivery(
            provider=PROVIDER,
            received_at=now,
            outcome=DeliveryOutcome.PROCESSED,
            event=event["event"],
            dedupe_key=_dedupe_key(event),
            payload=redact(event),
        )
        if not await self._uow.webhook_log.record_first(delivery):
            self._uow.webhook_log.add(
                WebhookDelivery(
                    provider=PROVIDER,
                    received_at=now,
                    outcome=DeliveryOutcome.DUPLICATE,
                    event=event["event"],
                )
            )
            await self._uow.commit()
            return DeliveryOutcome.DUPLICATE
        self._notify(event, now)
        await self._uow.commit()
        await self._feed.publish(
            {
                "type": "panel_event",
                "event": event["event"],
                "scope": event["scope"],
                "timestamp": event["timestamp"],
                "data": redact(event["data"]),
            }
        )
        return DeliveryOutcome.PROCESSED

    async def _reject(self, now: datetime, reason: str) -> None:
        self._uow.webhook_log.add(
            WebhookDelivery(
                provider=PROVIDER,
                received_at=now,
                outcome=DeliveryOutcome.REJECTED,
                error=reason,
            )
        )
        await self._uow.commit()
        raise WebhookRejectedError(reason)

    def _notify(self, event: dict[str, Any], now: datetime) -> None:
        name, data = event["event"], event["data"]
        if name in CUSTOMER_TEMPLATES and isinstance(data.get("telegramId"), int):
            meta = event.get("meta") or {}
            enqueue_notification(
                self._uow,
                Notification(
                    audience=Audience.CUSTOMER,
                    chat_id=data["telegramId"],
                    template=CUSTOMER_TEMPLATES[name],
                    payload={
                        "username": data.get("username"),
                        "vpn_user_id": data.get("id"),
                        "hours_left": _hours_left(meta),
                        "percent": data.get("lastTriggeredThreshold"),
                    },
                    created_at=now,
                ),
            )
        elif name in STAFF_TEMPLATES:
            enqueue_notification(
                self._uow,
                Notification(
                    audience=Audience.STAFF,
                    template=STAFF_TEMPLATES[name],
                    payload={
                        "node_name": data.get("name"),
                        "address": data.get("address"),
                        "node_uuid": data.get("uuid"),
                    },
                    created_at=now,
                ),
            )


def _parse(body: bytes) -> dict[str, Any]:
    try:
        event = json.loads(body)
    except ValueError:
        raise MalformedWebhookError from None
    if (
        not isinstance(event, dict)
        or not all(
            isinstance(event.get(k), str) for k in ("scope", "event", "timestamp")
        )
        or not isinstance(event.get("data"), dict)
    ):
        raise MalformedWebhookError
    return event


def _dedupe_key(event: dict[str, Any]) -> str:
    data = event["data"]
    subject = data.get("id") or data.get("uuid") or ""
    if not subject:
        for nested in ("user", "node"):
            if isinstance(data.get(nested), dict):
                subject = data[nested].get("id") or data[nested].get("uuid") or ""
    return f"{event['event']}|{event['timestamp']}|{subject}"[:255]


def _hours_left(meta: dict[str, Any]) -> int | None:
    """The panel's `expiration` is signed hours: -72 means 72 hours left."""
    hours = meta.get("expiration") if isinstance(meta, dict) else None
    return -hours if isinstance(hours, int) and hours < 0 else None
