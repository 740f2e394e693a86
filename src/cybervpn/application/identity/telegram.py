"""What the identity use cases need to trust a Telegram sign-in."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class TelegramUser:
    """A Telegram user whose sign-in data Telegram signed for our bot."""

    id: int
    username: str | None = None
    first_name: str | None = None
    language_code: str | None = None
    # Mini App only: the `startapp` parameter (a referral code, say).
    start_param: str | None = None
    # Login Widget only: the data is accepted once; this names it.
    replay_key: str | None = None


class TelegramLoginVerifier(Protocol):
    def mini_app(self, init_data: str) -> TelegramUser:
        """The user of a Mini App's raw `initData`; TelegramAuthInvalidError when
        the signature, the key, the age or the shape does not hold."""
        ...

    def widget(self, fields: Mapping[str, str]) -> TelegramUser:
        """The user of the Login Widget's fields, as received."""
        ...


class ReplayGuard(Protocol):
    async def first_use(self, key: str, ttl_seconds: int) -> bool:
        """True the first time `key` is seen within `ttl_seconds`."""
        ...
