"""Enable, disable or restart a server."""

from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.fleet_audit import FleetAudit
from cybervpn.application.fleet.ports import ServerPanel
from cybervpn.application.fleet.server_geolocations import with_geolocation
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.fleet.server import Server, ServerAction
from cybervpn.domain.identity.account import Account


class ApplyServerAction:
    """A restart is asynchronous on the panel; the answer is the server as it is."""

    def __init__(self, *, panel: ServerPanel, uow: UnitOfWork, clock: Clock) -> None:
        self._panel = panel
        self._uow = uow
        self._audit = FleetAudit(uow, clock)

    async def execute(
        self,
        *,
        actor: Account,
        server_uuid: UUID,
        action: ServerAction,
        origin: AuditOrigin,
    ) -> Server:
        await self._panel.apply_server_action(server_uuid, action)
        await self._audit.record(
            AuditAction.SERVER_ACTION,
            actor=actor,
            origin=origin,
            entity_type="server",
            entity_id=server_uuid,
            after={"action": action},
        )
        await self._uow.commit()
        server = await self._panel.get_server(server_uuid)
        return await with_geolocation(server, self._uow.server_geolocations)
