"""Servers with our geolocation merged in, and staff setting a server's location."""

from collections.abc import Sequence
from dataclasses import replace
from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.fleet_audit import FleetAudit
from cybervpn.application.fleet.ports import ServerPanel
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.fleet.geolocation import (
    Geolocation,
    ServerGeolocation,
    ServerGeolocationRepository,
)
from cybervpn.domain.fleet.server import Server
from cybervpn.domain.identity.account import Account


async def with_geolocations(
    servers: Sequence[Server], repository: ServerGeolocationRepository
) -> list[Server]:
    found = await repository.get_many([s.uuid for s in servers])
    return [
        replace(s, geolocation=found[s.uuid].location) if s.uuid in found else s
        for s in servers
    ]


async def with_geolocation(
    server: Server, repository: ServerGeolocationRepository
) -> Server:
    return (await with_geolocations([server], repository))[0]


class SetServerGeolocation:
    """Only a server that exists on the panel gets a location; setting it again
    replaces it."""

    def __init__(self, *, panel: ServerPanel, uow: UnitOfWork, clock: Clock) -> None:
        self._panel = panel
        self._uow = uow
        self._clock = clock
        self._audit = FleetAudit(uow, clock)

    async def execute(
        self,
        *,
        actor: Account,
        server_uuid: UUID,
        location: Geolocation,
        origin: AuditOrigin,
    ) -> Server:
        server = await self._panel.get_server(server_uuid)
        await self._uow.server_geolocations.save(
            ServerGeolocation(
                server_uuid=server_uuid, location=location, updated_at=self._clock.now()
            )
        )
        await self._audit.record(
            AuditAction.SERVER_GEOLOCATION_SET,
            actor=actor,
            origin=origin,
            entity_type="server",
            entity_id=server_uuid,
            after={"location": location},
        )
        await self._uow.commit()
        return replace(server, geolocation=location)
