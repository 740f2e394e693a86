"""A customer turns the Telegram Stars renewal of their access off or on."""

from dataclasses import replace
from uuid import UUID

from cybervpn.application.billing.ports import StarsPayments
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.subscriptions.subscription import (
    NoStarsSubscriptionError,
    SubscriptionNotFoundError,
)


class SetAutoRenew:
    """Business rules: only access renewed by a Telegram Stars subscription has a
    renewal to turn off or on (409 `no_stars_subscription` otherwise); Telegram
    is told first (cancelled, it charges no more; the paid time stays), and only
    then is it recorded; if Telegram cannot answer nothing changes (503)."""

    def __init__(self, *, uow: UnitOfWork, stars: StarsPayments) -> None:
        self._uow = uow
        self._stars = stars

    async def execute(self, account_id: UUID, *, enabled: bool) -> bool:
        subscription = await self._uow.subscriptions.for_account(account_id)
        if subscription is None:
            raise SubscriptionNotFoundError
        renewal = subscription.stars_renewal
        if renewal is None:
            raise NoStarsSubscriptionError
        await self._stars.set_renewal(
            payer_telegram_id=renewal.payer_telegram_id,
            charge_id=renewal.charge_id,
            enabled=enabled,
        )
        await self._uow.subscriptions.record_stars_renewal(
            account_id, replace(renewal, enabled=enabled)
        )
        await self._uow.commit()
        return enabled
