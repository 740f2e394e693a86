"""Creating, changing and deleting internal squads, and changing who is in them."""

from collections.abc import Sequence
from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.fleet_audit import FleetAudit
from cybervpn.application.fleet.ports import RoutingPanel
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.fleet.errors import (
    MAX_SQUAD_MEMBERS_CHANGE,
    SquadMembersSizeError,
)
from cybervpn.domain.fleet.routing import (
    NewSquad,
    Squad,
    SquadChanges,
    SquadMembership,
)
from cybervpn.domain.identity.account import Account

_MEMBERSHIP_AUDIT = {
    SquadMembership.ADD: AuditAction.SQUAD_MEMBERS_ADDED,
    SquadMembership.REMOVE: AuditAction.SQUAD_MEMBERS_REMOVED,
}


class ManageSquads:
    """A squad grants its inbounds to its members. Membership changes are applied by
    the panel in the background, so the answer is the squad as it is at that moment.
    """

    def __init__(self, *, panel: RoutingPanel, uow: UnitOfWork, clock: Clock) -> None:
        self._panel = panel
        self._uow = uow
        self._audit = FleetAudit(uow, clock)

    async def create(
        self, *, actor: Account, squad: NewSquad, origin: AuditOrigin
    ) -> Squad:
        created = await self._panel.create_squad(squad)
        await self._audit.record(
            AuditAction.SQUAD_CREATED,
            actor=actor,
            origin=origin,
            entity_type="squad",
            entity_id=created.uuid,
            after={"name": created.name, "inbound_uuids": squad.inbound_uuids},
        )
        await self._uow.commit()
        return created

    async def update(
        self,
        *,
        actor: Account,
        squad_uuid: UUID,
        changes: SquadChanges,
        origin: AuditOrigin,
    ) -> Squad:
        if not changes.fields_set:
            return await self._panel.get_squad(squad_uuid)
        updated = await self._panel.update_squad(squad_uuid, changes)
        await self._audit.record(
            AuditAction.SQUAD_UPDATED,
            actor=actor,
            origin=origin,
            entity_type="squad",
            entity_id=squad_uuid,
            after=changes.values(),
        )
        await self._uow.commit()
        return updated

    async def delete(
        self, *, actor: Account, squad_uuid: UUID, origin: AuditOrigin
    ) -> None:
        await self._panel.delete_squad(squad_uuid)
        await self._audit.record(
            AuditAction.SQUAD_DELETED,
            actor=actor,
            origin=origin,
            entity_type="squad",
            entity_id=squad_uuid,
        )
        await self._uow.commit()

    async def change_members(
        self,
        *,
        actor: Account,
        squad_uuid: UUID,
        user_ids: Sequence[int],
        change: SquadMembership,
        origin: AuditOrigin,
    ) -> Squad:
        distinct = sorted(set(user_ids))
        if not 1 <= len(distinct) <= MAX_SQUAD_MEMBERS_CHANGE:
            raise SquadMembersSizeError
        await self._panel.change_squad_members(squad_uuid, distinct, change)
        await self._audit.record(
            _MEMBERSHIP_AUDIT[change],
            actor=actor,
            origin=origin,
            entity_type="squad",
            entity_id=squad_uuid,
            after={"user_ids": distinct},
        )
        await self._uow.commit()
        return await self._panel.get_squad(squad_uuid)
