"""A summary of all servers: how many, connected, disabled, users online, traffic."""

from cybervpn.application.fleet.ports import ServerPanel
from cybervpn.domain.fleet.server import FleetStats


class GetFleetStats:
    def __init__(self, panel: ServerPanel) -> None:
        self._panel = panel

    async def execute(self) -> FleetStats:
        servers = await self._panel.list_servers()
        return FleetStats(
            total=len(servers),
            connected=sum(1 for s in servers if s.is_connected),
            disabled=sum(1 for s in servers if s.is_disabled),
            users_online=sum(s.users_online for s in servers),
            traffic_used_bytes=sum(s.traffic_used_bytes or 0 for s in servers),
        )
