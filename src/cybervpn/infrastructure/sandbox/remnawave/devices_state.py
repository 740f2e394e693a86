"""The sandbox panel's HWID devices: what each VPN user connected with."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cybervpn.infrastructure.sandbox.remnawave.records import User, fail, iso

DEVICE_EXISTS = (400, "A098", "User HWID device already exists")
HWID = re.compile(r"^[a-zA-Z0-9=-]{10,64}$")


@dataclass
class Device:
    hwid: str
    user_id: int
    created_at: datetime
    updated_at: datetime
    platform: str | None = None
    os_version: str | None = None
    device_model: str | None = None
    user_agent: str | None = None
    request_ip: str | None = None


class DevicesState:
    """Mixed into PanelState, which owns the dictionaries, the clock and events."""

    users: dict[int, User]
    devices: dict[int, list[Device]]  # by user id, oldest first

    def now(self) -> datetime:
        raise NotImplementedError

    def user(self, user_id: int, *, lookup: bool = False) -> User:
        raise NotImplementedError

    def user_json(self, user: User) -> dict[str, Any]:
        raise NotImplementedError

    def emit(self, scope: str, event: str, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def add_device(self, user: User, values: dict[str, Any]) -> list[Device]:
        """As `POST /api/hwid/devices` (staff add a device, whatever the limit),
        and as a client's first subscription fetch with `x-hwid` would."""
        mine = self.devices.setdefault(user.id, [])
        if any(d.hwid == values["hwid"] for d in mine):
            raise fail(DEVICE_EXISTS)
        now = self.now()
        device = Device(user_id=user.id, created_at=now, updated_at=now, **values)
        mine.append(device)
        self._device_event(user, device, "added")
        return mine

    def delete_device(self, user: User, hwid: str) -> list[Device]:
        mine = self.devices.get(user.id, [])
        for device in list(mine):
            if device.hwid == hwid:
                mine.remove(device)
                self._device_event(user, device, "deleted")
        return mine

    def delete_all_devices(self, user: User) -> list[Device]:
        for device in list(self.devices.get(user.id, [])):
            self.delete_device(user, device.hwid)
        return []

    def devices_json(self, devices: list[Device]) -> dict[str, Any]:
        return {"total": len(devices), "devices": [_json(d) for d in devices]}

    def device_stats_json(self) -> dict[str, Any]:
        everything = [d for mine in self.devices.values() for d in mine]
        platforms: dict[str, int] = {}
        for device in everything:
            name = device.platform or "unknown"
            platforms[name] = platforms.get(name, 0) + 1
        owners = sum(1 for mine in self.devices.values() if mine)
        return {
            "byPlatform": [
                {"platform": name, "count": count, "byApp": []}
                for name, count in sorted(platforms.items())
            ],
            "stats": {
                "totalUniqueDevices": len({d.hwid for d in everything}),
                "totalHwidDevices": len(everything),
                "averageHwidDevicesPerUser": (
                    round(len(everything) / owners, 2) if owners else 0
                ),
            },
        }

    def _device_event(self, user: User, device: Device, change: str) -> None:
        self.emit(
            "user_hwid_devices",
            f"user_hwid_devices.{change}",
            {"user": self.user_json(user), "hwidUserDevice": _json(device)},
        )


def _json(device: Device) -> dict[str, Any]:
    return {
        "hwid": device.hwid,
        "userId": device.user_id,
        "platform": device.platform,
        "osVersion": device.os_version,
        "deviceModel": device.device_model,
        "userAgent": device.user_agent,
        "requestIp": device.request_ip,
        "createdAt": iso(device.created_at),
        "updatedAt": iso(device.updated_at),
    }
