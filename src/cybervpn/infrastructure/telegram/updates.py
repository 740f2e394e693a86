"""Telegram `Update` objects, read as billing needs them. Only the fields we use
are modelled; everything else in an update is ignored (Telegram adds fields)."""

import hmac
import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cybervpn.application.billing.telegram_updates import (
    PreCheckout,
    StarsPaid,
    TelegramUpdate,
)
from cybervpn.infrastructure.persistence.storable import is_storable

# setWebhook's secret_token comes back in this header with every update.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
Id = Annotated[int, Field(ge=0, le=2**63 - 1)]
Amount = Annotated[int, Field(ge=0, le=2**31 - 1)]
Text = Annotated[str, Field(max_length=256)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _User(_Model):
    id: Id


class _PreCheckoutQuery(_Model):
    id: Text
    from_: _User = Field(alias="from")
    currency: Text
    total_amount: Amount
    invoice_payload: Text


class _SuccessfulPayment(_Model):
    currency: Text
    total_amount: Amount
    invoice_payload: Text
    telegram_payment_charge_id: Annotated[str, Field(min_length=1, max_length=255)]
    is_recurring: bool = False


class _Message(_Model):
    from_: _User | None = Field(default=None, alias="from")
    successful_payment: _SuccessfulPayment | None = None


class _Update(_Model):
    update_id: Id
    pre_checkout_query: _PreCheckoutQuery | None = None
    message: _Message | None = None


def parse_update(body: bytes) -> TelegramUpdate | None:
    """The update; None when the body is not one (or cannot be stored)."""
    try:
        raw = json.loads(body)
        update = _Update.model_validate(raw)
    except (ValueError, RecursionError, ValidationError):
        return None  # RecursionError: JSON nested deeper than the parser goes
    if not isinstance(raw, dict) or not is_storable(raw):
        return None
    kind = next((key for key in raw if key != "update_id"), "empty")
    paid = _paid(update.message)
    if update.message is not None and update.message.successful_payment and not paid:
        return None  # a payment without its payer: not something Telegram sends
    return TelegramUpdate(
        update_id=update.update_id,
        kind=str(kind)[:64],
        pre_checkout=_pre_checkout(update.pre_checkout_query),
        paid=paid,
        logged=_logged(raw),
    )


def _pre_checkout(query: _PreCheckoutQuery | None) -> PreCheckout | None:
    if query is None:
        return None
    return PreCheckout(
        query_id=query.id,
        payer_telegram_id=query.from_.id,
        currency=query.currency,
        total_amount=query.total_amount,
        payload=query.invoice_payload,
    )


def _paid(message: _Message | None) -> StarsPaid | None:
    if message is None or message.successful_payment is None or message.from_ is None:
        return None
    payment = message.successful_payment
    return StarsPaid(
        payer_telegram_id=message.from_.id,
        currency=payment.currency,
        total_amount=payment.total_amount,
        payload=payment.invoice_payload,
        charge_id=payment.telegram_payment_charge_id,
        is_recurring=payment.is_recurring,
    )


def _logged(raw: dict[str, Any]) -> dict[str, Any]:
    """What the inbox keeps: the update, bounded (a message may carry a lot)."""
    text = json.dumps(raw)
    if len(text) <= 16_384:
        return raw
    return {"update_id": raw.get("update_id"), "truncated": True}


def is_authentic(expected: str | None, given: str | None) -> bool:
    """The update carries our webhook's secret token (compared in constant time)."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
