"""Staff refund a payment."""

from dataclasses import replace
from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.billing.ports import StarsPayments
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.application.subscriptions.provisioning import enqueue_provisioning
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.billing.payment import (
    PROVIDER_TELEGRAM_STARS,
    AlreadyRefundedError,
    Payment,
    PaymentNotFoundError,
    PaymentNotRefundableError,
    PaymentStatus,
    RefundNotSupportedError,
)
from cybervpn.domain.catalog.plan import PlanNotFoundError
from cybervpn.domain.identity.account import Account
from cybervpn.domain.notifications.notification import (
    Audience,
    Notification,
    Template,
)
from cybervpn.domain.subscriptions.subscription import StarsRenewal


class RefundPayment:
    """Business rules:
    - only a paid Telegram Stars payment is refunded here (Crypto Pay has no
      refunds: 409 `refund_not_supported`), and only once (409 `already_refunded`;
      two staff at once get one refund: paid → refunded is a compare-and-set);
    - Telegram gives the Stars back first; if it cannot, nothing changes (503);
    - the access the payment bought is taken back: the expiry moves back by
      exactly the days it added (the plan's days and its bonus days), and the
      panel follows through the outbox (the VPN user is disabled if nothing is
      left);
    - refunding any charge of a Stars subscription that still renews the access
      also ends the renewal, so a refunded customer is not charged next month;
      the renewal is cancelled with Telegram and recorded before the refund, so
      a refund that then fails leaves a cancelled renewal, never a refunded
      charge that still renews;
    - audited with the reason, and the customer is told.
    """

    def __init__(self, *, uow: UnitOfWork, clock: Clock, stars: StarsPayments) -> None:
        self._uow = uow
        self._clock = clock
        self._stars = stars

    async def execute(
        self, *, actor: Account, payment_id: UUID, reason: str, origin: AuditOrigin
    ) -> Payment:
        payment = await self._uow.payments.get(payment_id)
        if payment is None:
            raise PaymentNotFoundError
        if payment.provider != PROVIDER_TELEGRAM_STARS:
            raise RefundNotSupportedError
        if payment.status is PaymentStatus.REFUNDED:
            raise AlreadyRefundedError
        charge, payer = payment.telegram_charge_id, payment.payer_telegram_id
        if payment.status is not PaymentStatus.PAID or charge is None or payer is None:
            raise PaymentNotRefundableError
        renewal_cancelled = await self._cancel_renewal_of(payment)
        now = self._clock.now()
        if not await self._uow.payments.mark_refunded(payment.id, now=now):
            raise AlreadyRefundedError  # another refund won the race
        await self._stars.refund(payer_telegram_id=payer, charge_id=charge)
        plan = await self._uow.plans.get(payment.plan_id)
        if plan is None:  # pragma: no cover - a sold plan is never deleted
            raise PlanNotFoundError
        days = plan.duration_days + payment.bonus_days
        subscription = await self._uow.subscriptions.for_account(
            payment.account_id, for_update=True
        )
        if subscription is not None:
            subscription.take_back(days, now=now)
            await self._uow.subscriptions.save(subscription)
            enqueue_provisioning(self._uow, subscription, now=now)
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.PAYMENT_REFUNDED,
            origin=origin,
            actor_id=actor.id,
            entity_type="payment",
            entity_id=payment.id,
            after={
                "reason": reason,
                "charge_id": charge,
                "days_taken_back": days,
                "renewal_cancelled": renewal_cancelled,
            },
        )
        enqueue_notification(
            self._uow,
            Notification(
                audience=Audience.CUSTOMER,
                account_id=payment.account_id,
                template=Template.PAYMENT_REFUNDED,
                payload={
                    "amount": str(payment.amount),
                    "currency": payment.currency,
                    "plan_name": plan.name,
                    "days": days,
                    "renewal_cancelled": renewal_cancelled,
                },
                created_at=now,
            ),
        )
        await self._uow.commit()
        payment.status, payment.refunded_at = PaymentStatus.REFUNDED, now
        return payment

    async def _cancel_renewal_of(self, payment: Payment) -> bool:
        """Ends the Stars subscription `payment` belongs to, if it still renews
        the access; True when it did."""
        renewal = await self._renewal_started_by(payment)
        if renewal is None:
            return False
        await self._stars.set_renewal(
            payer_telegram_id=renewal.payer_telegram_id,
            charge_id=renewal.charge_id,
            enabled=False,
        )
        await self._uow.subscriptions.record_stars_renewal(
            payment.account_id, replace(renewal, enabled=False)
        )
        await self._uow.commit()
        return True

    async def _renewal_started_by(self, payment: Payment) -> StarsRenewal | None:
        """The access's renewal, when it is on and is the Stars subscription this
        payment was a charge of (its first charge or a later one)."""
        if not payment.auto_renew:
            return None
        subscription = await self._uow.subscriptions.for_account(payment.account_id)
        renewal = None if subscription is None else subscription.stars_renewal
        if renewal is None or not renewal.enabled:
            return None
        first = payment
        if payment.renews_payment_id is not None:
            first = await self._uow.payments.get(payment.renews_payment_id) or payment
        return renewal if renewal.charge_id == first.telegram_charge_id else None
