"""All servers (panel nodes)."""

from collections.abc import Sequence

from cybervpn.application.fleet.ports import VpnPanel
from cybervpn.domain.fleet.server import Server


class ListServers:
    def __init__(self, panel: VpnPanel) -> None:
        self._panel = panel

    async def execute(self) -> Sequence[Server]:
        return await self._panel.list_servers()
