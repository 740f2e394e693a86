"""`VpnPanel` over the Remnawave HTTP API v3."""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import quote
from uuid import UUID

from pydantic import TypeAdapter

from cybervpn.domain.fleet.errors import (
    PanelUnavailableError,
    ServerNotFoundError,
    SquadNotFoundError,
    VpnUserNotFoundError,
)
from cybervpn.domain.fleet.monitoring import (
    BandwidthPeriod,
    BandwidthStats,
    SystemStats,
)
from cybervpn.domain.fleet.server import (
    NewServer,
    Server,
    ServerAction,
    ServerChanges,
)
from cybervpn.domain.fleet.vpn_user import (
    NewVpnUser,
    SquadRef,
    VpnUser,
    VpnUserAction,
    VpnUserChanges,
    VpnUserFilter,
    VpnUserStatus,
)
from cybervpn.infrastructure.remnawave.routing import PanelRoutingCalls, to_inbound
from cybervpn.infrastructure.remnawave.schemas import (
    PanelBandwidth,
    PanelBandwidthPeriod,
    PanelNode,
    PanelSystemStats,
    PanelUser,
    PanelUserPage,
)

_NODES = TypeAdapter(list[PanelNode])
_USER_MISSING = VpnUserNotFoundError

_USER_FIELDS = {
    "status": "status",
    "expire_at": "expireAt",
    "traffic_limit_bytes": "trafficLimitBytes",
    "traffic_limit_strategy": "trafficLimitStrategy",
    "device_limit": "hwidDeviceLimit",
    "internal_squads": "activeInternalSquads",
    "telegram_id": "telegramId",
    "email": "email",
    "description": "description",
    "tag": "tag",
}
_SERVER_FIELDS = {
    "name": "name",
    "address": "address",
    "port": "port",
    "country_code": "countryCode",
    "traffic_limit_bytes": "trafficLimitBytes",
    "tags": "tags",
}
_USER_ACTION_PATHS = {
    VpnUserAction.ENABLE: "enable",
    VpnUserAction.DISABLE: "disable",
    VpnUserAction.REVOKE: "revoke",
    VpnUserAction.RESET_TRAFFIC: "reset-traffic",
    VpnUserAction.EXTEND: "extend",
}


def _wire(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, tuple | list):
        return [_wire(item) for item in value]
    return value


