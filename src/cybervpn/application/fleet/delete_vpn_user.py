"""Deleting a VPN user from the panel."""

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.fleet_audit import FleetAudit
from cybervpn.application.fleet.ports import VpnUserPanel
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.account import Account


class DeleteVpnUser:
    def __init__(self, *, panel: VpnUserPanel, uow: UnitOfWork, clock: Clock) -> None:
        self._panel = panel
        self._uow = uow
        self._audit = FleetAudit(uow, clock)

    async def execute(
        self, *, actor: Account, user_id: int, origin: AuditOrigin
    ) -> None:
        await self._panel.delete_user(user_id)
        await self._audit.record(
            AuditAction.VPN_USER_DELETED,
            actor=actor,
            origin=origin,
            entity_type="vpn_user",
            entity_id=user_id,
        )
        await self._uow.commit()
