"""Routing over the Remnawave API v3: config profiles, inbounds, internal squads
and hosts."""

from collections.abc import Sequence
from uuid import UUID

from pydantic import TypeAdapter

from cybervpn.domain.fleet.errors import (
    ConfigProfileNotFoundError,
    HostNotFoundError,
    SquadNotFoundError,
)
from cybervpn.domain.fleet.routing import (
    ConfigProfile,
    Host,
    HostChanges,
    InboundUsage,
    NewHost,
    NewSquad,
    ServerRef,
    Squad,
    SquadChanges,
    SquadMembership,
)
from cybervpn.domain.fleet.server import Inbound
from cybervpn.infrastructure.remnawave.calls import PanelCalls
from cybervpn.infrastructure.remnawave.schemas import (
    PanelConfigProfile,
    PanelConfigProfileList,
    PanelHost,
    PanelInbound,
    PanelInboundList,
    PanelSquad,
    PanelSquadList,
)

_HOSTS = TypeAdapter(list[PanelHost])
_HOST_FIELDS = {
    "remark": "remark",
    "address": "address",
    "port": "port",
    "sni": "sni",
    "host": "host",
    "path": "path",
    "security_layer": "securityLayer",
    "is_disabled": "isDisabled",
    "is_hidden": "isHidden",
    "tags": "tags",
}
_MEMBERSHIP_CALLS = {
    SquadMembership.ADD: ("POST", "add-many-users"),
    SquadMembership.REMOVE: ("DELETE", "remove-many-users"),
}


class RemnawaveRouting:
    """`RoutingPanel`."""

    def __init__(self, calls: PanelCalls) -> None:
        self._calls = calls

    # --- config profiles and inbounds ----------------------------------------

    async def list_config_profiles(self) -> Sequence[ConfigProfile]:
        page = await self._calls.call(
            "GET", "/api/config-profiles", PanelConfigProfileList, not_found=None
        )
        return [_profile(p) for p in page.config_profiles]

    async def get_config_profile(self, profile_uuid: UUID) -> ConfigProfile:
        profile = await self._calls.call(
            "GET",
            f"/api/config-profiles/{profile_uuid}",
            PanelConfigProfile,
            not_found=ConfigProfileNotFoundError,
        )
        return _profile(profile)

    async def list_inbounds(self) -> Sequence[InboundUsage]:
        page = await self._calls.call(
            "GET", "/api/config-profiles/inbounds", PanelInboundList, not_found=None
        )
        return [
            InboundUsage(inbound=to_inbound(i), squad_uuids=tuple(i.active_squads))
            for i in page.inbounds
        ]

    # --- internal squads -----------------------------------------------------

    async def list_squads(self) -> Sequence[Squad]:
        page = await self._calls.call(
            "GET", "/api/internal-squads", PanelSquadList, not_found=None
        )
        return [_squad(s) for s in page.internal_squads]

    async def get_squad(self, squad_uuid: UUID) -> Squad:
        squad = await self._calls.call(
            "GET",
            f"/api/internal-squads/{squad_uuid}",
            PanelSquad,
            not_found=SquadNotFoundError,
        )
        return _squad(squad)

    async def create_squad(self, squad: NewSquad) -> Squad:
        body = {"name": squad.name, "inbounds": [str(i) for i in squad.inbound_uuids]}
        created = await self._calls.call(
            "POST", "/api/internal-squads", PanelSquad, json=body, not_found=None
        )
        return _squad(created)

    async def update_squad(self, squad_uuid: UUID, changes: SquadChanges) -> Squad:
        body: dict[str, object] = {"uuid": str(squad_uuid)}
        if "name" in changes.fields_set:
            body["name"] = changes.name
        if "inbound_uuids" in changes.fields_set:
            body["inbounds"] = [str(i) for i in changes.inbound_uuids or ()]
        updated = await self._calls.call(
            "PATCH",
            "/api/internal-squads",
            PanelSquad,
            json=body,
            not_found=SquadNotFoundError,
        )
        return _squad(updated)

    async def delete_squad(self, squad_uuid: UUID) -> None:
        await self._calls.command(
            "DELETE",
            f"/api/internal-squads/{squad_uuid}",
            not_found=SquadNotFoundError,
        )

    async def change_squad_members(
        self, squad_uuid: UUID, user_ids: Sequence[int], change: SquadMembership
    ) -> None:
        method, action = _MEMBERSHIP_CALLS[change]
        await self._calls.command(
            method,
            f"/api/internal-squads/{squad_uuid}/bulk-actions/{action}",
            json={"userIds": list(user_ids)},
            not_found=SquadNotFoundError,
        )

    # --- hosts ---------------------------------------------------------------

    async def list_hosts(self) -> Sequence[Host]:
        return [_host(h) for h in await self._calls.call_list("/api/hosts", _HOSTS)]

    async def get_host(self, host_uuid: UUID) -> Host:
        host = await self._calls.call(
            "GET", f"/api/hosts/{host_uuid}", PanelHost, not_found=HostNotFoundError
        )
        return _host(host)

    async def create_host(self, host: NewHost) -> Host:
        body: dict[str, object] = {
            "inbound": {
                "configProfileUuid": str(host.config_profile_uuid),
                "configProfileInboundUuid": str(host.inbound_uuid),
            },
            "remark": host.remark,
            "address": host.address,
            "port": host.port,
            "securityLayer": host.security_layer.value,
            "isDisabled": host.is_disabled,
            "isHidden": host.is_hidden,
            "tags": list(host.tags),
        }
        for name in ("sni", "host", "path"):
            if getattr(host, name) is not None:
                body[name] = getattr(host, name)
        created = await self._calls.call(
            "POST",
            "/api/hosts",
            PanelHost,
            json=body,
            not_found=ConfigProfileNotFoundError,
        )
        return _host(created)

    async def update_host(self, host_uuid: UUID, changes: HostChanges) -> Host:
        body: dict[str, object] = {"uuid": str(host_uuid)}
        for name, value in changes.values().items():
            if name in _HOST_FIELDS:
                wire = list(value) if isinstance(value, tuple) else value
                body[_HOST_FIELDS[name]] = wire
        if "inbound_uuid" in changes.fields_set:
            body["inbound"] = {
                "configProfileUuid": str(changes.config_profile_uuid),
                "configProfileInboundUuid": str(changes.inbound_uuid),
            }
        updated = await self._calls.call(
            "PATCH", "/api/hosts", PanelHost, json=body, not_found=HostNotFoundError
        )
        return _host(updated)

    async def delete_host(self, host_uuid: UUID) -> None:
        await self._calls.command(
            "DELETE", f"/api/hosts/{host_uuid}", not_found=HostNotFoundError
        )


