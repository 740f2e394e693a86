"""Crediting Telegram Stars payments, many in one transaction.

Wiring as for Crypto Pay (ADR 0004): ReceiveTelegramUpdate hands each authentic
one-off `successful_payment` update to the container's GroupCommit over this use
case; updates that arrive together become one batch here.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from cybervpn.application.billing.credit_payment import CreditOutcome, CreditPayments
from cybervpn.application.billing.delivery_batch import (
    DELIVERY_OUTCOMES,
    Receipt,
    claim_firsts,
    log_outcomes,
)
from cybervpn.application.billing.telegram_updates import TELEGRAM, StarsPaid
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork, UnitOfWorkFactory
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.domain.billing.payment import Payment, PaymentStatus, ProviderInvoice
from cybervpn.domain.notifications.notification import (
    Audience,
    Notification,
    Template,
)
from cybervpn.domain.subscriptions.subscription import StarsRenewal
from cybervpn.domain.webhooks.delivery import DeliveryOutcome, WebhookDelivery

PAID_EVENT = "message"  # the update field a successful payment arrives in


@dataclass(frozen=True, slots=True)
class StarsDelivery:
    """An authentic update with a one-off (not recurring) Stars payment."""

    update_id: int
    paid: StarsPaid
    logged: dict[str, Any] | None


type StarsDeliveryHandler = Callable[[StarsDelivery], Awaitable[DeliveryOutcome]]


class ReceiveStarsPayments:
    """Business rules:
    - every update is logged; the first of each `update_id` is recorded in the
      same transaction as the credit, so copies are duplicates and credit nothing;
    - a payment is credited through CreditPayments (checked against what we asked,
      pending → paid once), with the charge and the payer recorded; a Stars
      subscription's first charge is recorded on the customer's subscription;
    - a charge naming no payment of ours, or a second charge for a payment already
      paid, is money taken for nothing: flagged for staff, never credited.

    A batch is one transaction; each update gets the outcome it would have had
    alone.
    """

    def __init__(
        self, *, uow_factory: UnitOfWorkFactory, clock: Clock, credit: CreditPayments
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._credit = credit

    async def execute(self, batch: Sequence[StarsDelivery]) -> list[DeliveryOutcome]:
        async with self._uow_factory() as uow:
            receipts = await self._receive(uow, batch)
            await uow.commit()
        return [receipt.outcome for receipt in receipts]

    async def _receive(
        self, uow: UnitOfWork, batch: Sequence[StarsDelivery]
    ) -> list[Receipt[StarsDelivery]]:
        now = self._clock.now()
        receipts = [Receipt(delivery, _logged(delivery, now)) for delivery in batch]
        fresh = await claim_firsts(uow, receipts)
        named = {
            r.delivery.paid.payload: _named(r.delivery.paid.payload) for r in fresh
        }
        payments = await uow.payments.get_many(
            {payment_id for payment_id in named.values() if payment_id is not None}
        )
        charged: dict[UUID, str] = {}  # the charge each payment is paid by
        credits: list[tuple[Receipt[StarsDelivery], Payment]] = []
        for receipt in fresh:
            paid = receipt.delivery.paid
            payment_id = named[paid.payload]
            payment = None if payment_id is None else payments.get(payment_id)
            if payment is None:
                self._alert(uow, paid.payload, paid.charge_id, "no such payment")
                receipt.outcome = DeliveryOutcome.FLAGGED
                receipt.logged.error = "Stars paid for an unknown payment"
                continue
            earlier = charged.setdefault(
                payment.id,
                payment.telegram_charge_id
                if payment.status is PaymentStatus.PAID and payment.telegram_charge_id
                else paid.charge_id,
            )
            if earlier != paid.charge_id:
                reason = f"paid twice: a second charge {paid.charge_id}"
                await uow.payments.flag(payment.id, reason)
                self._alert(uow, str(payment.id), paid.charge_id, reason)
                receipt.outcome, receipt.logged.error = DeliveryOutcome.FLAGGED, reason
                continue
            credits.append((receipt, payment))
        results = await self._credit.execute(
            uow,
            [(payment, as_invoice(r.delivery.paid, now)) for r, payment in credits],
        )
        for (receipt, payment), result in zip(credits, results, strict=True):
            receipt.outcome = DELIVERY_OUTCOMES[result]
            if result is CreditOutcome.CREDITED and payment.auto_renew:
                paid = receipt.delivery.paid
                await uow.subscriptions.record_stars_renewal(
                    payment.account_id,
                    StarsRenewal(
                        charge_id=paid.charge_id,
                        payer_telegram_id=paid.payer_telegram_id,
                    ),
                )
        await log_outcomes(uow, fresh)
        return receipts

    def _alert(
        self, uow: UnitOfWork, payment_id: str, charge_id: str, reason: str
    ) -> None:
        alert_staff(uow, self._clock.now(), payment_id, charge_id, reason)


def alert_staff(
    uow: UnitOfWork, now: datetime, payment_id: str, charge_id: str, reason: str
) -> None:
    """Stars taken that were not credited: staff must look (refund, most likely)."""
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
            created_at=now,
        ),
    )


def _named(payload: str) -> UUID | None:
    try:
        return UUID(payload)
    except ValueError:
        return None


def as_invoice(paid: StarsPaid, now: datetime) -> ProviderInvoice:
    """What Telegram says was paid, as CreditPayments checks it."""
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


def _logged(delivery: StarsDelivery, now: datetime) -> WebhookDelivery:
    return WebhookDelivery(
        provider=TELEGRAM,
        received_at=now,
        outcome=DeliveryOutcome.PROCESSED,
        event=PAID_EVENT,
        dedupe_key=f"update:{delivery.update_id}",
        payload=delivery.logged,
    )
