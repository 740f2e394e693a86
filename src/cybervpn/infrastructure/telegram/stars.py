"""Telegram Stars through the Bot API: invoice links and pre-checkout answers."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from cybervpn.application.billing.ports import StarsCharge, StarsInvoiceRequest
from cybervpn.domain.billing.payment import (
    CURRENCY_STARS,
    PaymentProviderUnavailableError,
)
from cybervpn.infrastructure.telegram.bot_api import BotApi, BotApiError


class TelegramStars:
    def __init__(self, bot_api: BotApi) -> None:
        self._bot_api = bot_api

    async def create_invoice_link(self, request: StarsInvoiceRequest) -> str:
        link = await self._call(
            "createInvoiceLink",
            {
                "title": request.title,
                "description": request.description,
                "payload": request.payload,
                "currency": CURRENCY_STARS,
                "provider_token": "",  # Stars take none
                "prices": [{"label": request.title, "amount": request.amount}],
                **(
                    {"subscription_period": request.subscription_period_seconds}
                    if request.subscription_period_seconds
                    else {}
                ),
            },
        )
        if not isinstance(link, str) or not link:
            raise PaymentProviderUnavailableError
        return link

    async def answer_pre_checkout(
        self, query_id: str, *, ok: bool, error_message: str | None = None
    ) -> None:
        answer: dict[str, object] = {"pre_checkout_query_id": query_id, "ok": ok}
        if not ok:
            answer["error_message"] = error_message or "This order cannot be paid"
        await self._call("answerPreCheckoutQuery", answer)

    async def charges(
        self, *, offset: int, limit: int
    ) -> tuple[Sequence[StarsCharge], int]:
        result = await self._call(
            "getStarTransactions", {"offset": offset, "limit": limit}
        )
        listed = result.get("transactions") if isinstance(result, dict) else None
        if not isinstance(listed, list):
            raise PaymentProviderUnavailableError
        return [c for c in map(_incoming, listed) if c is not None], len(listed)

    async def refund(self, *, payer_telegram_id: int, charge_id: str) -> None:
        try:
            await self._bot_api.call(
                "refundStarPayment",
                {"user_id": payer_telegram_id, "telegram_payment_charge_id": charge_id},
            )
        except BotApiError as error:
            if "CHARGE_ALREADY_REFUNDED" in error.description:
                return  # refunded before (our record of it was lost): done
            raise PaymentProviderUnavailableError(
                "Telegram payments unavailable"
            ) from error

    async def set_renewal(
        self, *, payer_telegram_id: int, charge_id: str, enabled: bool
    ) -> None:
        await self._call(
            "editUserStarSubscription",
            {
                "user_id": payer_telegram_id,
                "telegram_payment_charge_id": charge_id,
                "is_canceled": not enabled,
            },
        )

    async def _call(self, method: str, payload: dict[str, object]) -> object:
        try:
            return await self._bot_api.call(method, payload)
        except BotApiError as error:
            raise PaymentProviderUnavailableError(
                "Telegram payments unavailable"
            ) from error


def _incoming(transaction: Any) -> StarsCharge | None:
    """A user's payment to the bot; None for anything else (a refund has a
    `receiver`, not a `source`)."""
    if not isinstance(transaction, dict):
        return None
    source = transaction.get("source")
    if not isinstance(source, dict) or source.get("type") != "user":
        return None
    user = source.get("user")
    payload = source.get("invoice_payload")
    charge_id, amount, date = (
        transaction.get("id"),
        transaction.get("amount"),
        transaction.get("date"),
    )
    if not (
        isinstance(user, dict)
        and isinstance(user.get("id"), int)
        and isinstance(payload, str)
        and isinstance(charge_id, str)
        and isinstance(amount, int)
        and isinstance(date, int)
    ):
        return None
    return StarsCharge(
        charge_id=charge_id,
        amount=amount,
        paid_at=datetime.fromtimestamp(date, UTC),
        payer_telegram_id=user["id"],
        payload=payload,
    )
