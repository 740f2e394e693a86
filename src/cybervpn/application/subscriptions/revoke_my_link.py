"""A customer replaces a leaked subscription link."""

from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.fleet.ports import VpnUserPanel
from cybervpn.application.subscriptions.live_access import (
    live_subscription,
    vpn_user_of,
)
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.fleet.vpn_user import VpnUserAction


class RevokeMyLink:
    """Business rules: the panel issues a new link and new credentials, and the
    old link stops working at once; only live access has a link to replace (404
    without access, 402 once it expired, 409 `access_not_ready` while it is being
    set up). The new link is recorded and the revoke audited."""

    def __init__(self, *, uow: UnitOfWork, panel: VpnUserPanel, clock: Clock) -> None:
        self._uow = uow
        self._panel = panel
        self._clock = clock

    async def execute(self, account_id: UUID, *, origin: AuditOrigin) -> str:
        subscription = await live_subscription(self._uow, self._clock, account_id)
        vpn_user = await self._panel.apply_user_action(
            vpn_user_of(subscription), VpnUserAction.REVOKE
        )
        await self._uow.subscriptions.record_link(
            subscription.id,
            short_uuid=vpn_user.short_uuid,
            subscription_url=vpn_user.subscription_url,
        )
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.SUBSCRIPTION_LINK_REVOKED,
            origin=origin,
            actor_id=account_id,
            entity_type="subscription",
            entity_id=str(subscription.id),
        )
        await self._uow.commit()
        return vpn_user.subscription_url
