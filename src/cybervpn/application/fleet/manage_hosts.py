"""Creating, changing and deleting hosts: the addresses subscriptions hand out."""

from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.fleet_audit import FleetAudit
from cybervpn.application.fleet.ports import RoutingPanel
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.fleet.errors import IncompleteInboundChangeError
from cybervpn.domain.fleet.routing import Host, HostChanges, NewHost
from cybervpn.domain.identity.account import Account


class ManageHosts:
    """A host's inbound belongs to one config profile, so the two change together."""

    def __init__(self, *, panel: RoutingPanel, uow: UnitOfWork, clock: Clock) -> None:
        self._panel = panel
        self._uow = uow
        self._audit = FleetAudit(uow, clock)

    async def create(
        self, *, actor: Account, host: NewHost, origin: AuditOrigin
    ) -> Host:
        created = await self._panel.create_host(host)
        await self._audit.record(
            AuditAction.HOST_CREATED,
            actor=actor,
            origin=origin,
            entity_type="host",
            entity_id=created.uuid,
            after={"remark": created.remark, "address": created.address},
        )
        await self._uow.commit()
        return created

    async def update(
        self,
        *,
        actor: Account,
        host_uuid: UUID,
        changes: HostChanges,
        origin: AuditOrigin,
    ) -> Host:
        inbound_fields = {"config_profile_uuid", "inbound_uuid"} & changes.fields_set
        if inbound_fields and (
            len(inbound_fields) == 1
            or changes.config_profile_uuid is None
            or changes.inbound_uuid is None
        ):
            raise IncompleteInboundChangeError
        if not changes.fields_set:
            return await self._panel.get_host(host_uuid)
        updated = await self._panel.update_host(host_uuid, changes)
        await self._audit.record(
            AuditAction.HOST_UPDATED,
            actor=actor,
            origin=origin,
            entity_type="host",
            entity_id=host_uuid,
            after=changes.values(),
        )
        await self._uow.commit()
        return updated

    async def delete(
        self, *, actor: Account, host_uuid: UUID, origin: AuditOrigin
    ) -> None:
        await self._panel.delete_host(host_uuid)
        await self._audit.record(
            AuditAction.HOST_DELETED,
            actor=actor,
            origin=origin,
            entity_type="host",
            entity_id=host_uuid,
        )
        await self._uow.commit()
