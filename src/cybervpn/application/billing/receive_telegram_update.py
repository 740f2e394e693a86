"""Receiving a Telegram update: Stars pre-checkout queries and payments."""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import NoReturn
from uuid import UUID

from cybervpn.application.billing.credit_payment import CreditOutcome, CreditPayments
from cybervpn.application.billing.ports import StarsPayments
from cybervpn.application.billing.telegram_updates import (
    TELEGRAM,
    PreCheckout,
    StarsPaid,
    TelegramUpdate,
)
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork, UnitOfWorkFactory
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.domain.billing.payment import (
    CURRENCY_STARS,
    PROVIDER_TELEGRAM_STARS,
    Payment,
    PaymentStatus,
    ProviderInvoice,
)
from cybervpn.domain.notifications.notification import (
    Audience,
    Notification,
    Template,
)
from cybervpn.domain.subscriptions.subscription import StarsRenewal
from cybervpn.domain.webhooks.delivery import (
    DeliveryOutcome,
    MalformedWebhookError,
    WebhookDelivery,
    WebhookRejectedError,
)

_OUTCOMES = {
    CreditOutcome.CREDITED: DeliveryOutcome.PROCESSED,
    CreditOutcome.ALREADY_PAID: DeliveryOutcome.DUPLICATE,
    CreditOutcome.FLAGGED: DeliveryOutcome.FLAGGED,
}
UNKNOWN_ORDER = "This order is unknown; please start again"
NOT_PAYABLE = "This order can no longer be paid; please start again"
PRICE_CHANGED = "The price of this order has changed; please start again"


