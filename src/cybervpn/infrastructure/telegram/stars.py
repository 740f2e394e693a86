"""Telegram Stars through the Bot API: invoice links and pre-checkout answers."""

from cybervpn.application.billing.ports import StarsInvoiceRequest
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

    async def _call(self, method: str, payload: dict[str, object]) -> object:
        try:
            return await self._bot_api.call(method, payload)
        except BotApiError as error:
            raise PaymentProviderUnavailableError(
                "Telegram payments unavailable"
            ) from error
