"""A server: one panel node that carries VPN traffic, plus our geolocation of it."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from cybervpn.domain.common.changes import FieldChanges
from cybervpn.domain.fleet.geolocation import Geolocation


class ServerAction(StrEnum):
    ENABLE = "enable"
    DISABLE = "disable"
    RESTART = "restart"


@dataclass(frozen=True, slots=True, kw_only=True)
class Inbound:
    uuid: UUID
    profile_uuid: UUID
    tag: str
    type: str
    network: str | None
    security: str | None
    port: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Server:
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
    inbounds: tuple[Inbound, ...]
    xray_version: str | None
    last_status_change: datetime | None
    last_status_message: str | None
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    geolocation: Geolocation | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NewServer:
    name: str
    address: str
    config_profile_uuid: UUID
    inbound_uuids: tuple[UUID, ...]
    port: int | None = None
    country_code: str = "XX"
    traffic_limit_bytes: int | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerChanges(FieldChanges):
    name: str | None = None
    address: str | None = None
    port: int | None = None
    country_code: str | None = None
    traffic_limit_bytes: int | None = None
    tags: tuple[str, ...] | None = None
    config_profile_uuid: UUID | None = None
    inbound_uuids: tuple[UUID, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FleetStats:
    """A summary of the whole fleet, computed from the server list."""

    total: int
    connected: int
    disabled: int
    users_online: int
    traffic_used_bytes: int
