"""Reading the panel's routing: config profiles, inbounds, internal squads, hosts."""

from collections.abc import Sequence
from uuid import UUID

from cybervpn.application.fleet.ports import RoutingPanel
from cybervpn.domain.fleet.routing import ConfigProfile, Host, InboundUsage, Squad


class RoutingCatalog:
    def __init__(self, panel: RoutingPanel) -> None:
        self._panel = panel

    async def config_profiles(self) -> Sequence[ConfigProfile]:
        return await self._panel.list_config_profiles()

    async def config_profile(self, profile_uuid: UUID) -> ConfigProfile:
        return await self._panel.get_config_profile(profile_uuid)

    async def inbounds(self) -> Sequence[InboundUsage]:
        return await self._panel.list_inbounds()

    async def squads(self) -> Sequence[Squad]:
        return await self._panel.list_squads()

    async def squad(self, squad_uuid: UUID) -> Squad:
        return await self._panel.get_squad(squad_uuid)

    async def hosts(self) -> Sequence[Host]:
        return await self._panel.list_hosts()

    async def host(self, host_uuid: UUID) -> Host:
        return await self._panel.get_host(host_uuid)
