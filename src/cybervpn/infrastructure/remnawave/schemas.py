"""The panel's JSON, as far as we use it (camelCase on the wire, unknown keys ignored).

Shared by the client and the sandbox panel, so both speak the same contract.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from cybervpn.domain.fleet.routing import SecurityLayer
from cybervpn.domain.fleet.vpn_user import TrafficLimitStrategy, VpnUserStatus


class PanelModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore"
    )


class SquadRefOut(PanelModel):
    uuid: UUID
    name: str


class UserTraffic(PanelModel):
    used_traffic_bytes: int = 0
    lifetime_used_traffic_bytes: int = 0
    online_at: datetime | None = None
    first_connected_at: datetime | None = None
    last_connected_node_uuid: UUID | None = None


class PanelUser(PanelModel):
    id: int
    short_uuid: str
    username: str
    status: VpnUserStatus
    traffic_limit_bytes: int
    traffic_limit_strategy: TrafficLimitStrategy
    expire_at: datetime
    telegram_id: int | None = None
    email: str | None = None
    description: str | None = None
    tag: str | None = None
    hwid_device_limit: int | None = None
    external_squad_uuid: UUID | None = None
    trojan_password: str
    vless_uuid: UUID
    ss_password: str
    last_triggered_threshold: int = 0
    sub_revoked_at: datetime | None = None
    last_traffic_reset_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    subscription_url: str
    active_internal_squads: list[SquadRefOut] = Field(default_factory=list)
    user_traffic: UserTraffic = Field(default_factory=UserTraffic)


class PanelUserPage(PanelModel):
    users: list[PanelUser]
    total: int


class PanelInbound(PanelModel):
    uuid: UUID
    profile_uuid: UUID
    tag: str
    type: str
    network: str | None = None
    security: str | None = None
    port: int | None = None
    raw_inbound: Any = None


class NodeConfigProfile(PanelModel):
    active_config_profile_uuid: UUID | None = None
    active_inbounds: list[PanelInbound] = Field(default_factory=list)


class NodeVersions(PanelModel):
    xray: str | None = None
    node: str | None = None


class PanelNode(PanelModel):
    uuid: UUID
    id: int | None = None
    name: str
    address: str
    port: int | None = None
    is_connected: bool
    is_disabled: bool
    is_connecting: bool
    last_status_change: datetime | None = None
    last_status_message: str | None = None
    traffic_limit_bytes: int | None = None
    traffic_used_bytes: int | None = None
    country_code: str = "XX"
    users_online: int | None = 0
    tags: list[str] = Field(default_factory=list)
    versions: NodeVersions | None = None
    config_profile: NodeConfigProfile = Field(default_factory=NodeConfigProfile)
    created_at: datetime
    updated_at: datetime


class SystemUsers(PanelModel):
    status_counts: dict[str, int]
    total_users: int


class OnlineStats(PanelModel):
    last_day: int
    last_week: int
    never_online: int
    online_now: int


class SystemNodes(PanelModel):
    total_online: int
    total_bytes_lifetime: str


class SystemCpu(PanelModel):
    cores: int


class SystemMemory(PanelModel):
    total: int
    free: int
    used: int


class PanelSystemStats(PanelModel):
    cpu: SystemCpu
    memory: SystemMemory
    uptime: float
    timestamp: int
    users: SystemUsers
    online_stats: OnlineStats
    nodes: SystemNodes


class PanelBandwidthPeriod(PanelModel):
    current: str
    previous: str
    difference: str


class PanelBandwidth(PanelModel):
    bandwidth_last_two_days: PanelBandwidthPeriod
    bandwidth_last_seven_days: PanelBandwidthPeriod
    bandwidth_last30_days: PanelBandwidthPeriod = Field(alias="bandwidthLast30Days")
    bandwidth_calendar_month: PanelBandwidthPeriod
    bandwidth_current_year: PanelBandwidthPeriod


class PanelInboundUsage(PanelInbound):
    active_squads: list[UUID] = Field(default_factory=list)


class PanelInboundList(PanelModel):
    total: int
    inbounds: list[PanelInboundUsage]


class ProfileNode(PanelModel):
    uuid: UUID
    name: str
    country_code: str = "XX"


class PanelConfigProfile(PanelModel):
    uuid: UUID
    name: str
    inbounds: list[PanelInbound] = Field(default_factory=list)
    nodes: list[ProfileNode] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime


class PanelConfigProfileList(PanelModel):
    total: int
    config_profiles: list[PanelConfigProfile]


class SquadInfo(PanelModel):
    members_count: int
    inbounds_count: int


class PanelSquad(PanelModel):
    uuid: UUID
    name: str
    info: SquadInfo
    inbounds: list[PanelInbound] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime


class PanelSquadList(PanelModel):
    total: int
    internal_squads: list[PanelSquad]


class HostInbound(PanelModel):
    config_profile_uuid: UUID
    config_profile_inbound_uuid: UUID


class PanelHost(PanelModel):
    uuid: UUID
    view_position: int = 0
    remark: str
    address: str
    port: int
    inbound: HostInbound
    path: str | None = None
    sni: str | None = None
    host: str | None = None
    security_layer: SecurityLayer = SecurityLayer.DEFAULT
    is_disabled: bool = False
    is_hidden: bool = False
    tags: list[str] = Field(default_factory=list)


class PanelDevice(PanelModel):
    hwid: str
    user_id: int
    platform: str | None = None
    os_version: str | None = None
    device_model: str | None = None
    user_agent: str | None = None
    request_ip: str | None = None
    created_at: datetime
    updated_at: datetime


class PanelUserDevices(PanelModel):
    total: int
    devices: list[PanelDevice]


class PanelDevicePlatform(PanelModel):
    platform: str
    count: int


class PanelDeviceTotals(PanelModel):
    total_unique_devices: int
    total_hwid_devices: int
    average_hwid_devices_per_user: float


class PanelDeviceStats(PanelModel):
    by_platform: list[PanelDevicePlatform]
    stats: PanelDeviceTotals
