"""Enable, disable, revoke, reset traffic or extend one VPN user."""

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.fleet_audit import FleetAudit
from cybervpn.application.fleet.ports import VpnUserPanel
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.fleet.errors import MAX_EXTEND_DAYS, InvalidExtensionError
from cybervpn.domain.fleet.vpn_user import VpnUser, VpnUserAction
from cybervpn.domain.identity.account import Account


def check_days(action: VpnUserAction, days: int | None) -> int | None:
    """Extending needs a day count in range; other actions take none."""
    if action is not VpnUserAction.EXTEND:
        return None
    if days is None or not 1 <= days <= MAX_EXTEND_DAYS:
        raise InvalidExtensionError
    return days


class ApplyVpnUserAction:
    """The panel applies its own status rules (e.g. extending an expired user
    re-activates it); enabling an active user is a conflict."""

    def __init__(self, *, panel: VpnUserPanel, uow: UnitOfWork, clock: Clock) -> None:
        self._panel = panel
        self._uow = uow
        self._audit = FleetAudit(uow, clock)

    async def execute(
        self,
        *,
        actor: Account,
        user_id: int,
        action: VpnUserAction,
        days: int | None,
        origin: AuditOrigin,
    ) -> VpnUser:
        days = check_days(action, days)
        user = await self._panel.apply_user_action(user_id, action, days=days)
        await self._audit.record(
            AuditAction.VPN_USER_ACTION,
            actor=actor,
            origin=origin,
            entity_type="vpn_user",
            entity_id=user_id,
            after={"action": action, "days": days, "status": user.status},
        )
        await self._uow.commit()
        return user
