"""Servers (the panel's nodes) over the Remnawave API v3 (`/api/nodes`)."""

from collections.abc import Sequence
from uuid import UUID

from pydantic import TypeAdapter

from cybervpn.domain.fleet.errors import (
    ServerNotFoundError,
)
from cybervpn.domain.fleet.server import (
    NewServer,
    Server,
    ServerAction,
    ServerChanges,
)
from cybervpn.infrastructure.remnawave.calls import PanelCalls, wire
from cybervpn.infrastructure.remnawave.routing import to_inbound
from cybervpn.infrastructure.remnawave.schemas import (
    PanelNode,
)

_NODES = TypeAdapter(list[PanelNode])
_SERVER_FIELDS = {
    "name": "name",
    "address": "address",
    "port": "port",
    "country_code": "countryCode",
    "traffic_limit_bytes": "trafficLimitBytes",
    "tags": "tags",
}


class RemnawaveServers:
    """`ServerPanel`."""

    def __init__(self, calls: PanelCalls) -> None:
        self._calls = calls

    async def list_servers(self) -> Sequence[Server]:
        nodes = await self._calls.call_list("/api/nodes", _NODES)
        return [_server(node) for node in nodes]

    async def get_server(self, server_uuid: UUID) -> Server:
        node = await self._calls.call(
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
                "activeInbounds": wire(server.inbound_uuids),
            },
        }
        if server.port is not None:
            body["port"] = server.port
        if server.traffic_limit_bytes is not None:
            body["trafficLimitBytes"] = server.traffic_limit_bytes
        node = await self._calls.call(
            "POST", "/api/nodes", PanelNode, json=body, not_found=None
        )
        return _server(node)

    async def update_server(self, server_uuid: UUID, changes: ServerChanges) -> Server:
        body: dict[str, object] = {"uuid": str(server_uuid)}
        values = changes.values()
        for name, value in values.items():
            if name in _SERVER_FIELDS:
                body[_SERVER_FIELDS[name]] = wire(value)
        if "config_profile_uuid" in values or "inbound_uuids" in values:
            body["configProfile"] = {
                "activeConfigProfileUuid": wire(changes.config_profile_uuid),
                "activeInbounds": wire(changes.inbound_uuids or ()),
            }
        node = await self._calls.call(
            "PATCH", "/api/nodes", PanelNode, json=body, not_found=ServerNotFoundError
        )
        return _server(node)

    async def delete_server(self, server_uuid: UUID) -> None:
        await self._calls.command(
            "DELETE", f"/api/nodes/{server_uuid}", not_found=ServerNotFoundError
        )

    async def apply_server_action(
        self, server_uuid: UUID, action: ServerAction
    ) -> None:
        body = {"forceRestart": False} if action is ServerAction.RESTART else None
        await self._calls.command(
            "POST",
            f"/api/nodes/{server_uuid}/actions/{action.value}",
            json=body,
            not_found=ServerNotFoundError,
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
