"""One server (panel node), with our geolocation of it."""

from uuid import UUID

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.ports import ServerPanel
from cybervpn.application.fleet.server_geolocations import with_geolocation
from cybervpn.domain.fleet.server import Server


class GetServer:
    def __init__(self, *, panel: ServerPanel, uow: UnitOfWork) -> None:
        self._panel = panel
        self._uow = uow

    async def execute(self, server_uuid: UUID) -> Server:
        server = await self._panel.get_server(server_uuid)
        return await with_geolocation(server, self._uow.server_geolocations)
