"""Device (HWID) responses, for customers and staff."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, JsonValue

from cybervpn.domain.fleet.device import DeviceStats

DEVICE_EXAMPLE: dict[str, JsonValue] = {
    "hwid": "a1b2c3d4e5f60718",
    "platform": "iOS",
    "os_version": "18.1",
    "device_model": "iPhone15,2",
    "created_at": "2026-11-30T10:02:14Z",
    "updated_at": "2026-11-30T18:40:03Z",
}


class DeviceResponse(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [DEVICE_EXAMPLE]}
    )

    hwid: str
    platform: str | None
    os_version: str | None
    device_model: str | None
    created_at: datetime
    updated_at: datetime


class MyDevicesResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [DEVICE_EXAMPLE], "device_limit": 3}]}
    )

    items: list[DeviceResponse]
    device_limit: int | None  # null: no limit


class StaffDeviceResponse(DeviceResponse):
    vpn_user_id: int
    user_agent: str | None


class PlatformCountResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    platform: str
    count: int


class DeviceStatsResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    by_platform: list[PlatformCountResponse]
    total_devices: int
    unique_devices: int
    average_per_user: float

    @classmethod
    def of(cls, stats: DeviceStats) -> "DeviceStatsResponse":
        return cls.model_validate(stats)