class ReceiveTelegramUpdate:
    """Business rules:
    - an update without our secret token is logged as rejected and does nothing
      (401); every other is logged once per `update_id` (a copy is a duplicate);
    - a pre-checkout query is answered before the webhook is: yes only for a
      pending, unexpired Stars payment of exactly that currency and amount; if
      Telegram cannot take the answer nothing is recorded (503), so its retry is
      answered;
    - a successful Stars payment is credited like a Crypto Pay one
      (CreditPayments: checked against the payment, pending → paid once), with
      the charge and the payer recorded; a second charge for a payment already
      paid, or a charge naming no payment of ours, is money taken for nothing:
      flagged for staff, never credited;
    - a Stars subscription's first charge records it on the customer's
      subscription (so it can be cancelled); each later (recurring) charge is a
      payment of its own, credited once per charge id, renewing the access once;
    - any other update is logged and ignored.
    """

    def __init__(
        self,
        *,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        stars: StarsPayments,
        credit: CreditPayments,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._stars = stars
        self._credit = credit

    async def execute(
        self, update: TelegramUpdate | None, *, authentic: bool
    ) -> DeliveryOutcome:
        if not authentic:
            await self._reject("bad or missing secret token", WebhookRejectedError)
        if update is None:
            await self._reject("not a Telegram update", MalformedWebhookError)
        now = self._clock.now()
        logged = WebhookDelivery(
            provider=TELEGRAM,
            received_at=now,
            outcome=DeliveryOutcome.PROCESSED,
            event=update.kind,
            dedupe_key=f"update:{update.update_id}",
            payload=update.logged,
        )
        async with self._uow_factory() as uow:
            if not await uow.webhook_log.record_first(logged):
                uow.webhook_log.add(_duplicate(update.kind, now))
                await uow.commit()
                return DeliveryOutcome.DUPLICATE
            if update.pre_checkout is not None:
                refusal = await self._pre_checkout(uow, update.pre_checkout, now)
                logged.error = refusal
            elif update.paid is not None:
                logged.outcome, logged.error = await self._paid(uow, update.paid)
            else:
                logged.outcome, logged.error = DeliveryOutcome.IGNORED, "not a payment"
            if logged.outcome is not DeliveryOutcome.PROCESSED or logged.error:
                await uow.webhook_log.save(logged)
            await uow.commit()
        return logged.outcome

    async def _pre_checkout(
        self, uow: UnitOfWork, query: PreCheckout, now: datetime
    ) -> str | None:
        payment = await _payment_named(uow, query.payload)
        refusal = _refusal(payment, query, now)
        await self._stars.answer_pre_checkout(
            query.query_id, ok=refusal is None, error_message=refusal
        )
        return refusal

    async def _paid(
        self, uow: UnitOfWork, paid: StarsPaid
    ) -> tuple[DeliveryOutcome, str | None]:
        payment = await _payment_named(uow, paid.payload)
        invoice = _as_invoice(paid, self._clock.now())
        if payment is None:
            self._alert_staff(uow, paid.payload, paid.charge_id, "no such payment")
            return DeliveryOutcome.FLAGGED, "Stars paid for an unknown payment"
        if paid.is_recurring:
            return await self._renewal(uow, payment, paid)
        if payment.status is PaymentStatus.PAID and payment.telegram_charge_id not in (
            None,
            paid.charge_id,
        ):
            reason = f"paid twice: a second charge {paid.charge_id}"
            await uow.payments.flag(payment.id, reason)
            self._alert_staff(uow, str(payment.id), paid.charge_id, reason)
            return DeliveryOutcome.FLAGGED, reason
        [outcome] = await self._credit.execute(uow, [(payment, invoice)])
        if outcome is CreditOutcome.CREDITED and payment.auto_renew:
            await uow.subscriptions.record_stars_renewal(
                payment.account_id,
                StarsRenewal(
                    charge_id=paid.charge_id, payer_telegram_id=paid.payer_telegram_id
                ),
            )
        return _OUTCOMES[outcome], None

    async def _renewal(
        self, uow: UnitOfWork, renewed: Payment, paid: StarsPaid
    ) -> tuple[DeliveryOutcome, str | None]:
        """A later month of a Stars subscription: a payment row of its own, at the
        subscription's price, credited once per charge."""
        if not renewed.auto_renew:
            reason = f"a renewal charge {paid.charge_id} for a one-off payment"
            self._alert_staff(uow, str(renewed.id), paid.charge_id, reason)
            return DeliveryOutcome.FLAGGED, reason
        now = self._clock.now()
        charge_seen = not await uow.webhook_log.record_first(
            WebhookDelivery(
                provider=TELEGRAM,
                received_at=now,
                outcome=DeliveryOutcome.PROCESSED,
                event="stars_charge",
                dedupe_key=f"stars_charge:{paid.charge_id}",
            )
        )
        if charge_seen:  # the same charge under another update id
            return DeliveryOutcome.DUPLICATE, None
        renewal = Payment(
            account_id=renewed.account_id,
            plan_id=renewed.plan_id,
            provider=PROVIDER_TELEGRAM_STARS,
            currency=CURRENCY_STARS,
            amount=renewed.amount,
            created_at=now,
            pay_url=renewed.pay_url,
            auto_renew=True,
            renews_payment_id=renewed.id,
        )
        await uow.payments.insert(renewal)
        invoice = _as_invoice(replace(paid, payload=str(renewal.id)), now)
        [outcome] = await self._credit.execute(uow, [(renewal, invoice)])
        return _OUTCOMES[outcome], None

    def _alert_staff(
        self, uow: UnitOfWork, payment_id: str, charge_id: str, reason: str
    ) -> None:
        enqueue_notification(
            uow,
            Notification(
                audience=Audience.STAFF,
                template=Template.PAYMENT_FLAGGED,
                payload={
                    "payment_id": payment_id,
                    "invoice_id": charge_id,
                    "reason": reason,
                },
                created_at=self._clock.now(),
            ),
        )

    async def _reject(
        self,
        reason: str,
        error: type[WebhookRejectedError | MalformedWebhookError],
    ) -> NoReturn:
        async with self._uow_factory() as uow:
            uow.webhook_log.add(
                WebhookDelivery(
                    provider=TELEGRAM,
                    received_at=self._clock.now(),
                    outcome=DeliveryOutcome.REJECTED,
                    error=reason,
                )
            )
            await uow.commit()
        raise error(reason)


async def _payment_named(uow: UnitOfWork, payload: str) -> Payment | None:
    try:
        payment_id = UUID(payload)
    except ValueError:
        return None
    return await uow.payments.get(payment_id)


def _refusal(payment: Payment | None, query: PreCheckout, now: datetime) -> str | None:
    if payment is None or payment.provider != PROVIDER_TELEGRAM_STARS:
        return UNKNOWN_ORDER
    expired = payment.expires_at is not None and payment.expires_at <= now
    if payment.status is not PaymentStatus.PENDING or expired:
        return NOT_PAYABLE
    if query.currency != CURRENCY_STARS or Decimal(query.total_amount) != (
        payment.amount
    ):
        return PRICE_CHANGED
    return None


def _as_invoice(paid: StarsPaid, now: datetime) -> ProviderInvoice:
    return ProviderInvoice(
        invoice_id=None,
        status="paid",
        currency_type="stars",
        currency=paid.currency,
        amount=Decimal(paid.total_amount),
        payload=paid.payload,
        paid_at=now,
        paid_asset=paid.currency,
        paid_amount=Decimal(paid.total_amount),
        charge_id=paid.charge_id,
        payer_telegram_id=paid.payer_telegram_id,
    )


def _duplicate(kind: str, now: datetime) -> WebhookDelivery:
    return WebhookDelivery(
        provider=TELEGRAM,
        received_at=now,
        outcome=DeliveryOutcome.DUPLICATE,
        event=kind,
    )
