"""The free trial."""

from dataclasses import dataclass

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.subscriptions.provisioning import enqueue_provisioning
from cybervpn.domain.catalog.plan import AccessLimits
from cybervpn.domain.identity.account import Account
from cybervpn.domain.subscriptions.subscription import (
    Subscription,
    TrialAlreadyUsedError,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class TrialTerms:
    days: int
    limits: AccessLimits


class StartTrial:
    """Business rule: one trial per account, and only for an account that has never
    had VPN access (a trial after a purchase would be free time). One subscription
    per account is a unique key, so two concurrent requests grant one trial."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock, terms: TrialTerms) -> None:
        self._uow = uow
        self._clock = clock
        self._terms = terms

    async def execute(self, account: Account) -> Subscription:
        now = self._clock.now()
        subscription = Subscription.trial(
            account.id, now=now, days=self._terms.days, limits=self._terms.limits
        )
        if not await self._uow.subscriptions.add_if_absent(subscription):
            raise TrialAlreadyUsedError
        enqueue_provisioning(self._uow, subscription, now=now)
        await self._uow.commit()
        return subscription
