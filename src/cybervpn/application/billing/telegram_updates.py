"""Telegram updates as billing reads them: a pre-checkout query, a successful
Stars payment, or anything else (logged and ignored)."""

from dataclasses import dataclass
from typing import Any

TELEGRAM = "telegram"  # the webhook inbox's name for Telegram's deliveries


@dataclass(frozen=True, slots=True, kw_only=True)
class PreCheckout:
    query_id: str
    payer_telegram_id: int
    currency: str
    total_amount: int
    payload: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StarsPaid:
    payer_telegram_id: int
    currency: str
    total_amount: int
    payload: str
    charge_id: str  # telegram_payment_charge_id
    is_recurring: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class TelegramUpdate:
    update_id: int
    kind: str  # the update's field: "pre_checkout_query", "message", ...
    pre_checkout: PreCheckout | None = None
    paid: StarsPaid | None = None
    logged: dict[str, Any] | None = None  # what the webhook inbox keeps