class RemnawavePanel(PanelRoutingCalls):
    """Users, servers and monitoring here; routing (hosts, squads, profiles) in
    `PanelRoutingCalls`."""

    # --- users -------------------------------------------------------------

    async def list_users(
        self, user_filter: VpnUserFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[VpnUser], int]:
        filters: list[dict[str, object]] = []
        modes: dict[str, str] = {}
        for field, value, mode in (
            ("status", user_filter.status, "equals"),
            ("username", user_filter.username, "contains"),
            ("email", user_filter.email, "contains"),
            ("telegramId", user_filter.telegram_id, "equals"),
        ):
            if value is not None:
                filters.append({"id": field, "value": str(value)})
                modes[field] = mode
        params: dict[str, str | int] = {"start": offset, "size": limit}
        if filters:
            params["filters"] = json.dumps(filters)
            params["filterModes"] = json.dumps(modes)
        page = await self._call(
            "GET", "/api/users", PanelUserPage, params=params, not_found=None
        )
        return [_user(u) for u in page.users], page.total

    async def get_user(self, user_id: int) -> VpnUser:
        return _user(
            await self._call(
                "GET", f"/api/users/{user_id}", PanelUser, not_found=_USER_MISSING
            )
        )

    async def find_user_by_username(self, username: str) -> VpnUser | None:
        try:
            found = await self._call(
                "GET",
                f"/api/users/by-username/{quote(username, safe='')}",
                PanelUser,
                not_found=_USER_MISSING,
            )
        except VpnUserNotFoundError:
            return None
        return _user(found)

    async def create_user(self, user: NewVpnUser) -> VpnUser:
        body = {
            "username": user.username,
            "expireAt": _wire(user.expire_at),
            "trafficLimitBytes": user.traffic_limit_bytes,
            "trafficLimitStrategy": user.traffic_limit_strategy.value,
            "hwidDeviceLimit": user.device_limit,
            "activeInternalSquads": _wire(user.internal_squads),
            "telegramId": user.telegram_id,
            "email": user.email,
            "description": user.description,
            "tag": user.tag,
        }
        created = await self._call(
            "POST",
            "/api/users",
            PanelUser,
            json={k: v for k, v in body.items() if v is not None},
            not_found=SquadNotFoundError,
        )
        return _user(created)

    async def update_user(self, user_id: int, changes: VpnUserChanges) -> VpnUser:
        body: dict[str, object] = {"id": user_id}
        for name, value in changes.values().items():
            body[_USER_FIELDS[name]] = _wire(value)
        return _user(
            await self._call(
                "PATCH", "/api/users", PanelUser, json=body, not_found=_USER_MISSING
            )
        )

    async def delete_user(self, user_id: int) -> None:
        await self._command("DELETE", f"/api/users/{user_id}", not_found=_USER_MISSING)

    async def apply_user_action(
        self, user_id: int, action: VpnUserAction, *, days: int | None = None
    ) -> VpnUser:
        body: dict[str, object] | None = None
        if action is VpnUserAction.EXTEND:
            body = {"days": days}
        elif action is VpnUserAction.REVOKE:
            body = {}
        path = f"/api/users/{user_id}/actions/{_USER_ACTION_PATHS[action]}"
        return _user(
            await self._call(
                "POST", path, PanelUser, json=body, not_found=_USER_MISSING
            )
        )

    async def apply_bulk_user_action(
        self, user_ids: Sequence[int], action: VpnUserAction, *, days: int | None = None
    ) -> None:
        ids = list(user_ids)
        path, body = {
            VpnUserAction.ENABLE: (
                "/api/users/bulk/update",
                {"userIds": ids, "fields": {"status": VpnUserStatus.ACTIVE.value}},
            ),
            VpnUserAction.DISABLE: (
                "/api/users/bulk/update",
                {"userIds": ids, "fields": {"status": VpnUserStatus.DISABLED.value}},
            ),
            VpnUserAction.DELETE: ("/api/users/bulk/delete", {"userIds": ids}),
            VpnUserAction.EXTEND: (
                "/api/users/bulk/extend-expiration-date",
                {"userIds": ids, "extendDays": days},
            ),
            VpnUserAction.RESET_TRAFFIC: (
                "/api/users/bulk/reset-traffic",
                {"userIds": ids},
            ),
            VpnUserAction.REVOKE: (
                "/api/users/bulk/revoke-subscription",
                {"userIds": ids},
            ),
        }[action]
        await self._command("POST", path, json=body, not_found=None)

    # --- servers (panel nodes) ------------------------------------------------

    async def list_servers(self) -> Sequence[Server]:
        nodes = await self._call_list("/api/nodes", _NODES)
        return [_server(node) for node in nodes]

    async def get_server(self, server_uuid: UUID) -> Server:
        node = await self._call(
            "GET", f"/api/nodes/{server_uuid}", PanelNode, not_found=ServerNotFoundError
        )
        return _server(node)

    async def create_server(self, server: NewServer) -> Server:
        body: dict[str, object] = {
            "name": server.name,
            "address": server.address,
            "countryCode": server.country_code,
            "tags": list(server.tags),
            "configProfile": {
                "activeConfigProfileUuid": str(server.config_profile_uuid),
                "activeInbounds": _wire(server.inbound_uuids),
            },
        }
        if server.port is not None:
            body["port"] = server.port
        if server.traffic_limit_bytes is not None:
            body["trafficLimitBytes"] = server.traffic_limit_bytes
        node = await self._call(
            "POST", "/api/nodes", PanelNode, json=body, not_found=None
        )
        return _server(node)

    async def update_server(self, server_uuid: UUID, changes: ServerChanges) -> Server:
        body: dict[str, object] = {"uuid": str(server_uuid)}
        values = changes.values()
        for name, value in values.items():
            if name in _SERVER_FIELDS:
                body[_SERVER_FIELDS[name]] = _wire(value)
        if "config_profile_uuid" in values or "inbound_uuids" in values:
            body["configProfile"] = {
                "activeConfigProfileUuid": _wire(changes.config_profile_uuid),
                "activeInbounds": _wire(changes.inbound_uuids or ()),
            }
        node = await self._call(
            "PATCH", "/api/nodes", PanelNode, json=body, not_found=ServerNotFoundError
        )
        return _server(node)

    async def delete_server(self, server_uuid: UUID) -> None:
        await self._command(
            "DELETE", f"/api/nodes/{server_uuid}", not_found=ServerNotFoundError
        )

    async def apply_server_action(
        self, server_uuid: UUID, action: ServerAction
    ) -> None:
        body = {"forceRestart": False} if action is ServerAction.RESTART else None
        await self._command(
            "POST",
            f"/api/nodes/{server_uuid}/actions/{action.value}",
            json=body,
            not_found=ServerNotFoundError,
        )

    # --- monitoring -----------------------------------------------------------

    async def system_stats(self) -> SystemStats:
        stats = await self._call(
            "GET", "/api/system/stats", PanelSystemStats, not_found=None
        )
        return SystemStats(
            cpu_cores=stats.cpu.cores,
            memory_total=stats.memory.total,
            memory_used=stats.memory.used,
            uptime_seconds=stats.uptime,
            users_by_status=dict(stats.users.status_counts),
            total_users=stats.users.total_users,
            online_now=stats.online_stats.online_now,
            online_last_day=stats.online_stats.last_day,
            nodes_online=stats.nodes.total_online,
            total_traffic_bytes=int(stats.nodes.total_bytes_lifetime or 0),
            measured_at=datetime.fromtimestamp(stats.timestamp / 1000, UTC),
        )

    async def bandwidth_stats(self) -> BandwidthStats:
        stats = await self._call(
            "GET", "/api/system/stats/bandwidth", PanelBandwidth, not_found=None
        )
        return BandwidthStats(
            last_two_days=_period(stats.bandwidth_last_two_days),
            last_seven_days=_period(stats.bandwidth_last_seven_days),
            last_30_days=_period(stats.bandwidth_last30_days),
            calendar_month=_period(stats.bandwidth_calendar_month),
            current_year=_period(stats.bandwidth_current_year),
        )

    async def ping(self) -> None:
        response = await self._transport.send("GET", "/api/system/health")
        if response.status_code != 200:
            raise PanelUnavailableError