def to_inbound(inbound: PanelInbound) -> Inbound:
    return Inbound(
        uuid=inbound.uuid,
        profile_uuid=inbound.profile_uuid,
        tag=inbound.tag,
        type=inbound.type,
        network=inbound.network,
        security=inbound.security,
        port=inbound.port,
    )


def _profile(profile: PanelConfigProfile) -> ConfigProfile:
    return ConfigProfile(
        uuid=profile.uuid,
        name=profile.name,
        inbounds=tuple(to_inbound(i) for i in profile.inbounds),
        servers=tuple(
            ServerRef(uuid=n.uuid, name=n.name, country_code=n.country_code)
            for n in profile.nodes
        ),
        created_at=profile.created_at,
        updated_at=profile.updated_at,
    )


def _squad(squad: PanelSquad) -> Squad:
    return Squad(
        uuid=squad.uuid,
        name=squad.name,
        members_count=squad.info.members_count,
        inbounds=tuple(to_inbound(i) for i in squad.inbounds),
        created_at=squad.created_at,
        updated_at=squad.updated_at,
    )


def _host(host: PanelHost) -> Host:
    return Host(
        uuid=host.uuid,
        remark=host.remark,
        address=host.address,
        port=host.port,
        config_profile_uuid=host.inbound.config_profile_uuid,
        inbound_uuid=host.inbound.config_profile_inbound_uuid,
        sni=host.sni,
        host=host.host,
        path=host.path,
        security_layer=host.security_layer,
        is_disabled=host.is_disabled,
        is_hidden=host.is_hidden,
        view_position=host.view_position,
        tags=tuple(host.tags),
    )
