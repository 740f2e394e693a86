"""Removing a server from the panel."""

from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.fleet_audit import FleetAudit
from cybervpn.application.fleet.ports import ServerPanel
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.account import Account


class DeleteServer:
    """The server's geolocation goes with it."""

    def __init__(self, *, panel: ServerPanel, uow: UnitOfWork, clock: Clock) -> None:
        self._panel = panel
        self._uow = uow
        self._audit = FleetAudit(uow, clock)

    async def execute(
        self, *, actor: Account, server_uuid: UUID, origin: AuditOrigin
    ) -> None:
        await self._panel.delete_server(server_uuid)
        await self._uow.server_geolocations.delete(server_uuid)
        await self._audit.record(
            AuditAction.SERVER_DELETED,
            actor=actor,
            origin=origin,
            entity_type="server",
            entity_id=server_uuid,
        )
        await self._uow.commit()
