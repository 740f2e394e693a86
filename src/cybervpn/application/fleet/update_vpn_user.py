"""Changing a VPN user's limits, expiry, squads or contact fields."""

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.fleet_audit import FleetAudit
from cybervpn.application.fleet.ports import VpnUserPanel
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.fleet.vpn_user import VpnUser, VpnUserChanges
from cybervpn.domain.identity.account import Account


class UpdateVpnUser:
    """Only the given fields change; an empty change does not call the panel."""

    def __init__(self, *, panel: VpnUserPanel, uow: UnitOfWork, clock: Clock) -> None:
        self._panel = panel
        self._uow = uow
        self._audit = FleetAudit(uow, clock)

    async def execute(
        self,
        *,
        actor: Account,
        user_id: int,
        changes: VpnUserChanges,
        origin: AuditOrigin,
    ) -> VpnUser:
        if not changes.fields_set:
            return await self._panel.get_user(user_id)
        updated = await self._panel.update_user(user_id, changes)
        await self._audit.record(
            AuditAction.VPN_USER_UPDATED,
            actor=actor,
            origin=origin,
            entity_type="vpn_user",
            entity_id=user_id,
            after=changes.values(),
        )
        await self._uow.commit()
        return updated
