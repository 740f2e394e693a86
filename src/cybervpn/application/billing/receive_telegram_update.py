"""Receiving a Telegram update: Stars pre-checkout queries and payments."""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import NoReturn
from uuid import UUID

from cybervpn.application.billing.credit_payment import CreditPayments
from cybervpn.application.billing.delivery_batch import DELIVERY_OUTCOMES
from cybervpn.application.billing.ports import StarsPayments
from cybervpn.application.billing.receive_stars_payments import (
    StarsDelivery,
    StarsDeliveryHandler,
    alert_staff,
    as_invoice,
)
from cybervpn.application.billing.telegram_updates import (
    TELEGRAM,
    PreCheckout,
    StarsPaid,
    TelegramUpdate,
)
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork, UnitOfWorkFactory
from cybervpn.domain.billing.payment import (
    CURRENCY_STARS,
    PROVIDER_TELEGRAM_STARS,
    Payment,
    PaymentStatus,
)
from cybervpn.domain.webhooks.delivery import (
    DeliveryOutcome,
    MalformedWebhookError,
    WebhookDelivery,
    WebhookRejectedError,
)

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
    - a one-off Stars payment goes to `credit_paid`: in the API the container's
      GroupCommit over ReceiveStarsPayments, credited with the updates that arrive
      with it;
    - each later (recurring) charge of a Stars subscription is a payment of its
      own, credited once per charge id, renewing the access once; one naming no
      payment of ours, or a one-off payment, is flagged for staff;
    - any other update is logged and ignored.
    """

    def __init__(
        self,
        *,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        stars: StarsPayments,
        credit: CreditPayments,
        credit_paid: StarsDeliveryHandler,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._stars = stars
        self._credit = credit
        self._credit_paid = credit_paid

    async def execute(
        self, update: TelegramUpdate | None, *, authentic: bool
    ) -> DeliveryOutcome:
        if not authentic:
            await self._reject("bad or missing secret token", WebhookRejectedError)
        if update is None:
            await self._reject("not a Telegram update", MalformedWebhookError)
        if update.paid is not None and not update.paid.is_recurring:
            return await self._credit_paid(
                StarsDelivery(update.update_id, update.paid, update.logged)
            )
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
        """A recurring charge (one-off payments are credited in batches)."""
        payment = await _payment_named(uow, paid.payload)
        if payment is None:
            self._alert_staff(uow, paid.payload, paid.charge_id, "no such payment")
            return DeliveryOutcome.FLAGGED, "Stars paid for an unknown payment"
        return await self._renewal(uow, payment, paid)

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
        invoice = as_invoice(replace(paid, payload=str(renewal.id)), now)
        [outcome] = await self._credit.execute(uow, [(renewal, invoice)])
        return DELIVERY_OUTCOMES[outcome], None

    def _alert_staff(
        self, uow: UnitOfWork, payment_id: str, charge_id: str, reason: str
    ) -> None:
        alert_staff(uow, self._clock.now(), payment_id, charge_id, reason)

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


def _duplicate(kind: str, now: datetime) -> WebhookDelivery:
    return WebhookDelivery(
        provider=TELEGRAM,
        received_at=now,
        outcome=DeliveryOutcome.DUPLICATE,
        event=kind,
    )
