"""The one path by which money becomes VPN time: webhooks and reconciliation both
come through here."""

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.notifications.enqueue import (
    delivery_job,
    enqueue_notification,
)
from cybervpn.application.subscriptions.provisioning import provisioning_job
from cybervpn.domain.billing.payment import Payment, PaymentStatus, ProviderInvoice
from cybervpn.domain.catalog.plan import Plan
from cybervpn.domain.notifications.notification import (
    Audience,
    Notification,
    Template,
)
from cybervpn.domain.subscriptions.subscription import Subscription

type Credit = tuple[Payment, ProviderInvoice]


class CreditOutcome(StrEnum):
    CREDITED = "credited"
    ALREADY_PAID = "already_paid"
    FLAGGED = "flagged"  # not credited; staff alerted


class CreditPayments:
    """Business rules:
    - the invoice must match the payment we asked for: paid, our payment id as
      payload, its currency (fiat USD at Crypto Pay, XTR in Stars), the exact
      amount; a mismatch is never credited, the payment is flagged and staff are
      alerted;
    - pending → paid happens once (compare-and-set); every other copy of the same
      news finds it already paid and changes nothing;
    - a payment we already expired that turns out paid is flagged for staff, not
      credited automatically (the customer may have bought again meanwhile);
    - in the same transaction: the promo code's use is counted, the subscription
      is created or renewed (from the later of now and its expiry, plus any bonus
      days), provisioning is queued, the referrer is rewarded if this is the
      buyer's first payment, and the customer is told the payment arrived.

    Many payments may be credited together (a batch of webhooks, one transaction
    and a handful of statements); the result is the same as crediting them one
    after another in the order given. It works in the caller's unit of work, and
    the caller commits: ReceivePaidInvoices (paid webhooks) and ReconcilePayments.
    """

    def __init__(self, *, clock: Clock, referral_bonus_days: int) -> None:
        self._clock = clock
        self._referral_bonus_days = referral_bonus_days

    async def execute(
        self, uow: UnitOfWork, credits: Sequence[Credit]
    ) -> list[CreditOutcome]:
        return await _Crediting(uow, self._clock, self._referral_bonus_days).run(
            credits
        )


