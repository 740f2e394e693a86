"""Request bodies the sandbox panel accepts, with the contract's validation rules."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

Status = Literal["ACTIVE", "DISABLED", "LIMITED", "EXPIRED"]
Strategy = Literal["NO_RESET", "DAY", "WEEK", "MONTH", "MONTH_ROLLING"]
UserIds = Annotated[
    list[Annotated[int, Field(gt=0)]], Field(min_length=1, max_length=500)
]


NOT_NULLABLE_ON_UPDATE = frozenset(
    {
        "status",
        "traffic_limit_bytes",
        "traffic_limit_strategy",
        "expire_at",
        "active_internal_squads",
    }
)


class Body(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class CreateUser(Body):
    username: str = Field(min_length=3, max_length=36, pattern=r"^[a-zA-Z0-9_-]+$")
    expire_at: datetime
    status: Status | None = None
    short_uuid: str | None = Field(default=None, min_length=16, max_length=64)
    trojan_password: str | None = Field(default=None, min_length=8, max_length=32)
    vless_uuid: UUID | None = None
    ss_password: str | None = Field(default=None, min_length=8, max_length=32)
    traffic_limit_bytes: int | None = Field(default=None, ge=0)
    traffic_limit_strategy: Strategy | None = None
    description: str | None = None
    tag: str | None = Field(default=None, max_length=16, pattern=r"^[A-Z0-9_]+$")
    telegram_id: int | None = None
    email: str | None = None
    hwid_device_limit: int | None = Field(default=None, ge=0)
    active_internal_squads: list[UUID] | None = None


class UpdateUser(Body):
    """Fields may be left out; only description, tag, telegramId, email and
    hwidDeviceLimit may be sent as null (the contract: 400 otherwise)."""

    id: int | None = Field(default=None, gt=0)
    username: str | None = None
    status: Literal["ACTIVE", "DISABLED"] | None = None
    traffic_limit_bytes: int | None = Field(default=None, ge=0)
    traffic_limit_strategy: Strategy | None = None
    expire_at: datetime | None = None
    description: str | None = None
    tag: str | None = Field(default=None, max_length=16, pattern=r"^[A-Z0-9_]+$")
    telegram_id: int | None = None
    email: str | None = None
    hwid_device_limit: int | None = Field(default=None, ge=0)
    active_internal_squads: list[UUID] | None = None

    @model_validator(mode="after")
    def _no_null_for_required_values(self) -> "UpdateUser":
        for name in NOT_NULLABLE_ON_UPDATE & self.model_fields_set:
            if getattr(self, name) is None:
                raise ValueError(f"{to_camel(name)} must not be null")
        return self


class RevokeUser(Body):
    revoke_only_passwords: bool = False
    short_uuid: str | None = Field(default=None, min_length=16, max_length=64)


class ExtendUser(Body):
    days: int = Field(ge=1)


class BulkUsers(Body):
    user_ids: UserIds


class BulkFields(Body):
    status: Literal["ACTIVE", "DISABLED"] | None = None
    traffic_limit_bytes: int | None = Field(default=None, ge=0)
    expire_at: datetime | None = None
    description: str | None = None


class BulkUpdate(Body):
    user_ids: UserIds
    fields: BulkFields


class BulkExtend(Body):
    user_ids: UserIds
    extend_days: int = Field(ge=1, le=9999)


class NodeProfile(Body):
    active_config_profile_uuid: UUID
    active_inbounds: list[UUID]


class CreateNode(Body):
    name: str = Field(min_length=3, max_length=30)
    address: str = Field(min_length=2)
    config_profile: NodeProfile
    port: int | None = Field(default=None, ge=1, le=65535)
    country_code: str = Field(default="XX", min_length=2, max_length=2)
    traffic_limit_bytes: int | None = Field(default=None, ge=0)
    tags: list[str] = Field(default_factory=list, max_length=10)


class UpdateNode(Body):
    uuid: UUID
    name: str | None = Field(default=None, min_length=3, max_length=30)
    address: str | None = Field(default=None, min_length=2)
    config_profile: NodeProfile | None = None
    port: int | None = Field(default=None, ge=1, le=65535)
    country_code: str | None = Field(default=None, min_length=2, max_length=2)
    traffic_limit_bytes: int | None = Field(default=None, ge=0)
    tags: list[str] | None = Field(default=None, max_length=10)


class RestartNode(Body):
    force_restart: bool


class CreateSquad(Body):
    name: str = Field(min_length=2, max_length=30, pattern=r"^[A-Za-z0-9_\s-]+$")
    inbounds: list[UUID]


class UpdateSquad(Body):
    uuid: UUID
    name: str | None = Field(
        default=None, min_length=2, max_length=30, pattern=r"^[A-Za-z0-9_\s-]+$"
    )
    inbounds: list[UUID] | None = None


class SquadMembers(Body):
    user_ids: Annotated[
        list[Annotated[int, Field(gt=0)]], Field(min_length=1, max_length=1000)
    ]


class HostInbound(Body):
    config_profile_uuid: UUID
    config_profile_inbound_uuid: UUID


SecurityLayer = Literal["DEFAULT", "TLS", "NONE"]


class CreateHost(Body):
    inbound: HostInbound
    remark: str = Field(min_length=1, max_length=100)
    address: str = Field(min_length=1)
    port: int = Field(ge=1, le=65535)
    path: str | None = None
    sni: str | None = None
    host: str | None = None
    security_layer: SecurityLayer = "DEFAULT"
    is_disabled: bool = False
    is_hidden: bool = False
    tags: list[str] = Field(default_factory=list, max_length=10)


class UpdateHost(Body):
    uuid: UUID
    inbound: HostInbound | None = None
    remark: str | None = Field(default=None, min_length=1, max_length=100)
    address: str | None = Field(default=None, min_length=1)
    port: int | None = Field(default=None, ge=1, le=65535)
    path: str | None = None
    sni: str | None = None
    host: str | None = None
    security_layer: SecurityLayer | None = None
    is_disabled: bool | None = None
    is_hidden: bool | None = None
    tags: list[str] | None = Field(default=None, max_length=10)


class CreateDevice(Body):
    hwid: str = Field(pattern=r"^[a-zA-Z0-9=-]{10,64}$")
    user_id: int = Field(gt=0)
    platform: str | None = None
    os_version: str | None = None
    device_model: str | None = None
    user_agent: str | None = None
    request_ip: str | None = None


class DeleteDevice(Body):
    user_id: int = Field(gt=0)
    hwid: str = Field(min_length=1)


class DeleteAllDevices(Body):
    user_id: int = Field(gt=0)
