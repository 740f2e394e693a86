"""Provisioning: make the panel's VPN user match the subscription."""

from datetime import datetime
from typing import Any
from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.application.subscriptions.ports import ProvisioningPanel
from cybervpn.domain.fleet.errors import PanelConflictError, VpnUserNotFoundError
from cybervpn.domain.fleet.vpn_user import (
    NewVpnUser,
    VpnUser,
    VpnUserChanges,
    VpnUserStatus,
)
from cybervpn.domain.notifications.notification import (
    Audience,
    Notification,
    Template,
)
from cybervpn.domain.subscriptions.subscription import Subscription, vpn_username

_SYNCED_FIELDS = frozenset(
    {
        "expire_at",
        "traffic_limit_bytes",
        "traffic_limit_strategy",
        "device_limit",
        "internal_squads",
        "telegram_id",
        "status",
    }
)


class ProvisionSubscription:
    """The outbox handler for `subscription.provision`.

    Business rules:
    - the panel gets absolute values from the subscription row (expiry, limits,
      squads), never "add N days", so a retry, a duplicate job or jobs running out
      of order cannot add days twice;
    - the VPN user is enabled while the subscription runs and disabled once
      nothing is left (a refund can take all the time back);
    - the panel user carries the customer's verified Telegram id (none when they
      have not proved one: a typed-in id is never written);
    - the VPN user is found by our stable username when we have no id for it yet
      (a crash after the panel created it), and created again if staff deleted it;
    - a panel outage fails the job, which the outbox retries with backoff; when it
      finally gives up, staff are alerted;
    - when done, the account's paid payments are marked provisioned and the
      customer is told their access is ready or extended.
    """

    def __init__(self, *, panel: ProvisioningPanel, clock: Clock) -> None:
        self._panel = panel
        self._clock = clock

    async def handle(
        self, uow: UnitOfWork, payload: dict[str, Any], *, attempt: int
    ) -> None:
        subscription = await uow.subscriptions.get(UUID(payload["subscription_id"]))
        if subscription is None:
            return
        now = self._clock.now()
        if subscription.provisioned_version >= subscription.version:
            await uow.payments.mark_provisioned(subscription.account_id, now=now)
            return
        first_time = subscription.vpn_user_id is None
        account = await uow.accounts.get(subscription.account_id)
        telegram_id = None if account is None else account.telegram_id
        vpn_user = await self._apply(subscription, telegram_id, now=now)
        await uow.subscriptions.record_provisioned(
            subscription.id,
            version=subscription.version,
            vpn_user_id=vpn_user.id,
            short_uuid=vpn_user.short_uuid,
            subscription_url=vpn_user.subscription_url,
        )
        await uow.payments.mark_provisioned(subscription.account_id, now=now)
        enqueue_notification(
            uow,
            Notification(
                audience=Audience.CUSTOMER,
                account_id=subscription.account_id,
                template=(
                    Template.SUBSCRIPTION_ACTIVATED
                    if first_time
                    else Template.SUBSCRIPTION_EXTENDED
                ),
                payload={
                    "expires_at": _day(vpn_user.expire_at),
                    "subscription_url": vpn_user.subscription_url,
                },
                created_at=now,
            ),
        )

    async def give_up(
        self, uow: UnitOfWork, payload: dict[str, Any], *, error: str, attempts: int
    ) -> None:
        enqueue_notification(
            uow,
            Notification(
                audience=Audience.STAFF,
                template=Template.PROVISIONING_FAILED,
                payload={
                    "subscription_id": payload.get("subscription_id"),
                    "attempts": attempts,
                    "error": error,
                },
                created_at=self._clock.now(),
            ),
        )

    async def _apply(
        self, subscription: Subscription, telegram_id: int | None, *, now: datetime
    ) -> VpnUser:
        limits = subscription.limits
        running = subscription.expires_at > now
        changes = VpnUserChanges(
            fields_set=_SYNCED_FIELDS,
            status=VpnUserStatus.ACTIVE if running else VpnUserStatus.DISABLED,
            telegram_id=telegram_id,
            expire_at=subscription.expires_at,
            traffic_limit_bytes=limits.traffic_limit_bytes,
            traffic_limit_strategy=limits.traffic_limit_strategy,
            device_limit=limits.panel_device_limit,
            internal_squads=limits.squad_uuids,
        )
        if subscription.vpn_user_id is not None:
            try:
                return await self._panel.update_user(subscription.vpn_user_id, changes)
            except VpnUserNotFoundError:
                pass  # deleted in the panel: found by name or created again below
        username = vpn_username(subscription.account_id)
        existing = await self._panel.find_user_by_username(username)
        if existing is not None:
            return await self._panel.update_user(existing.id, changes)
        try:
            return await self._panel.create_user(
                NewVpnUser(
                    username=username,
                    expire_at=subscription.expires_at,
                    traffic_limit_bytes=limits.traffic_limit_bytes,
                    traffic_limit_strategy=limits.traffic_limit_strategy,
                    device_limit=limits.panel_device_limit,
                    internal_squads=limits.squad_uuids,
                    telegram_id=telegram_id,
                    description=f"CyberVPN account {subscription.account_id}",
                )
            )
        except PanelConflictError:
            # Another job created it a moment ago.
            raced = await self._panel.find_user_by_username(username)
            if raced is None:
                raise
            return await self._panel.update_user(raced.id, changes)


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
