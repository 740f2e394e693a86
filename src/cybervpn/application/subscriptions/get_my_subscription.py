"""A customer's own VPN access."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.subscriptions.ports import ProvisioningPanel
from cybervpn.domain.catalog.plan import AccessLimits, Plan
from cybervpn.domain.fleet.errors import PanelUnavailableError, VpnUserNotFoundError
from cybervpn.domain.subscriptions.subscription import (
    SubscriptionNotFoundError,
    SubscriptionStatus,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SubscriptionView:
    id: UUID
    status: SubscriptionStatus
    is_trial: bool
    plan: Plan | None
    expires_at: datetime
    limits: AccessLimits
    traffic_used_bytes: int | None  # None while the panel cannot say
    subscription_url: str | None
    auto_renew: bool = False  # a Telegram Stars subscription renews it


class GetMySubscription:
    """Our own row answers everything but traffic used, which only the panel knows:
    while the panel is down the customer still sees their access, without it."""

    def __init__(
        self, *, uow: UnitOfWork, panel: ProvisioningPanel, clock: Clock
    ) -> None:
        self._uow = uow
        self._panel = panel
        self._clock = clock

    async def execute(self, account_id: UUID) -> SubscriptionView:
        subscription = await self._uow.subscriptions.for_account(account_id)
        if subscription is None:
            raise SubscriptionNotFoundError
        plan = (
            None
            if subscription.plan_id is None
            else await self._uow.plans.get(subscription.plan_id)
        )
        traffic_used: int | None = None
        if subscription.vpn_user_id is not None:
            try:
                vpn_user = await self._panel.get_user(subscription.vpn_user_id)
                traffic_used = vpn_user.used_traffic_bytes
            except (PanelUnavailableError, VpnUserNotFoundError):
                traffic_used = None
        return SubscriptionView(
            id=subscription.id,
            status=subscription.status(self._clock.now()),
            is_trial=subscription.is_trial,
            plan=plan,
            expires_at=subscription.expires_at,
            limits=subscription.limits,
            traffic_used_bytes=traffic_used,
            subscription_url=subscription.subscription_url,
            auto_renew=(
                subscription.stars_renewal is not None
                and subscription.stars_renewal.enabled
            ),
        )
