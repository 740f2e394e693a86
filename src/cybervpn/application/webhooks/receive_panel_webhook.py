"""Receiving a Remnawave panel webhook."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NoReturn

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.application.webhooks.panel_event import PanelEvent, PanelVpnUserRef
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
    "user_hwid_devices.added": Template.DEVICE_ADDED,
    "user_hwid_devices.deleted": Template.DEVICE_REMOVED,
}
STAFF_TEMPLATES = {
    "node.connection_lost": Template.NODE_CONNECTION_LOST,
    "node.connection_restored": Template.NODE_CONNECTION_RESTORED,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelWebhook:
    authentic: bool  # the HMAC over the raw body matched
    sent_at: datetime | None  # X-Remnawave-Timestamp
    event: PanelEvent | None  # None when the body is not a panel event
    payload: dict[str, Any] | None  # what is logged


class ReceivePanelWebhook:
    """Business rules:
    - an unsigned or wrongly signed delivery, or one whose timestamp is outside the
      freshness window, is logged as rejected and changes nothing;
    - a delivery is processed once: its key is event + timestamp + the user id or
      node uuid, kept under a unique constraint, so replays and concurrent copies
      are logged as duplicates (a device event's key names the device too);
    - a VPN user expired, limited, expiring or past a traffic threshold, or a
      device connected to or removed from it, notifies its customer: the account
      whose subscription it provisions (a VPN user staff made by hand has none);
    - a node losing or regaining its connection alerts staff;
    - every accepted event goes to the live monitoring feed after the commit.
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
        event = webhook.event
        if event is None:
            raise MalformedWebhookError
        delivery = WebhookDelivery(
            provider=PROVIDER,
            received_at=now,
            outcome=DeliveryOutcome.PROCESSED,
            event=event.name,
            dedupe_key=event.dedupe_key,
            payload=redact(webhook.payload or {}),
        )
        if not await self._uow.webhook_log.record_first(delivery):
            self._uow.webhook_log.add(
                WebhookDelivery(
                    provider=PROVIDER,
                    received_at=now,
                    outcome=DeliveryOutcome.DUPLICATE,
                    event=event.name,
                )
            )
            await self._uow.commit()
            return DeliveryOutcome.DUPLICATE
        await self._notify(event, now)
        await self._uow.commit()
        await self._feed.publish(
            {
                "type": "panel_event",
                "event": event.name,
                "scope": event.scope,
                "timestamp": event.timestamp,
                "data": redact(event.data),
            }
        )
        return DeliveryOutcome.PROCESSED

    async def _reject(self, now: datetime, reason: str) -> NoReturn:
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

    async def _notify(self, event: PanelEvent, now: datetime) -> None:
        if event.name in CUSTOMER_TEMPLATES and event.vpn_user is not None:
            await self._notify_customer(
                event, event.vpn_user, CUSTOMER_TEMPLATES[event.name], now
            )
        elif event.name in STAFF_TEMPLATES and event.node is not None:
            enqueue_notification(
                self._uow,
                Notification(
                    audience=Audience.STAFF,
                    template=STAFF_TEMPLATES[event.name],
                    payload={
                        "node_name": event.node.name,
                        "address": event.node.address,
                        "node_uuid": event.node.uuid,
                    },
                    created_at=now,
                ),
            )

    async def _notify_customer(
        self,
        event: PanelEvent,
        vpn_user: PanelVpnUserRef,
        template: Template,
        now: datetime,
    ) -> None:
        account_id = (
            None
            if vpn_user.id is None
            else await self._uow.subscriptions.account_of_vpn_user(vpn_user.id)
        )
        if account_id is None:
            # A VPN user no customer of ours owns: the panel's telegramId was typed
            # in by someone, never proved, so it is not messaged.
            return
        enqueue_notification(
            self._uow,
            Notification(
                audience=Audience.CUSTOMER,
                account_id=account_id,
                template=template,
                payload={
                    "username": vpn_user.username,
                    "vpn_user_id": vpn_user.id,
                    "hours_left": event.hours_left,
                    "percent": event.threshold_percent,
                }
                | _device_payload(event),
                created_at=now,
            ),
        )


def _device_payload(event: PanelEvent) -> dict[str, object]:
    device = event.device
    if device is None:
        return {}
    return {
        "hwid": device.hwid,
        "platform": device.platform,
        "device_model": device.device_model,
    }