class _Crediting:
    """One call of CreditPayments, in one unit of work."""

    def __init__(self, uow: UnitOfWork, clock: Clock, referral_bonus_days: int) -> None:
        self._uow = uow
        self._clock = clock
        self._referral_bonus_days = referral_bonus_days

    async def run(self, credits: Sequence[Credit]) -> list[CreditOutcome]:
        outcomes: list[CreditOutcome] = []
        due: dict[UUID, ProviderInvoice] = {}
        for payment, invoice in credits:
            outcome = await self._check(payment, invoice)
            if outcome is CreditOutcome.CREDITED and payment.id in due:
                outcome = CreditOutcome.ALREADY_PAID  # the same news twice
            if outcome is CreditOutcome.CREDITED:
                due[payment.id] = invoice
            outcomes.append(outcome)
        moved = await self._uow.payments.mark_paid(due)
        paid: dict[UUID, Payment] = {}
        for n, (payment, _) in enumerate(credits):
            if outcomes[n] is not CreditOutcome.CREDITED:
                continue
            if payment.id in moved:
                paid[payment.id] = payment
            else:  # someone else moved it first
                outcomes[n] = CreditOutcome.ALREADY_PAID
        if paid:
            await self._credit(list(paid.values()))
        return outcomes

    async def _check(self, payment: Payment, invoice: ProviderInvoice) -> CreditOutcome:
        if payment.status is PaymentStatus.PAID:
            return CreditOutcome.ALREADY_PAID
        reason = payment.mismatch(invoice)
        if reason is None and payment.status is not PaymentStatus.PENDING:
            reason = f"paid, but the payment was already {payment.status.value}"
        if reason is None:
            return CreditOutcome.CREDITED
        await self._flag(payment, invoice, reason)
        return CreditOutcome.FLAGGED

    async def _credit(self, paid: list[Payment]) -> None:
        now = self._clock.now()
        plans = await self._uow.plans.get_many({p.plan_id for p in paid})
        for payment in paid:
            if payment.promo_code_id is not None:
                await self._uow.promo_codes.count_use(payment.promo_code_id)
        buyers, inserted = await self._renew(paid, plans, now)
        referrers = await self._reward_referrers(paid, buyers, now)
        subscriptions = buyers | referrers
        await self._uow.subscriptions.save_all(
            [
                subscription
                for account_id, subscription in subscriptions.items()
                if account_id not in inserted or account_id in referrers
            ]
        )
        notifications = [
            Notification(
                audience=Audience.CUSTOMER,
                account_id=payment.account_id,
                template=Template.PAYMENT_RECEIVED,
                payload={
                    "amount": str(payment.amount),
                    "currency": payment.currency,
                    "plan_name": plans[payment.plan_id].name,
                },
                created_at=now,
            )
            for payment in paid
        ]
        await self._uow.notifications.add_all(notifications)
        await self._uow.outbox.add_all(
            [provisioning_job(s, now=now) for s in subscriptions.values()]
            + [delivery_job(notification) for notification in notifications]
        )

    async def _renew(
        self, paid: list[Payment], plans: dict[UUID, Plan], now: datetime
    ) -> tuple[dict[UUID, Subscription], set[UUID]]:
        """Each buyer's subscription with their payments applied (locked until
        commit, so payments of one account in other transactions renew in turn),
        and the accounts whose subscription was inserted as new."""
        by_account: dict[UUID, list[Payment]] = {}
        for payment in paid:
            by_account.setdefault(payment.account_id, []).append(payment)
        subscriptions = self._uow.subscriptions
        # Referral rewards earned before the buyer had access of their own.
        earned = await self._uow.referrals.take_unapplied_days(by_account, now=now)
        current = await subscriptions.for_accounts(by_account, for_update=True)
        renewed = {
            account_id: _apply(
                current.get(account_id), account_id, payments, plans, earned, now
            )
            for account_id, payments in by_account.items()
        }
        inserted = await subscriptions.add_absent(
            [renewed[a] for a in by_account if a not in current]
        )
        raced = [a for a in by_account if a not in current and a not in inserted]
        if raced:  # given access meanwhile (a trial): renew that one instead
            again = await subscriptions.for_accounts(raced, for_update=True)
            for account_id in raced:
                renewed[account_id] = _apply(
                    again[account_id],
                    account_id,
                    by_account[account_id],
                    plans,
                    earned,
                    now,
                )
        return renewed, inserted

    async def _reward_referrers(
        self,
        paid: list[Payment],
        buyers: dict[UUID, Subscription],
        now: datetime,
    ) -> dict[UUID, Subscription]:
        """A referrer earns the bonus days once, at the referee's first paid
        payment. The days extend the referrer's access at once when they have it,
        otherwise they wait for the referrer's first purchase. Returns the
        referrers' subscriptions so extended (a buyer's own, or one locked here)."""
        days = self._referral_bonus_days
        if days <= 0:
            return {}
        referrals = await self._uow.referrals.reward_once(
            {p.account_id for p in paid}, days=days, now=now
        )
        outside = {r.referrer_id for r in referrals} - buyers.keys()
        others = (
            await self._uow.subscriptions.for_accounts(outside, for_update=True)
            if outside
            else {}
        )
        extended: dict[UUID, Subscription] = {}
        for referral in referrals:
            subscription = buyers.get(referral.referrer_id) or others.get(
                referral.referrer_id
            )
            if subscription is None:
                continue
            subscription.add_days(days, now=now)
            await self._uow.referrals.mark_applied(referral.referee_id, now=now)
            extended[referral.referrer_id] = subscription
        return extended

    async def _flag(
        self, payment: Payment, invoice: ProviderInvoice, reason: str
    ) -> None:
        if payment.flag == reason:
            return  # already flagged for this; staff were told
        await self._uow.payments.flag(payment.id, reason)
        enqueue_notification(
            self._uow,
            Notification(
                audience=Audience.STAFF,
                template=Template.PAYMENT_FLAGGED,
                payload={
                    "payment_id": str(payment.id),
                    "invoice_id": invoice.reference,
                    "reason": reason,
                },
                created_at=self._clock.now(),
            ),
        )


def _apply(
    subscription: Subscription | None,
    account_id: UUID,
    payments: list[Payment],
    plans: dict[UUID, Plan],
    earned: dict[UUID, int],
    now: datetime,
) -> Subscription:
    """The account's payments, in order, on its subscription (a new one if None);
    the first also carries the referral days the buyer had earned."""
    for n, payment in enumerate(payments):
        plan = plans[payment.plan_id]
        bonus_days = payment.bonus_days + (earned.get(account_id, 0) if n == 0 else 0)
        if subscription is None:
            subscription = Subscription.bought(account_id, plan, now=now)
            if bonus_days:
                subscription.add_days(bonus_days, now=now)
        else:
            subscription.renew(plan, now=now, bonus_days=bonus_days)
    assert subscription is not None  # noqa: S101 - there is at least one payment
    return subscription
