"""Deprovisioning: an account that left keeps no VPN user in the panel."""

from typing import Any
from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.application.subscriptions.ports import ProvisioningPanel
from cybervpn.domain.fleet.errors import VpnUserNotFoundError
from cybervpn.domain.notifications.notification import (
    Audience,
    Notification,
    Template,
)
from cybervpn.domain.subscriptions.subscription import vpn_username


class DeprovisionVpnUser:
    """The outbox handler for `subscription.deprovision`.

    Business rules: the VPN user is deleted by its id, and also looked up by our
    stable username (a provisioning that was running when the account left may
    have created it meanwhile); one already gone counts as deleted. A panel outage
    fails the job for the outbox to retry; when it gives up, staff are alerted to
    delete the user by hand."""

    def __init__(self, *, panel: ProvisioningPanel, clock: Clock) -> None:
        self._panel = panel
        self._clock = clock

    async def handle(
        self, uow: UnitOfWork, payload: dict[str, Any], *, attempt: int
    ) -> None:
        vpn_user_id = payload.get("vpn_user_id")
        if isinstance(vpn_user_id, int):
            await self._delete(vpn_user_id)
        found = await self._panel.find_user_by_username(
            vpn_username(UUID(payload["account_id"]))
        )
        if found is not None:
            await self._delete(found.id)

    async def give_up(
        self, uow: UnitOfWork, payload: dict[str, Any], *, error: str, attempts: int
    ) -> None:
        enqueue_notification(
            uow,
            Notification(
                audience=Audience.STAFF,
                template=Template.DEPROVISIONING_FAILED,
                payload={
                    "vpn_user_id": payload.get("vpn_user_id"),
                    "username": vpn_username(UUID(payload["account_id"])),
                    "attempts": attempts,
                    "error": error,
                },
                created_at=self._clock.now(),
            ),
        )

    async def _delete(self, vpn_user_id: int) -> None:
        try:
            await self._panel.delete_user(vpn_user_id)
        except VpnUserNotFoundError:
            return
