"""Login Widget data is accepted once: what remembers it, and the check."""

from typing import Protocol

from cybervpn.application.identity.telegram import TelegramUser
from cybervpn.domain.identity.errors import TelegramAuthInvalidError


class ReplayGuard(Protocol):
    async def first_use(self, key: str, ttl_seconds: int) -> bool:
        """True the first time `key` is seen within `ttl_seconds`."""
        ...


async def ensure_first_use(
    replays: ReplayGuard, user: TelegramUser, window_seconds: int
) -> None:
    """Login Widget data is accepted once, however fresh (Mini App data is not
    named: a Mini App may sign in with the same data while it is fresh)."""
    if user.replay_key is not None and not await replays.first_use(
        user.replay_key, window_seconds
    ):
        raise TelegramAuthInvalidError
