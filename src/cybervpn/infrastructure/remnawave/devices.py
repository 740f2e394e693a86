"""A VPN user's HWID devices over the Remnawave API v3 (`/api/hwid/devices`)."""

from collections.abc import Sequence

from cybervpn.domain.fleet.device import Device, DeviceStats, PlatformCount
from cybervpn.domain.fleet.errors import VpnUserNotFoundError
from cybervpn.infrastructure.remnawave.calls import PanelCalls
from cybervpn.infrastructure.remnawave.schemas import (
    PanelDevice,
    PanelDeviceStats,
    PanelUserDevices,
)


class RemnawaveDevices:
    """`DevicePanel`."""

    def __init__(self, calls: PanelCalls) -> None:
        self._calls = calls

    async def list_devices(self, user_id: int) -> Sequence[Device]:
        found = await self._calls.call(
            "GET",
            f"/api/hwid/devices/{user_id}",
            PanelUserDevices,
            not_found=VpnUserNotFoundError,
        )
        return [_device(d) for d in found.devices]

    async def delete_device(self, user_id: int, hwid: str) -> Sequence[Device]:
        left = await self._calls.call(
            "POST",
            "/api/hwid/devices/delete",
            PanelUserDevices,
            json={"userId": user_id, "hwid": hwid},
            not_found=VpnUserNotFoundError,
        )
        return [_device(d) for d in left.devices]

    async def delete_all_devices(self, user_id: int) -> None:
        await self._calls.call(
            "POST",
            "/api/hwid/devices/delete-all",
            PanelUserDevices,
            json={"userId": user_id},
            not_found=VpnUserNotFoundError,
        )

    async def device_stats(self) -> DeviceStats:
        stats = await self._calls.call(
            "GET", "/api/hwid/devices/stats", PanelDeviceStats, not_found=None
        )
        return DeviceStats(
            by_platform=[
                PlatformCount(platform=p.platform, count=p.count)
                for p in stats.by_platform
            ],
            total_devices=stats.stats.total_hwid_devices,
            unique_devices=stats.stats.total_unique_devices,
            average_per_user=stats.stats.average_hwid_devices_per_user,
        )


def _device(device: PanelDevice) -> Device:
    return Device(
        hwid=device.hwid,
        vpn_user_id=device.user_id,
        platform=device.platform,
        os_version=device.os_version,
        device_model=device.device_model,
        user_agent=device.user_agent,
        created_at=device.created_at,
        updated_at=device.updated_at,
    )
