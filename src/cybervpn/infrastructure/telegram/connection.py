"""The Bot API connection: Telegram itself, or without a bot token (development)
the sandbox Bot API in this process, signing with the development token."""

import secrets
from dataclasses import dataclass

import httpx

from cybervpn.config import TelegramSettings
from cybervpn.infrastructure.sandbox.telegram.app import create_sandbox_bot_api
from cybervpn.infrastructure.sandbox.telegram.state import BotApiState
from cybervpn.infrastructure.telegram.bot_api import BotApi, bot_api_client
from cybervpn.infrastructure.telegram.messenger import TelegramMessenger


@dataclass(slots=True)
class TelegramConnection:
    bot_api: BotApi
    messenger: TelegramMessenger
    client: httpx.AsyncClient
    # The sandbox's state when there is no bot token (development, tests).
    sandbox: BotApiState | None

    async def aclose(self) -> None:
        await self.client.aclose()


def development_bot_token() -> str:
    """A token made up for one process: what the sandbox answers to and signs
    development sign-in data with."""
    return f"0:development-{secrets.token_urlsafe(24)}"


def connect_telegram(
    settings: TelegramSettings, *, sandbox_token: str
) -> TelegramConnection:
    """`sandbox_token` is the token the sandbox answers to (the one development
    sign-in data is signed with); unused with a real bot token."""
    sandbox: BotApiState | None = None
    if settings.bot_token is not None:
        token = settings.bot_token.get_secret_value()
        client = bot_api_client(settings.api_url, settings.timeout_seconds)
    else:
        token = sandbox_token
        sandbox = BotApiState()
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(
                app=create_sandbox_bot_api(sandbox, token=token)
            ),
            base_url="http://telegram.sandbox",
        )
    bot_api = BotApi(client, token)
    return TelegramConnection(bot_api, TelegramMessenger(bot_api), client, sandbox)
