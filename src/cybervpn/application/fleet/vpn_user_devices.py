"""Staff look at and free the devices (HWID) of any VPN user."""

from collections.abc import Sequence

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.fleet_audit import FleetAudit
from cybervpn.application.fleet.ports import DevicePanel
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.fleet.device import Device, DeviceNotFoundError, DeviceStats
from cybervpn.domain.identity.account import Account


class ListVpnUserDevices:
    def __init__(self, panel: DevicePanel) -> None:
        self._panel = panel

    async def execute(self, user_id: int) -> Sequence[Device]:
        return await self._panel.list_devices(user_id)


class GetDeviceStats:
    def __init__(self, panel: DevicePanel) -> None:
        self._panel = panel

    async def execute(self) -> DeviceStats:
        return await self._panel.device_stats()


class RemoveVpnUserDevices:
    """Business rules: removing one device names one the user has (404
    `device_not_found` otherwise); removing all of them is always allowed. Each
    removal is audited once the panel made it."""

    def __init__(self, *, panel: DevicePanel, uow: UnitOfWork, clock: Clock) -> None:
        self._panel = panel
        self._uow = uow
        self._audit = FleetAudit(uow, clock)

    async def one(
        self, *, actor: Account, user_id: int, hwid: str, origin: AuditOrigin
    ) -> None:
        devices = await self._panel.list_devices(user_id)
        if all(device.hwid != hwid for device in devices):
            raise DeviceNotFoundError
        await self._panel.delete_device(user_id, hwid)
        await self._record(actor, user_id, origin, [hwid])

    async def all(self, *, actor: Account, user_id: int, origin: AuditOrigin) -> None:
        devices = await self._panel.list_devices(user_id)
        await self._panel.delete_all_devices(user_id)
        await self._record(actor, user_id, origin, [d.hwid for d in devices])

    async def _record(
        self, actor: Account, user_id: int, origin: AuditOrigin, hwids: list[str]
    ) -> None:
        await self._audit.record(
            AuditAction.VPN_USER_DEVICES_REMOVED,
            actor=actor,
            origin=origin,
            entity_type="vpn_user",
            entity_id=user_id,
            after={"hwids": hwids},
        )
        await self._uow.commit()
