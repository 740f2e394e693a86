"""The sandbox panel's webhooks: each event it causes is posted, signed exactly as
the panel signs (compact JSON in the panel's key order, HMAC-SHA256 hex)."""

import asyncio
import json
from typing import Any

import httpx
import structlog

from cybervpn.infrastructure.remnawave.webhook_signature import sign
from cybervpn.infrastructure.sandbox.remnawave.records import iso
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState

log = structlog.get_logger("cybervpn.sandbox")
WEBHOOK_PATH = "/api/v1/webhooks/remnawave"


def signed_delivery(
    secret: str, scope: str, event: str, timestamp: str, data: dict[str, Any]
) -> tuple[bytes, dict[str, str]]:
    payload: dict[str, Any] = {
        "scope": scope,
        "event": event,
        "timestamp": timestamp,
        "data": data,
    }
    if scope == "user":
        payload["meta"] = None
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Remnawave-Signature": sign(secret, body),
        "X-Remnawave-Timestamp": timestamp,
        "User-Agent": "Remnawave",
    }
    return body, headers


class SandboxWebhookEmitter:
    """Posts the sandbox's pending events in the background, after the request that
    caused them, as the panel's job processor does."""

    def __init__(
        self, state: PanelState, secret: str, client: httpx.AsyncClient
    ) -> None:
        self._state = state
        self._secret = secret
        self._client = client
        self._tasks: set[asyncio.Task[None]] = set()

    def schedule(self) -> None:
        task = asyncio.create_task(self.flush())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def flush(self) -> None:
        while self._state.unsent_webhooks:
            scope, event, data = self._state.unsent_webhooks.pop(0)
            body, headers = signed_delivery(
                self._secret, scope, event, iso(self._state.now()) or "", data
            )
            try:
                await self._client.post(WEBHOOK_PATH, content=body, headers=headers)
            except httpx.HTTPError as error:
                log.warning("sandbox webhook not delivered", error=type(error).__name__)

    async def drain(self) -> None:
        """Wait for every delivery scheduled so far, and for those they cause."""
        # Only the unfinished ones: a delivery that has just ended stays in the set
        # until the loop runs its done callback, and gathering only finished tasks
        # returns without yielding to the loop, so this would spin for ever.
        while unfinished := [task for task in self._tasks if not task.done()]:
            await asyncio.gather(*unfinished)

    async def aclose(self) -> None:
        await self.drain()
        await self._client.aclose()
