"""A device a VPN user connected with: the panel counts them (HWID) against the
user's device limit, so removing one frees a slot."""

from dataclasses import dataclass
from datetime import datetime

from cybervpn.domain.common.errors import NotFoundError


class DeviceNotFoundError(NotFoundError):
    code = "device_not_found"
    default_message = "Device not found"


@dataclass(frozen=True, slots=True, kw_only=True)
class Device:
    hwid: str
    vpn_user_id: int
    platform: str | None
    os_version: str | None
    device_model: str | None
    user_agent: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class PlatformCount:
    platform: str
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceStats:
    by_platform: list[PlatformCount]
    total_devices: int
    unique_devices: int
    average_per_user: float
