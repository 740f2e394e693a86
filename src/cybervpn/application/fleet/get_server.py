"""One server (panel node)."""

from uuid import UUID

from cybervpn.application.fleet.ports import VpnPanel
from cybervpn.domain.fleet.server import Server


class GetServer:
    def __init__(self, panel: VpnPanel) -> None:
        self._panel = panel

    async def execute(self, server_uuid: UUID) -> Server:
        return await self._panel.get_server(server_uuid)
