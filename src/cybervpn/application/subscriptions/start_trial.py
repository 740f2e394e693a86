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
from cybervpn.domain.subscriptions.trial import (
    TrialUsedError,
    VerifiedContactRequiredError,
    trial_contacts,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class TrialTerms:
    days: int
    limits: AccessLimits


class StartTrial:
    """Business rules:
    - the trial needs a verified contact: a verified e-mail address or a Telegram
      sign-in (403 `verified_contact_required`), so throwaway addresses get none;
    - one trial per contact, whatever account it is on (409 `trial_used`: a second
      account of the same e-mail or Telegram user, even after the first was
      deleted);
    - one trial per account, and only for an account that has never had VPN
      access (409 `trial_already_used`: a trial after a purchase would be free
      time). Contacts and the subscription are unique keys, so concurrent
      requests grant one trial."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock, terms: TrialTerms) -> None:
        self._uow = uow
        self._clock = clock
        self._terms = terms

    async def execute(self, account: Account) -> Subscription:
        contacts = trial_contacts(account)
        if not contacts:
            raise VerifiedContactRequiredError
        now = self._clock.now()
        subscription = Subscription.trial(
            account.id, now=now, days=self._terms.days, limits=self._terms.limits
        )
        if not await self._uow.subscriptions.add_if_absent(subscription):
            raise TrialAlreadyUsedError
        if not await self._uow.trial_claims.claim(contacts, account.id, now):
            raise TrialUsedError
        enqueue_provisioning(self._uow, subscription, now=now)
        await self._uow.commit()
        return subscription
