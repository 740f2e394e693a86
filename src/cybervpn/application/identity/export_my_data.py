"""A customer takes a copy of everything we hold about them."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from uuid import UUID

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.billing.payment import Payment, PaymentFilter
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.errors import AccountNotFoundError
from cybervpn.domain.identity.identity import Identity
from cybervpn.domain.notifications.notification import (
    SEALED_TOKEN,
    Notification,
    NotificationFilter,
)
from cybervpn.domain.subscriptions.subscription import Subscription

_PAGE = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferralData:
    code: str | None
    referred: int
    rewarded: int
    reward_days: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MyData:
    account: Account
    identities: Sequence[Identity]
    subscription: Subscription | None
    payments: Sequence[Payment]
    referrals: ReferralData
    notifications: Sequence[Notification]


class ExportMyData:
    """Business rule: the owner gets all of it (account, linked identities,
    access, every payment, referrals, every message we sent or will send), and
    nothing that is not theirs or that is a secret (no password or 2FA material)."""

    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, account_id: UUID) -> MyData:
        account = await self._uow.accounts.get(account_id)
        if account is None:
            raise AccountNotFoundError
        referred, rewarded, reward_days, _ = await self._uow.referrals.summary(
            account_id
        )
        return MyData(
            account=account,
            identities=await self._uow.identities.list_for_account(account_id),
            subscription=await self._uow.subscriptions.for_account(account_id),
            payments=await _all(
                lambda offset: self._uow.payments.list(
                    PaymentFilter(account_id=account_id), limit=_PAGE, offset=offset
                )
            ),
            referrals=ReferralData(
                code=await self._uow.referrals.code_of(account_id),
                referred=referred,
                rewarded=rewarded,
                reward_days=reward_days,
            ),
            notifications=[
                _without_secrets(n)
                for n in await _all(
                    lambda offset: self._uow.notifications.list(
                        NotificationFilter(account_id=account_id),
                        limit=_PAGE,
                        offset=offset,
                    )
                )
            ],
        )


def _without_secrets(notification: Notification) -> Notification:
    """A link not yet mailed carries its token (encrypted): not for the export."""
    payload = {k: v for k, v in notification.payload.items() if k != SEALED_TOKEN}
    return replace(notification, payload=payload)


async def _all[T](
    page: Callable[[int], Awaitable[tuple[Sequence[T], int]]],
) -> list[T]:
    found: list[T] = []
    while True:
        items, total = await page(len(found))
        found.extend(items)
        if not items or len(found) >= total:
            return found
