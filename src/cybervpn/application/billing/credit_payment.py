"""The one path by which money becomes VPN time: webhooks and reconciliation both
come through here."""

from enum import StrEnum

from cybervpn.application.billing.referrals import reward_referrer
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.application.subscriptions.provisioning import enqueue_provisioning
from cybervpn.domain.billing.payment import Payment, PaymentStatus, ProviderInvoice
from cybervpn.domain.catalog.plan import Plan, PlanNotFoundError
from cybervpn.domain.notifications.notification import (
    Audience,
    Notification,
    Template,
)
from cybervpn.domain.subscriptions.subscription import Subscription


class CreditOutcome(StrEnum):
    CREDITED = "credited"
    ALREADY_PAID = "already_paid"
    FLAGGED = "flagged"  # not credited; staff alerted


class CreditPayment:
    """Business rules:
    - the invoice must match the payment we asked for: paid, our payment id as
      payload, fiat USD, the exact amount; a mismatch is never credited, the
      payment is flagged and staff are alerted;
    - pending → paid happens once (compare-and-set); every other copy of the same
      news finds it already paid and changes nothing;
    - a payment we already expired that turns out paid is flagged for staff, not
      credited automatically (the customer may have bought again meanwhile);
    - in the same transaction: the promo code's use is counted, the subscription
      is created or renewed (from the later of now and its expiry, plus any bonus
      days), provisioning is queued, the referrer is rewarded if this is the
      buyer's first payment, and the customer is told the payment arrived.
      The caller commits.
    """

    def __init__(
        self, *, uow: UnitOfWork, clock: Clock, referral_bonus_days: int
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._referral_bonus_days = referral_bonus_days

    async def execute(
        self, payment: Payment, invoice: ProviderInvoice
    ) -> CreditOutcome:
        if payment.status is PaymentStatus.PAID:
            return CreditOutcome.ALREADY_PAID
        reason = payment.mismatch(invoice)
        if reason is None and payment.status is not PaymentStatus.PENDING:
            reason = f"paid, but the payment was already {payment.status.value}"
        if reason is not None:
            await self._flag(payment, invoice, reason)
            return CreditOutcome.FLAGGED
        if not await self._uow.payments.mark_paid(payment.id, invoice):
            return CreditOutcome.ALREADY_PAID
        plan = await self._uow.plans.get(payment.plan_id)
        if plan is None:  # pragma: no cover - sold plans are never deleted
            raise PlanNotFoundError
        if payment.promo_code_id is not None:
            await self._uow.promo_codes.count_use(payment.promo_code_id)
        subscription = await self._renew(payment, plan)
        now = self._clock.now()
        enqueue_provisioning(self._uow, subscription, now=now)
        await reward_referrer(
            self._uow,
            referee_id=payment.account_id,
            days=self._referral_bonus_days,
            clock=self._clock,
        )
        enqueue_notification(
            self._uow,
            Notification(
                audience=Audience.CUSTOMER,
                account_id=payment.account_id,
                template=Template.PAYMENT_RECEIVED,
                payload={
                    "amount": str(payment.amount),
                    "currency": payment.currency,
                    "plan_name": plan.name,
                },
                created_at=now,
            ),
        )
        return CreditOutcome.CREDITED

    async def _renew(self, payment: Payment, plan: Plan) -> Subscription:
        now = self._clock.now()
        subscriptions = self._uow.subscriptions
        # Referral rewards earned before the buyer had access of their own.
        earned = await self._uow.referrals.take_unapplied_days(
            payment.account_id, now=now
        )
        bonus_days = payment.bonus_days + earned
        bought = Subscription.bought(payment.account_id, plan, now=now)
        if bonus_days:
            bought.add_days(bonus_days, now=now)
        if await subscriptions.add_if_absent(bought):
            return bought
        # The row is locked until commit: two payments of one account renew in turn.
        current = await subscriptions.for_account(payment.account_id, for_update=True)
        if current is None:  # pragma: no cover - it was there a moment ago
            raise PlanNotFoundError
        current.renew(plan, now=now, bonus_days=bonus_days)
        await subscriptions.save(current)
        return current

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
                    "invoice_id": invoice.invoice_id,
                    "reason": reason,
                },
                created_at=self._clock.now(),
            ),
        )
