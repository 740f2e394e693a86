"""Changing a server's name, address, limits, tags or config profile."""

from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.fleet_audit import FleetAudit
from cybervpn.application.fleet.ports import ServerPanel
from cybervpn.application.fleet.server_geolocations import with_geolocation
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.fleet.errors import IncompleteProfileChangeError
from cybervpn.domain.fleet.server import Server, ServerChanges
from cybervpn.domain.identity.account import Account


class UpdateServer:
    """A config profile is changed together with its inbounds, never alone."""

    def __init__(self, *, panel: ServerPanel, uow: UnitOfWork, clock: Clock) -> None:
        self._panel = panel
        self._uow = uow
        self._audit = FleetAudit(uow, clock)

    async def execute(
        self,
        *,
        actor: Account,
        server_uuid: UUID,
        changes: ServerChanges,
        origin: AuditOrigin,
    ) -> Server:
        profile_fields = {"config_profile_uuid", "inbound_uuids"} & changes.fields_set
        if profile_fields and (
            len(profile_fields) == 1 or changes.config_profile_uuid is None
        ):
            raise IncompleteProfileChangeError
        if not changes.fields_set:
            server = await self._panel.get_server(server_uuid)
            return await with_geolocation(server, self._uow.server_geolocations)
        updated = await self._panel.update_server(server_uuid, changes)
        await self._audit.record(
            AuditAction.SERVER_UPDATED,
            actor=actor,
            origin=origin,
            entity_type="server",
            entity_id=server_uuid,
            after=changes.values(),
        )
        await self._uow.commit()
        return await with_geolocation(updated, self._uow.server_geolocations)
