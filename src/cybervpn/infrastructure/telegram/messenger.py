"""Sending messages through the Telegram Bot API, or to the log in development."""

from dataclasses import dataclass

import httpx
import structlog

from cybervpn.application.notifications.ports import Messenger
from cybervpn.config import TelegramSettings
from cybervpn.domain.notifications.notification import DeliveryError
from cybervpn.infrastructure.request_id import send_request_id

log = structlog.get_logger("cybervpn.notifications")

# Bot API answers that retrying the same message cannot fix: a malformed request,
# a chat that blocked the bot or never started it, an unknown chat.
PERMANENT_STATUSES = frozenset({400, 403, 404})


class TelegramMessenger:
    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self._client = client
        self._path = f"/bot{token}/sendMessage"

    async def send(self, chat_id: int, text: str) -> None:
        try:
            response = await self._client.post(
                self._path,
                json={
                    "chat_id": chat_id,
                    "text": text,
                    "link_preview_options": {"is_disabled": True},
                },
            )
        except httpx.HTTPError as error:
            # The error text may contain the request URL, and so the token.
            raise DeliveryError(
                f"Telegram unreachable ({type(error).__name__})", permanent=False
            ) from None
        body = _json(response)
        if response.status_code == 200 and body.get("ok") is True:
            return
        description = str(body.get("description") or "no description")[:300]
        reason = f"Telegram answered {response.status_code}: {description}"
        raise DeliveryError(
            reason, permanent=response.status_code in PERMANENT_STATUSES
        )


def _json(response: httpx.Response) -> dict[str, object]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class LogMessenger:
    """Development: the message is written to the log instead of being sent."""

    async def send(self, chat_id: int, text: str) -> None:
        log.info("notification (log sink)", chat_id=chat_id, text=text)


@dataclass(slots=True)
class MessengerConnection:
    messenger: Messenger
    client: httpx.AsyncClient | None

    async def aclose(self) -> None:
        if self.client is not None:
            await self.client.aclose()


def connect_messenger(settings: TelegramSettings) -> MessengerConnection:
    if settings.bot_token is None:
        return MessengerConnection(LogMessenger(), None)
    client = httpx.AsyncClient(
        base_url=settings.api_url,
        timeout=httpx.Timeout(settings.timeout_seconds),
        limits=httpx.Limits(max_connections=10),
        transport=httpx.AsyncHTTPTransport(retries=2),
        event_hooks={"request": [send_request_id]},
    )
    token = settings.bot_token.get_secret_value()
    return MessengerConnection(TelegramMessenger(client, token), client)
