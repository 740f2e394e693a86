"""Bodies for config profiles, inbounds, internal squads and hosts."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from cybervpn.domain.fleet.errors import MAX_SQUAD_MEMBERS_CHANGE
from cybervpn.domain.fleet.routing import SecurityLayer
from cybervpn.presentation.http.bounds import PanelUserId
from cybervpn.presentation.http.fleet.schemas import (
    InboundResponse,
    ServerTag,
)
from cybervpn.presentation.http.request_body import StrictBody

SquadName = Annotated[
    str, Field(min_length=2, max_length=30, pattern=r"^[A-Za-z0-9_\s-]+$")
]
Remark = Annotated[str, Field(min_length=1, max_length=100)]
Address = Annotated[str, Field(min_length=1, max_length=255)]
Port = Annotated[int, Field(ge=1, le=65535)]
HostOption = Annotated[str, Field(max_length=255)]


class ServerRefResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    uuid: UUID
    name: str
    country_code: str


class ConfigProfileResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    uuid: UUID
    name: str
    inbounds: list[InboundResponse]
    servers: list[ServerRefResponse]
    created_at: datetime
    updated_at: datetime


class InboundUsageResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    inbound: InboundResponse
    squad_uuids: list[UUID]


class SquadResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    uuid: UUID
    name: str
    members_count: int
    inbounds: list[InboundResponse]
    created_at: datetime
    updated_at: datetime


class CreateSquadRequest(StrictBody):
    name: SquadName
    inbound_uuids: list[UUID] = Field(default_factory=list, max_length=100)


class UpdateSquadRequest(StrictBody):
    name: SquadName | None = None
    inbound_uuids: list[UUID] | None = Field(default=None, max_length=100)


class SquadMembersRequest(StrictBody):
    user_ids: list[PanelUserId] = Field(
        min_length=1, max_length=MAX_SQUAD_MEMBERS_CHANGE
    )


class HostResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
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
    tags: list[str]


class CreateHostRequest(StrictBody):
    remark: Remark
    address: Address
    port: Port
    config_profile_uuid: UUID
    inbound_uuid: UUID
    sni: HostOption | None = None
    host: HostOption | None = None
    path: HostOption | None = None
    security_layer: SecurityLayer = SecurityLayer.DEFAULT
    is_disabled: bool = False
    is_hidden: bool = False
    tags: list[ServerTag] = Field(default_factory=list, max_length=10)


class UpdateHostRequest(StrictBody):
    """Only the fields sent change; the inbound changes with its config profile."""

    remark: Remark | None = None
    address: Address | None = None
    port: Port | None = None
    config_profile_uuid: UUID | None = None
    inbound_uuid: UUID | None = None
    sni: HostOption | None = None
    host: HostOption | None = None
    path: HostOption | None = None
    security_layer: SecurityLayer | None = None
    is_disabled: bool | None = None
    is_hidden: bool | None = None
    tags: list[ServerTag] | None = Field(default=None, max_length=10)
