"""A customer's devices: the slots of their device limit, and freeing one."""

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.ports import DevicePanel
from cybervpn.application.subscriptions.live_access import (
    live_subscription,
    vpn_user_of,
)
from cybervpn.domain.fleet.device import Device, DeviceNotFoundError


@dataclass(frozen=True, slots=True)
class MyDevices:
    items: Sequence[Device]
    device_limit: int | None  # None: no limit


class ListMyDevices:
    """Business rules: only live access has devices to show (404 without access,
    402 once it expired); access not yet set up in the panel has none yet."""

    def __init__(self, *, uow: UnitOfWork, panel: DevicePanel, clock: Clock) -> None:
        self._uow = uow
        self._panel = panel
        self._clock = clock

    async def execute(self, account_id: UUID) -> MyDevices:
        subscription = await live_subscription(self._uow, self._clock, account_id)
        limit = subscription.limits.device_limit
        if subscription.vpn_user_id is None:
            return MyDevices(items=[], device_limit=limit)
        devices = await self._panel.list_devices(subscription.vpn_user_id)
        return MyDevices(items=devices, device_limit=limit)


class RemoveMyDevice:
    """Business rules: a customer frees a slot of their own live access only; a
    device that is not theirs is 404 `device_not_found`, whoever it belongs to."""

    def __init__(self, *, uow: UnitOfWork, panel: DevicePanel, clock: Clock) -> None:
        self._uow = uow
        self._panel = panel
        self._clock = clock

    async def execute(self, account_id: UUID, hwid: str) -> None:
        subscription = await live_subscription(self._uow, self._clock, account_id)
        vpn_user_id = vpn_user_of(subscription)
        devices = await self._panel.list_devices(vpn_user_id)
        if all(device.hwid != hwid for device in devices):
            raise DeviceNotFoundError
        await self._panel.delete_device(vpn_user_id, hwid)
