"""Where notification text goes."""

from typing import Protocol


class Messenger(Protocol):
    async def send(self, chat_id: int, text: str) -> None:
        """Raise DeliveryError; `permanent` when retrying cannot help."""
        ...
