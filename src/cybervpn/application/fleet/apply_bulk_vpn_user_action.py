"""One action on many VPN users at once."""

from collections.abc import Sequence

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.apply_vpn_user_action import check_days
from cybervpn.application.fleet.fleet_audit import FleetAudit
from cybervpn.application.fleet.ports import VpnUserPanel
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.fleet.errors import MAX_BULK_SIZE, BulkSizeError
from cybervpn.domain.fleet.vpn_user import VpnUserAction
from cybervpn.domain.identity.account import Account


class ApplyBulkVpnUserAction:
    """Bounded: 1 to 500 distinct ids per call. Unknown ids are skipped by the
    panel; the audit entry lists the ids asked for."""

    def __init__(self, *, panel: VpnUserPanel, uow: UnitOfWork, clock: Clock) -> None:
        self._panel = panel
        self._uow = uow
        self._audit = FleetAudit(uow, clock)

    async def execute(
        self,
        *,
        actor: Account,
        user_ids: Sequence[int],
        action: VpnUserAction,
        days: int | None,
        origin: AuditOrigin,
    ) -> int:
        ids = sorted(set(user_ids))
        if not 1 <= len(ids) <= MAX_BULK_SIZE:
            raise BulkSizeError
        days = check_days(action, days)
        await self._panel.apply_bulk_user_action(ids, action, days=days)
        await self._audit.record(
            AuditAction.VPN_USERS_BULK_ACTION,
            actor=actor,
            origin=origin,
            entity_type="vpn_user",
            entity_id=None,
            after={"action": action, "days": days, "ids": ids},
        )
        await self._uow.commit()
        return len(ids)
