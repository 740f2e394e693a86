"""How traffic is routed on the panel: config profiles with their inbounds, the
internal squads that grant inbounds to VPN users, and the hosts that clients connect to.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from cybervpn.domain.common.changes import FieldChanges
from cybervpn.domain.fleet.server import Inbound


class SecurityLayer(StrEnum):
    DEFAULT = "DEFAULT"
    TLS = "TLS"
    NONE = "NONE"


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerRef:
    uuid: UUID
    name: str
    country_code: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigProfile:
    """A panel config profile. Its raw Xray config stays on the panel: it holds
    private keys (Reality) that no API client of ours needs."""

    uuid: UUID
    name: str
    inbounds: tuple[Inbound, ...]
    servers: tuple[ServerRef, ...]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class InboundUsage:
    """An inbound and the squads that grant it."""

    inbound: Inbound
    squad_uuids: tuple[UUID, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Squad:
    uuid: UUID
    name: str
    members_count: int
    inbounds: tuple[Inbound, ...]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class NewSquad:
    name: str
    inbound_uuids: tuple[UUID, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SquadChanges(FieldChanges):
    name: str | None = None
    inbound_uuids: tuple[UUID, ...] | None = None


class SquadMembership(StrEnum):
    ADD = "add"
    REMOVE = "remove"


@dataclass(frozen=True, slots=True, kw_only=True)
class Host:
    """What a subscription hands to clients: an address and port for one inbound."""

    uuid: UUID
    remark: str
    address: str
    port: int
    config_profile_uuid: UUID
    inbound_uuid: UUID
    sni: str | None
    host: str | None
    path: str | None
    security_layer: SecurityLayer
    is_disabled: bool
    is_hidden: bool
    view_position: int
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class NewHost:
    remark: str
    address: str
    port: int
    config_profile_uuid: UUID
    inbound_uuid: UUID
    sni: str | None = None
    host: str | None = None
    path: str | None = None
    security_layer: SecurityLayer = SecurityLayer.DEFAULT
    is_disabled: bool = False
    is_hidden: bool = False
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class HostChanges(FieldChanges):
    remark: str | None = None
    address: str | None = None
    port: int | None = None
    config_profile_uuid: UUID | None = None
    inbound_uuid: UUID | None = None
    sni: str | None = None
    host: str | None = None
    path: str | None = None
    security_layer: SecurityLayer | None = None
    is_disabled: bool | None = None
    is_hidden: bool | None = None
    tags: tuple[str, ...] | None = None
