"""The access-limit columns that plans and subscriptions share."""

from typing import Protocol
from uuid import UUID

from cybervpn.domain.catalog.plan import AccessLimits
from cybervpn.domain.fleet.vpn_user import TrafficLimitStrategy


class LimitColumns(Protocol):
    traffic_limit_bytes: int
    traffic_limit_strategy: str
    device_limit: int | None
    squad_uuids: list[str]


def limits_of(row: LimitColumns) -> AccessLimits:
    return AccessLimits(
        traffic_limit_bytes=row.traffic_limit_bytes,
        traffic_limit_strategy=TrafficLimitStrategy(row.traffic_limit_strategy),
        device_limit=row.device_limit,
        squad_uuids=tuple(UUID(s) for s in row.squad_uuids),
    )


def limit_columns(limits: AccessLimits) -> dict[str, object]:
    return {
        "traffic_limit_bytes": limits.traffic_limit_bytes,
        "traffic_limit_strategy": limits.traffic_limit_strategy.value,
        "device_limit": limits.device_limit,
        "squad_uuids": [str(s) for s in limits.squad_uuids],
    }
