"""Sending messages through the Telegram Bot API."""

from cybervpn.domain.notifications.notification import DeliveryError
from cybervpn.infrastructure.telegram.bot_api import BotApi, BotApiError

# Bot API answers that retrying the same message cannot fix: a malformed request,
# a chat that blocked the bot or never started it, an unknown chat.
PERMANENT_STATUSES = frozenset({400, 403, 404})


class TelegramMessenger:
    def __init__(self, bot_api: BotApi) -> None:
        self._bot_api = bot_api

    async def send(self, chat_id: int, text: str) -> None:
        try:
            await self._bot_api.call(
                "sendMessage",
                {
                    "chat_id": chat_id,
                    "text": text,
                    "link_preview_options": {"is_disabled": True},
                },
            )
        except BotApiError as error:
            raise DeliveryError(
                str(error), permanent=error.status in PERMANENT_STATUSES
            ) from None
