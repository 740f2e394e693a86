"""Adding a server: a panel node with its config profile and inbounds."""

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.fleet_audit import FleetAudit
from cybervpn.application.fleet.ports import ServerPanel
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.fleet.server import NewServer, Server
from cybervpn.domain.identity.account import Account


class CreateServer:
    def __init__(self, *, panel: ServerPanel, uow: UnitOfWork, clock: Clock) -> None:
        self._panel = panel
        self._uow = uow
        self._audit = FleetAudit(uow, clock)

    async def execute(
        self, *, actor: Account, server: NewServer, origin: AuditOrigin
    ) -> Server:
        created = await self._panel.create_server(server)
        await self._audit.record(
            AuditAction.SERVER_CREATED,
            actor=actor,
            origin=origin,
            entity_type="server",
            entity_id=created.uuid,
            after={"name": created.name, "address": created.address},
        )
        await self._uow.commit()
        return created
