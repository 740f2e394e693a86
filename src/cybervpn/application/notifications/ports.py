"""Where notification text goes."""

from dataclasses import dataclass
from typing import Protocol


class Messenger(Protocol):
    async def send(self, chat_id: int, text: str) -> None:
        """Raise DeliveryError; `permanent` when retrying cannot help."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Mail:
    to: str
    subject: str
    text: str
    # The same for every attempt, so a mail sent twice (accepted, then the job
    # retried) is one message to the mail system and the reader.
    message_id: str


class Mailer(Protocol):
    async def send(self, mail: Mail) -> None:
        """Raise DeliveryError; `permanent` when retrying cannot help."""
        ...


class SealedLinks(Protocol):
    """Opens a link token stored encrypted with the notification."""

    def decrypt(self, ciphertext: str) -> str: ...
