"""The sandbox Bot API paying a Stars invoice link as Telegram does: it sends the
pre-checkout query to our webhook, and only when we answer yes charges the payer
and sends the successful payment. Both carry the webhook's secret token."""

import secrets
import time
from dataclasses import dataclass
from typing import Any

import httpx

from cybervpn.infrastructure.sandbox.telegram.state import BotApiState, StarCharge
from cybervpn.infrastructure.telegram.updates import SECRET_HEADER

WEBHOOK_PATH = "/api/v1/webhooks/telegram"


@dataclass(frozen=True, slots=True)
class SandboxStarsPayment:
    approved: bool  # our answer to the pre-checkout query
    refusal: str | None
    charge_id: str | None
    webhook_status: int | None
    webhook_outcome: str | None


class SandboxTelegramUpdates:
    def __init__(
        self, state: BotApiState, secret: str, client: httpx.AsyncClient
    ) -> None:
        self._state = state
        self._secret = secret
        self._client = client

    async def pay(self, payload: str, payer_telegram_id: int) -> SandboxStarsPayment:
        """LookupError when no invoice link carries `payload`."""
        link = self._state.link_for_payload(payload)
        if link is None:
            raise LookupError(payload)
        payer = {"id": payer_telegram_id, "is_bot": False, "first_name": "Sandbox"}
        query_id = secrets.token_hex(8)
        await self.send(
            {
                "update_id": self._state.next_id(),
                "pre_checkout_query": {
                    "id": query_id,
                    "from": payer,
                    "currency": link.currency,
                    "total_amount": link.amount,
                    "invoice_payload": payload,
                },
            }
        )
        answer = self._state.pre_checkout_answers.get(query_id)
        if answer is None or not answer["ok"]:
            refusal = None if answer is None else answer["error_message"]
            return SandboxStarsPayment(False, refusal or "no answer", None, None, None)
        charge = self._state.charge(link, payer_telegram_id)
        response = await self.send(self.successful_payment(charge))
        outcome = response.json().get("status") if response.status_code == 200 else None
        return SandboxStarsPayment(
            True, None, charge.charge_id, response.status_code, outcome
        )

    def successful_payment(self, charge: StarCharge) -> dict[str, Any]:
        """The update Telegram sends for a charge (a first one, or a renewal)."""
        paid: dict[str, Any] = {
            "currency": "XTR",
            "total_amount": charge.amount,
            "invoice_payload": charge.payload,
            "telegram_payment_charge_id": charge.charge_id,
            "provider_payment_charge_id": "",
        }
        if charge.subscription_period:
            paid["subscription_expiration_date"] = (
                charge.date + charge.subscription_period
            )
            first = charge is self._first_of(charge.payload)
            paid["is_recurring"] = not first
            paid["is_first_recurring"] = first
        user = {"id": charge.user_id, "is_bot": False, "first_name": "Sandbox"}
        return {
            "update_id": self._state.next_id(),
            "message": {
                "message_id": self._state.next_id(),
                "date": int(time.time()),
                "chat": {"id": charge.user_id, "type": "private"},
                "from": user,
                "successful_payment": paid,
            },
        }

    async def send(self, update: dict[str, Any]) -> httpx.Response:
        return await self._client.post(
            WEBHOOK_PATH, json=update, headers={SECRET_HEADER: self._secret}
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    def _first_of(self, payload: str) -> StarCharge | None:
        return next((c for c in self._state.charges if c.payload == payload), None)
