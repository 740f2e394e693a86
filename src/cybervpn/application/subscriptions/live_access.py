"""The customer's access as the self-service routes need it: there, and running."""

from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.subscriptions.subscription import (
    AccessNotReadyError,
    Subscription,
    SubscriptionExpiredError,
    SubscriptionNotFoundError,
)


async def live_subscription(
    uow: UnitOfWork, clock: Clock, account_id: UUID, *, for_update: bool = False
) -> Subscription:
    """404 `no_subscription` when there never was access, 402
    `subscription_expired` when it ran out (renewing brings it back)."""
    subscription = await uow.subscriptions.for_account(
        account_id, for_update=for_update
    )
    if subscription is None:
        raise SubscriptionNotFoundError
    if subscription.expires_at <= clock.now():
        raise SubscriptionExpiredError
    return subscription


def vpn_user_of(subscription: Subscription) -> int:
    """The panel user behind the access; 409 `access_not_ready` until the first
    provisioning created it."""
    if subscription.vpn_user_id is None:
        raise AccessNotReadyError
    return subscription.vpn_user_id
