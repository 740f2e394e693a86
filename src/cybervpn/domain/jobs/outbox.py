"""The transactional outbox: work that must happen because of a committed change.

A message is written in the same transaction as the change that causes it, so the
work is never lost and never done for a change that was rolled back. A processor
claims it with a lease, runs its handler, and marks it done in the handler's own
transaction. A failure retries with exponential backoff; after `max_attempts` it is
dead-lettered for staff. A claim whose lease ran out (the process died mid-way) is
released by the sweeper and runs again.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID, uuid4

from cybervpn.domain.common.backlog import Backlog
from cybervpn.domain.common.errors import NotFoundError

DEFAULT_MAX_ATTEMPTS = 8
FIRST_RETRY_DELAY = timedelta(seconds=5)
MAX_RETRY_DELAY = timedelta(hours=1)
ERROR_TEXT_LIMIT = 1000


class OutboxMessageNotFoundError(NotFoundError):
    code = "outbox_message_not_found"
    default_message = "Outbox message not found, or not dead-lettered"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    DONE = "done"
    DEAD = "dead"


def retry_delay(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s, ... capped at an hour."""
    exponent = min(max(attempts - 1, 0), 20)  # capped before it could overflow
    return min(FIRST_RETRY_DELAY * (1 << exponent), MAX_RETRY_DELAY)


@dataclass(slots=True, kw_only=True)
class OutboxMessage:
    topic: str
    payload: dict[str, Any]
    created_at: datetime
    available_at: datetime
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    locked_until: datetime | None = None
    last_error: str | None = None
    processed_at: datetime | None = None
    id: UUID = field(default_factory=uuid4)

    @classmethod
    def new(
        cls,
        topic: str,
        payload: dict[str, Any],
        *,
        now: datetime,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> "OutboxMessage":
        return cls(
            topic=topic,
            payload=payload,
            created_at=now,
            available_at=now,
            max_attempts=max_attempts,
        )


@dataclass(frozen=True, slots=True)
class OutboxFilter:
    status: OutboxStatus | None = None
    topic: str | None = None
    unfinished: bool = False  # everything but done


class OutboxRepository(Protocol):
    def add(self, message: OutboxMessage) -> None:
        """Part of the caller's transaction; dispatched once it commits."""
        ...

    async def add_all(self, messages: Sequence[OutboxMessage]) -> None:
        """`add` for many, written at once (one statement)."""
        ...

    async def get(self, message_id: UUID) -> OutboxMessage | None: ...

    async def claim(
        self, message_id: UUID, *, now: datetime, lease: timedelta
    ) -> OutboxMessage | None:
        """Take a due pending message (compare-and-set); None if it is not ours."""
        ...

    async def due_ids(self, *, now: datetime, limit: int) -> Sequence[UUID]: ...

    async def complete(self, message_id: UUID, *, now: datetime) -> None: ...

    async def fail(
        self, message: OutboxMessage, *, error: str, now: datetime
    ) -> OutboxStatus:
        """Back to pending after the backoff, or dead after the last attempt."""
        ...

    async def release_expired(self, *, now: datetime) -> int:
        """Processing messages whose lease ran out go back to pending."""
        ...

    async def requeue(self, message_id: UUID, *, now: datetime) -> bool:
        """A dead message gets a fresh set of attempts (staff retry)."""
        ...

    async def bring_forward(self, message_id: UUID, *, now: datetime) -> bool:
        """A pending message waiting out its backoff becomes due now."""
        ...

    async def list(
        self, outbox_filter: OutboxFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[OutboxMessage], int]: ...

    async def backlog(self) -> dict[OutboxStatus, Backlog]:
        """Unfinished messages (pending, processing, dead) by status: how many, and
        the creation time of the oldest."""
        ...

    def added_ids(self) -> Sequence[UUID]:
        """Messages added in this transaction, to dispatch after the commit."""
        ...
