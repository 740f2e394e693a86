"""The sandbox Bot API's world, in memory: invoice links, Stars payments and
refunds, subscription renewals, pre-checkout answers and the messages sent."""

import itertools
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import structlog

log = structlog.get_logger("cybervpn.sandbox.telegram")

INVOICE_LINK_PREFIX = "https://t.me/$sandbox-"
SUBSCRIPTION_PERIOD = 2_592_000  # the only period Telegram allows: 30 days
MAX_SUBSCRIPTION_STARS = 10_000


class BotApiRefusal(Exception):
    """What Telegram answers `{ok: false, error_code, description}` for."""

    def __init__(self, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.description = description
        self.status = status


@dataclass(slots=True, kw_only=True)
class InvoiceLink:
    slug: str
    title: str
    description: str
    payload: str
    currency: str
    amount: int
    subscription_period: int | None

    @property
    def url(self) -> str:
        return INVOICE_LINK_PREFIX + self.slug


@dataclass(slots=True, kw_only=True)
class StarCharge:
    """A successful Stars payment: what getStarTransactions lists."""

    charge_id: str
    user_id: int
    payload: str
    amount: int
    date: int
    subscription_period: int | None = None
    subscription_canceled: bool = False
    refunded: bool = False


@dataclass(slots=True)
class BotApiState:
    links: dict[str, InvoiceLink] = field(default_factory=dict)
    charges: list[StarCharge] = field(default_factory=list)
    refunds: list[str] = field(default_factory=list)
    pre_checkout_answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: list[tuple[int, str]] = field(default_factory=list)
    outage: bool = False  # tests: every call answers 502 while set
    failing_methods: set[str] = field(default_factory=set)  # tests: these 502
    _ids: Iterator[int] = field(
        default_factory=lambda: itertools.count(int(time.time()))
    )

    def next_id(self) -> int:
        return next(self._ids)

    def create_invoice_link(self, params: dict[str, Any]) -> str:
        title = _text(params, "title", 1, 32)
        description = _text(params, "description", 1, 255)
        payload = _text(params, "payload", 1, 128)
        if params.get("currency") != "XTR":
            raise BotApiRefusal("Bad Request: only XTR invoices are sandboxed")
        if params.get("provider_token") not in (None, ""):
            raise BotApiRefusal("Bad Request: provider_token must be empty for XTR")
        prices = params.get("prices")
        if not isinstance(prices, list) or len(prices) != 1:
            raise BotApiRefusal("Bad Request: XTR invoices take exactly one price")
        amount = prices[0].get("amount") if isinstance(prices[0], dict) else None
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
            raise BotApiRefusal("Bad Request: CURRENCY_TOTAL_AMOUNT_INVALID")
        period = params.get("subscription_period")
        if period is not None and (
            period != SUBSCRIPTION_PERIOD or amount > MAX_SUBSCRIPTION_STARS
        ):
            raise BotApiRefusal("Bad Request: SUBSCRIPTION_PERIOD_INVALID")
        link = InvoiceLink(
            slug=secrets.token_urlsafe(12),
            title=title,
            description=description,
            payload=payload,
            currency="XTR",
            amount=amount,
            subscription_period=period,
        )
        self.links[link.slug] = link
        return link.url

    def link_for_payload(self, payload: str) -> InvoiceLink | None:
        return next((k for k in self.links.values() if k.payload == payload), None)

    def answer_pre_checkout(self, params: dict[str, Any]) -> bool:
        query_id = params.get("pre_checkout_query_id")
        if not isinstance(query_id, str) or not isinstance(params.get("ok"), bool):
            raise BotApiRefusal("Bad Request: QUERY_ID_INVALID")
        if not params["ok"] and not params.get("error_message"):
            raise BotApiRefusal("Bad Request: error_message is required")
        self.pre_checkout_answers[query_id] = {
            "ok": params["ok"],
            "error_message": params.get("error_message"),
        }
        return True

    def charge(self, link: InvoiceLink, user_id: int) -> StarCharge:
        charge = StarCharge(
            charge_id=f"stxSandbox{secrets.token_hex(12)}",
            user_id=user_id,
            payload=link.payload,
            amount=link.amount,
            date=int(time.time()),
            subscription_period=link.subscription_period,
        )
        self.charges.append(charge)
        return charge

    def renew(self, charge: StarCharge) -> StarCharge:
        """The subscription's next month, charged as Telegram does: a new charge
        with the same payload."""
        if charge.subscription_period is None or charge.subscription_canceled:
            raise BotApiRefusal("Bad Request: subscription is not active")
        renewal = StarCharge(
            charge_id=f"stxSandbox{secrets.token_hex(12)}",
            user_id=charge.user_id,
            payload=charge.payload,
            amount=charge.amount,
            date=int(time.time()),
            subscription_period=charge.subscription_period,
        )
        self.charges.append(renewal)
        return renewal

    def refund(self, params: dict[str, Any]) -> bool:
        charge = self._charge(params)
        if charge.refunded:
            raise BotApiRefusal("Bad Request: CHARGE_ALREADY_REFUNDED")
        charge.refunded = True
        self.refunds.append(charge.charge_id)
        return True

    def edit_subscription(self, params: dict[str, Any]) -> bool:
        charge = self._charge(params)
        if charge.subscription_period is None:
            raise BotApiRefusal("Bad Request: not a subscription charge")
        if not isinstance(params.get("is_canceled"), bool):
            raise BotApiRefusal("Bad Request: is_canceled is required")
        charge.subscription_canceled = params["is_canceled"]
        return True

    def transactions(self, params: dict[str, Any]) -> dict[str, Any]:
        offset = params.get("offset", 0)
        limit = params.get("limit", 100)
        if not isinstance(offset, int) or not isinstance(limit, int):
            raise BotApiRefusal("Bad Request: offset and limit are integers")
        if not 1 <= limit <= 100 or offset < 0:
            raise BotApiRefusal("Bad Request: limit must be 1-100")
        newest_first = list(reversed(self._transactions()))
        return {"transactions": newest_first[offset : offset + limit]}

    def send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, text = params.get("chat_id"), params.get("text")
        if not isinstance(chat_id, int) or not isinstance(text, str) or not text:
            raise BotApiRefusal("Bad Request: chat_id and text are required")
        self.messages.append((chat_id, text))
        log.info("notification (sandbox Telegram)", chat_id=chat_id, text=text)
        return {"message_id": len(self.messages), "chat": {"id": chat_id}}

    def _charge(self, params: dict[str, Any]) -> StarCharge:
        wanted = params.get("telegram_payment_charge_id")
        for charge in self.charges:
            if charge.charge_id == wanted and charge.user_id == params.get("user_id"):
                return charge
        raise BotApiRefusal("Bad Request: CHARGE_NOT_FOUND")

    def _transactions(self) -> list[dict[str, Any]]:
        """Incoming payments, and an outgoing entry for each refund."""
        listed: list[dict[str, Any]] = []
        for charge in self.charges:
            source: dict[str, Any] = {
                "type": "user",
                "user": {
                    "id": charge.user_id,
                    "is_bot": False,
                    "first_name": "Sandbox",
                },
                "invoice_payload": charge.payload,
            }
            if charge.subscription_period:
                source["subscription_period"] = charge.subscription_period
            listed.append(
                {
                    "id": charge.charge_id,
                    "amount": charge.amount,
                    "date": charge.date,
                    "source": source,
                }
            )
            if charge.refunded:
                listed.append(
                    {
                        "id": charge.charge_id,
                        "amount": charge.amount,
                        "date": charge.date,
                        "receiver": {"type": "user", "user": source["user"]},
                    }
                )
        return listed


def _text(params: dict[str, Any], name: str, low: int, high: int) -> str:
    value = params.get(name)
    size = len(value.encode()) if name == "payload" and isinstance(value, str) else None
    length = size if size is not None else len(value) if isinstance(value, str) else 0
    if not isinstance(value, str) or not low <= length <= high:
        raise BotApiRefusal(f"Bad Request: {name} must be {low}-{high} characters")
    return value
