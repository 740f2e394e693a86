"""All servers (panel nodes), with our geolocation of each."""

from collections.abc import Sequence

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.ports import ServerPanel
from cybervpn.application.fleet.server_geolocations import with_geolocations
from cybervpn.domain.fleet.server import Server


class ListServers:
    def __init__(self, *, panel: ServerPanel, uow: UnitOfWork) -> None:
        self._panel = panel
        self._uow = uow

    async def execute(self) -> Sequence[Server]:
        servers = await self._panel.list_servers()
        return await with_geolocations(servers, self._uow.server_geolocations)
