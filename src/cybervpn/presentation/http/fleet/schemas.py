"""Fleet request and response bodies (our API speaks snake_case)."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

import pycountry
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
)

from cybervpn.domain.fleet.vpn_user import TrafficLimitStrategy, VpnUserStatus
from cybervpn.presentation.http.bounds import PanelUserId, TelegramId
from cybervpn.presentation.http.pagination import PageResponse
from cybervpn.presentation.http.request_body import StrictBody

Username = Annotated[
    str, Field(min_length=3, max_length=36, pattern=r"^[a-zA-Z0-9_-]+$")
]
Tag = Annotated[str, Field(max_length=16, pattern=r"^[A-Z0-9_]+$")]
Description = Annotated[str, Field(max_length=500)]
CountryCode = Annotated[str, Field(min_length=2, max_length=2, pattern=r"^[A-Z]{2}$")]


def _assigned(code: str) -> str:
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError("not an assigned ISO 3166-1 alpha-2 country code")
    return code


AssignedCountryCode = Annotated[CountryCode, AfterValidator(_assigned)]
ServerTag = Annotated[str, Field(max_length=36, pattern=r"^[A-Z0-9_:]+$")]


class SquadRefResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    uuid: UUID
    name: str


class VpnUserResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    short_uuid: str
    username: str
    status: VpnUserStatus
    expire_at: datetime
    traffic_limit_bytes: int
    traffic_limit_strategy: TrafficLimitStrategy
    used_traffic_bytes: int
    lifetime_used_traffic_bytes: int
    online_at: datetime | None
    device_limit: int | None
    telegram_id: int | None
    email: str | None
    description: str | None
    tag: str | None
    internal_squads: list[SquadRefResponse]
    subscription_url: str
    sub_revoked_at: datetime | None
    last_traffic_reset_at: datetime | None
    created_at: datetime
    updated_at: datetime


VpnUserPage = PageResponse[VpnUserResponse]


class CreateVpnUserRequest(StrictBody):
    username: Username
    expire_at: AwareDatetime
    traffic_limit_bytes: int = Field(default=0, ge=0, le=2**63 - 1)
    traffic_limit_strategy: TrafficLimitStrategy = TrafficLimitStrategy.NO_RESET
    device_limit: int | None = Field(default=None, ge=0, le=1000)
    internal_squads: list[UUID] = Field(default_factory=list, max_length=50)
    telegram_id: TelegramId | None = None
    email: EmailStr | None = None
    description: Description | None = None
    tag: Tag | None = None


class UpdateVpnUserRequest(StrictBody):
    """Only the fields sent change; `null` clears the optional ones."""

    status: VpnUserStatus | None = None
    expire_at: AwareDatetime | None = None
    traffic_limit_bytes: int | None = Field(default=None, ge=0, le=2**63 - 1)
    traffic_limit_strategy: TrafficLimitStrategy | None = None
    device_limit: int | None = Field(default=None, ge=0, le=1000)
    internal_squads: list[UUID] | None = Field(default=None, max_length=50)
    telegram_id: TelegramId | None = None
    email: EmailStr | None = None
    description: Description | None = None
    tag: Tag | None = None


class ExtendRequest(StrictBody):
    days: int = Field(ge=1, le=3650)


class BulkRequest(StrictBody):
    ids: list[PanelUserId] = Field(min_length=1, max_length=500)
    days: int | None = Field(default=None, ge=1, le=3650)


class BulkResponse(BaseModel):
    action: str
    count: int


class InboundResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    uuid: UUID
    profile_uuid: UUID
    tag: str
    type: str
    network: str | None
    security: str | None
    port: int | None


class GeolocationBody(StrictBody):
    model_config = ConfigDict(from_attributes=True, extra="forbid")

    country_code: AssignedCountryCode
    city: str | None = Field(default=None, min_length=1, max_length=100)
    latitude: float = Field(ge=-90, le=90, allow_inf_nan=False)
    longitude: float = Field(ge=-180, le=180, allow_inf_nan=False)


class ServerResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    uuid: UUID
    name: str
    address: str
    port: int | None
    country_code: str
    is_connected: bool
    is_connecting: bool
    is_disabled: bool
    users_online: int
    traffic_used_bytes: int | None
    traffic_limit_bytes: int | None
    config_profile_uuid: UUID | None
    inbounds: list[InboundResponse]
    xray_version: str | None
    last_status_change: datetime | None
    last_status_message: str | None
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    geolocation: GeolocationBody | None


class CreateServerRequest(StrictBody):
    name: str = Field(min_length=3, max_length=30)
    address: str = Field(min_length=2, max_length=255)
    port: int | None = Field(default=None, ge=1, le=65535)
    country_code: CountryCode = "XX"
    traffic_limit_bytes: int | None = Field(default=None, ge=0, le=2**63 - 1)
    tags: list[ServerTag] = Field(default_factory=list, max_length=10)
    config_profile_uuid: UUID
    inbound_uuids: list[UUID] = Field(min_length=1, max_length=100)


class UpdateServerRequest(StrictBody):
    name: str | None = Field(default=None, min_length=3, max_length=30)
    address: str | None = Field(default=None, min_length=2, max_length=255)
    port: int | None = Field(default=None, ge=1, le=65535)
    country_code: CountryCode | None = None
    traffic_limit_bytes: int | None = Field(default=None, ge=0, le=2**63 - 1)
    tags: list[ServerTag] | None = Field(default=None, max_length=10)
    config_profile_uuid: UUID | None = None
    inbound_uuids: list[UUID] | None = Field(default=None, min_length=1, max_length=100)


class FleetStatsResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    total: int
    connected: int
    disabled: int
    users_online: int
    traffic_used_bytes: int


class SystemStatsResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    cpu_cores: int
    memory_total: int
    memory_used: int
    uptime_seconds: float
    users_by_status: dict[str, int]
    total_users: int
    online_now: int
    online_last_day: int
    nodes_online: int
    total_traffic_bytes: int
    measured_at: datetime


class BandwidthPeriodResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    current: str
    previous: str
    difference: str


class BandwidthStatsResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    last_two_days: BandwidthPeriodResponse
    last_seven_days: BandwidthPeriodResponse
    last_30_days: BandwidthPeriodResponse
    calendar_month: BandwidthPeriodResponse
    current_year: BandwidthPeriodResponse
