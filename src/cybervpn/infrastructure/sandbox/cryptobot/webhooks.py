"""The sandbox Crypto Pay's paid webhook, signed as Crypto Pay signs it."""

import json
from typing import Any

import httpx

from cybervpn.infrastructure.cryptobot.signature import sign

WEBHOOK_PATH = "/api/v1/webhooks/cryptobot"


def signed_update(token: str, update: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(update, separators=(",", ":")).encode()
    return body, {
        "Content-Type": "application/json",
        "crypto-pay-api-signature": sign(token, body),
    }


class SandboxPaymentWebhooks:
    def __init__(self, token: str, client: httpx.AsyncClient) -> None:
        self._token = token
        self._client = client

    async def send(self, update: dict[str, Any]) -> httpx.Response:
        body, headers = signed_update(self._token, update)
        return await self._client.post(WEBHOOK_PATH, content=body, headers=headers)

    async def aclose(self) -> None:
        await self._client.aclose()
