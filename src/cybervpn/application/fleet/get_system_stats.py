"""The panel's system figures (users by status, online, nodes, memory)."""

from cybervpn.application.fleet.ports import PanelStats
from cybervpn.domain.fleet.monitoring import SystemStats


class GetSystemStats:
    def __init__(self, panel: PanelStats) -> None:
        self._panel = panel

    async def execute(self) -> SystemStats:
        return await self._panel.system_stats()
