"""What the outbox processor needs from the rest of the system."""

from collections.abc import Sequence
from typing import Any, Protocol
from uuid import UUID

from cybervpn.application.common.uow import UnitOfWork


class OutboxHandler(Protocol):
    """Does the work of one topic. `handle` runs in the transaction that marks the
    message done, so its database effects happen exactly once."""

    async def handle(
        self, uow: UnitOfWork, payload: dict[str, Any], *, attempt: int
    ) -> None: ...

    async def give_up(
        self, uow: UnitOfWork, payload: dict[str, Any], *, error: str, attempts: int
    ) -> None:
        """Called in the transaction that dead-letters the message."""
        ...


class JobDispatcher(Protocol):
    async def dispatch(self, message_ids: Sequence[UUID]) -> None:
        """Hand committed messages to a worker now; the sweeper is the fallback."""
        ...
