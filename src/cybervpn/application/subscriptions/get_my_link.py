"""A customer's subscription link, to show as a QR code."""

from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.subscriptions.live_access import live_subscription
from cybervpn.domain.subscriptions.subscription import AccessNotReadyError


class GetMyLink:
    """Business rules: only live access has a link worth scanning (404 without
    access, 402 once it expired, 409 `access_not_ready` before the panel issued
    one)."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, account_id: UUID) -> str:
        subscription = await live_subscription(self._uow, self._clock, account_id)
        if subscription.subscription_url is None:
            raise AccessNotReadyError
        return subscription.subscription_url