def _user(user: PanelUser) -> VpnUser:
    return VpnUser(
        id=user.id,
        short_uuid=user.short_uuid,
        username=user.username,
        status=user.status,
        expire_at=user.expire_at,
        traffic_limit_bytes=user.traffic_limit_bytes,
        traffic_limit_strategy=user.traffic_limit_strategy,
        used_traffic_bytes=user.user_traffic.used_traffic_bytes,
        lifetime_used_traffic_bytes=user.user_traffic.lifetime_used_traffic_bytes,
        online_at=user.user_traffic.online_at,
        device_limit=user.hwid_device_limit,
        telegram_id=user.telegram_id,
        email=user.email,
        description=user.description,
        tag=user.tag,
        internal_squads=tuple(
            SquadRef(uuid=s.uuid, name=s.name) for s in user.active_internal_squads
        ),
        subscription_url=user.subscription_url,
        sub_revoked_at=user.sub_revoked_at,
        last_traffic_reset_at=user.last_traffic_reset_at,
        created_at=user.created_at,
        updated_at=user.updated_at,
    )


def _server(node: PanelNode) -> Server:
    return Server(
        uuid=node.uuid,
        name=node.name,
        address=node.address,
        port=node.port,
        country_code=node.country_code,
        is_connected=node.is_connected,
        is_connecting=node.is_connecting,
        is_disabled=node.is_disabled,
        users_online=node.users_online or 0,
        traffic_used_bytes=node.traffic_used_bytes,
        traffic_limit_bytes=node.traffic_limit_bytes,
        config_profile_uuid=node.config_profile.active_config_profile_uuid,
        inbounds=tuple(to_inbound(i) for i in node.config_profile.active_inbounds),
        xray_version=node.versions.xray if node.versions else None,
        last_status_change=node.last_status_change,
        last_status_message=node.last_status_message,
        tags=tuple(node.tags),
        created_at=node.created_at,
        updated_at=node.updated_at,
    )


def _period(period: PanelBandwidthPeriod) -> BandwidthPeriod:
    return BandwidthPeriod(
        current=period.current, previous=period.previous, difference=period.difference
    )
