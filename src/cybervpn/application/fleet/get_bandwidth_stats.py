"""The panel's bandwidth figures over the usual periods."""

from cybervpn.application.fleet.ports import PanelStats
from cybervpn.domain.fleet.monitoring import BandwidthStats


class GetBandwidthStats:
    def __init__(self, panel: PanelStats) -> None:
        self._panel = panel

    async def execute(self) -> BandwidthStats:
        return await self._panel.bandwidth_stats()
