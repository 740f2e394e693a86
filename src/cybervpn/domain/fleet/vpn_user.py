"""A VPN user: the panel's record of one subscription's access (not an `Account`)."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from cybervpn.domain.common.changes import FieldChanges


class VpnUserStatus(StrEnum):
    ACTIVE = "ACTIVE"
    DISABLED = "DISABLED"
    LIMITED = "LIMITED"  # set by the panel when the traffic limit is reached
    EXPIRED = "EXPIRED"  # set by the panel when expire_at has passed


class TrafficLimitStrategy(StrEnum):
    NO_RESET = "NO_RESET"
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"
    MONTH_ROLLING = "MONTH_ROLLING"


class VpnUserAction(StrEnum):
    """What staff may do to one VPN user (or to many at once)."""

    ENABLE = "enable"
    DISABLE = "disable"
    REVOKE = "revoke"
    RESET_TRAFFIC = "reset-traffic"
    EXTEND = "extend"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class SquadRef:
    uuid: UUID
    name: str


# The panel's device limit that means "any number of devices". A VPN user's None
# means the panel's own global fallback, which staff may have set to one device.
NO_DEVICE_LIMIT = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class VpnUser:
    id: int
    short_uuid: str
    username: str
    status: VpnUserStatus
    expire_at: datetime
    traffic_limit_bytes: int  # 0 = unlimited
    traffic_limit_strategy: TrafficLimitStrategy
    used_traffic_bytes: int
    lifetime_used_traffic_bytes: int
    online_at: datetime | None
    device_limit: int | None  # None = the panel's global fallback; 0 = no limit
    telegram_id: int | None
    email: str | None
    description: str | None
    tag: str | None
    internal_squads: tuple[SquadRef, ...]
    subscription_url: str
    sub_revoked_at: datetime | None
    last_traffic_reset_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class NewVpnUser:
    username: str
    expire_at: datetime
    traffic_limit_bytes: int = 0
    traffic_limit_strategy: TrafficLimitStrategy = TrafficLimitStrategy.NO_RESET
    device_limit: int | None = None
    internal_squads: tuple[UUID, ...] = ()
    telegram_id: int | None = None
    email: str | None = None
    description: str | None = None
    tag: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class VpnUserChanges(FieldChanges):
    """Only the fields present in `fields_set` are changed; None may mean "clear"."""

    status: VpnUserStatus | None = None
    expire_at: datetime | None = None
    traffic_limit_bytes: int | None = None
    traffic_limit_strategy: TrafficLimitStrategy | None = None
    device_limit: int | None = None
    internal_squads: tuple[UUID, ...] | None = None
    telegram_id: int | None = None
    email: str | None = None
    description: str | None = None
    tag: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class VpnUserFilter:
    status: VpnUserStatus | None = None
    username: str | None = None  # contains
    email: str | None = None  # contains
    telegram_id: int | None = None  # equals
