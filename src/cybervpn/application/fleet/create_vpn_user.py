"""Staff create a VPN user directly in the panel (customers get theirs by buying)."""

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.fleet_audit import FleetAudit
from cybervpn.application.fleet.ports import VpnUserPanel
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.fleet.errors import ExpiryInThePastError
from cybervpn.domain.fleet.vpn_user import NewVpnUser, VpnUser
from cybervpn.domain.identity.account import Account


class CreateVpnUser:
    """A new VPN user must expire in the future; the creation is audited."""

    def __init__(self, *, panel: VpnUserPanel, uow: UnitOfWork, clock: Clock) -> None:
        self._panel = panel
        self._uow = uow
        self._audit = FleetAudit(uow, clock)
        self._clock = clock

    async def execute(
        self, *, actor: Account, user: NewVpnUser, origin: AuditOrigin
    ) -> VpnUser:
        if user.expire_at <= self._clock.now():
            raise ExpiryInThePastError
        created = await self._panel.create_user(user)
        await self._audit.record(
            AuditAction.VPN_USER_CREATED,
            actor=actor,
            origin=origin,
            entity_type="vpn_user",
            entity_id=created.id,
            after={"username": created.username, "expire_at": created.expire_at},
        )
        await self._uow.commit()
        return created
