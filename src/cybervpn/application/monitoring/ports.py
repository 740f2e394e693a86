"""What the live monitoring feed needs from the outside world."""

from typing import Protocol


class TicketStore(Protocol):
    """Short-lived, single-use tickets, kept only as digests."""

    async def issue(self, subject: str, ttl_seconds: int) -> str:
        """Store `subject` under a new random ticket for `ttl_seconds`; return it."""
        ...

    async def redeem(self, ticket: str) -> str | None:
        """Atomically take the ticket's subject: a second redeem finds nothing."""
        ...
