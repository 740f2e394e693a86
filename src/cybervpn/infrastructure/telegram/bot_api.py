"""The Telegram Bot API: `POST {api}/bot{token}/{method}` with a JSON body, answered
`{ok: true, result}` or `{ok: false, error_code, description, parameters}`. One client
for every method we call (messages, Stars invoices, refunds)."""

import asyncio
from typing import Any

import httpx

from cybervpn.infrastructure.request_id import send_request_id

# A 429 asks us to wait `retry_after` seconds. Waits up to this long are taken in
# place (once); a longer one is handed to the caller, to retry later.
MAX_INLINE_WAIT_SECONDS = 5


class BotApiError(Exception):
    """The Bot API refused a call, or could not be reached (`status` None). The
    message never contains the request URL, which holds the bot token."""

    def __init__(
        self,
        description: str,
        *,
        status: int | None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(description)
        self.description = description
        self.status = status
        self.retry_after = retry_after

    @property
    def unavailable(self) -> bool:
        """Telegram could not answer (no answer, 5xx, or a long 429): try later."""
        return self.status is None or self.status >= 500 or self.status == 429


class BotApi:
    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self._client = client
        self._prefix = f"/bot{token}/"

    async def call(self, method: str, payload: dict[str, Any]) -> Any:
        """The method's `result`; BotApiError when it is not `ok`."""
        response = await self._post(method, payload)
        body = _json(response)
        if response.status_code == 429:
            retry_after = _retry_after(body)
            if retry_after is not None and retry_after <= MAX_INLINE_WAIT_SECONDS:
                await asyncio.sleep(retry_after)
                response = await self._post(method, payload)
                body = _json(response)
        if response.status_code == 200 and body.get("ok") is True:
            return body.get("result")
        description = str(body.get("description") or "no description")[:300]
        raise BotApiError(
            f"Telegram answered {response.status_code}: {description}",
            status=response.status_code,
            retry_after=_retry_after(body),
        )

    async def _post(self, method: str, payload: dict[str, Any]) -> httpx.Response:
        try:
            return await self._client.post(self._prefix + method, json=payload)
        except httpx.HTTPError as error:
            # The error's text may hold the request URL, and so the token.
            raise BotApiError(
                f"Telegram unreachable ({type(error).__name__})", status=None
            ) from None


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _retry_after(body: dict[str, Any]) -> int | None:
    parameters = body.get("parameters")
    if not isinstance(parameters, dict):
        return None
    value = parameters.get("retry_after")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def bot_api_client(api_url: str, timeout_seconds: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=api_url,
        timeout=httpx.Timeout(timeout_seconds),
        limits=httpx.Limits(max_connections=10),
        transport=httpx.AsyncHTTPTransport(retries=2),
        event_hooks={"request": [send_request_id]},
    )
