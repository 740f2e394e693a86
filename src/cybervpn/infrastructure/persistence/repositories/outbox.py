"""The outbox in SQL. Claims are compare-and-set updates, so two workers can never
both take a message, on PostgreSQL or SQLite."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.common.backlog import Backlog
from cybervpn.domain.jobs.outbox import (
    DEFAULT_MAX_ATTEMPTS,
    OutboxFilter,
    OutboxMessage,
    OutboxStatus,
    retry_delay,
)
from cybervpn.infrastructure.persistence.models.jobs import OutboxMessageModel
from cybervpn.infrastructure.persistence.repositories.pagination import paginate
from cybervpn.infrastructure.persistence.statements import table_of

M = OutboxMessageModel
_UNFINISHED_STATUSES = (
    OutboxStatus.PENDING,
    OutboxStatus.PROCESSING,
    OutboxStatus.DEAD,
)
_UNFINISHED = [status.value for status in _UNFINISHED_STATUSES]


def _to_entity(row: OutboxMessageModel) -> OutboxMessage:
    return OutboxMessage(
        id=row.id,
        topic=row.topic,
        payload=row.payload,
        status=OutboxStatus(row.status),
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        created_at=row.created_at,
        available_at=row.available_at,
        locked_until=row.locked_until,
        processed_at=row.processed_at,
        last_error=row.last_error,
    )


def _new_row(message: OutboxMessage) -> dict[str, object]:
    return {
        "id": message.id,
        "topic": message.topic,
        "payload": message.payload,
        "status": message.status.value,
        "attempts": message.attempts,
        "max_attempts": message.max_attempts,
        "created_at": message.created_at,
        "available_at": message.available_at,
        "locked_until": None,
        "processed_at": None,
        "last_error": None,
    }


def _rowcount(result: object) -> int:
    assert isinstance(result, CursorResult)  # noqa: S101 - an UPDATE's result
    return result.rowcount


class SqlOutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._added: list[UUID] = []

    def add(self, message: OutboxMessage) -> None:
        self._session.add(M(**_new_row(message)))
        self._added.append(message.id)

    async def add_all(self, messages: Sequence[OutboxMessage]) -> None:
        if not messages:
            return
        await self._session.execute(
            insert(table_of(M)), [_new_row(message) for message in messages]
        )
        self._added.extend(message.id for message in messages)

    def added_ids(self) -> Sequence[UUID]:
        added, self._added = self._added, []
        return added

    async def get(self, message_id: UUID) -> OutboxMessage | None:
        row = await self._session.get(M, message_id, populate_existing=True)
        return None if row is None else _to_entity(row)

    async def claim(
        self, message_id: UUID, *, now: datetime, lease: timedelta
    ) -> OutboxMessage | None:
        row = await self._session.scalar(
            update(M)
            .where(
                M.id == message_id,
                M.status == OutboxStatus.PENDING.value,
                M.available_at <= now,
            )
            .values(
                status=OutboxStatus.PROCESSING.value,
                attempts=M.attempts + 1,
                locked_until=now + lease,
            )
            .returning(M)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        return None if row is None else _to_entity(row)

    async def backlog(self) -> dict[OutboxStatus, Backlog]:
        # The status index reaches these rows without reading the done ones.
        rows = await self._session.execute(
            select(M.status, func.count(), func.min(M.created_at))
            .where(M.status.in_(_UNFINISHED))
            .group_by(M.status)
        )
        found = {
            OutboxStatus(status): Backlog(count, oldest)
            for status, count, oldest in rows
        }
        return {status: found.get(status, Backlog()) for status in _UNFINISHED_STATUSES}

    async def due_ids(self, *, now: datetime, limit: int) -> Sequence[UUID]:
        rows = await self._session.scalars(
            select(M.id)
            .where(M.status == OutboxStatus.PENDING.value, M.available_at <= now)
            .order_by(M.available_at)
            .limit(limit)
        )
        return list(rows)

    async def complete(self, message_id: UUID, *, now: datetime) -> None:
        await self._session.execute(
            update(M)
            .where(M.id == message_id)
            .values(
                status=OutboxStatus.DONE.value,
                processed_at=now,
                locked_until=None,
                last_error=None,
            )
            .execution_options(synchronize_session=False)
        )

    async def fail(
        self, message: OutboxMessage, *, error: str, now: datetime
    ) -> OutboxStatus:
        dead = message.attempts >= message.max_attempts
        status = OutboxStatus.DEAD if dead else OutboxStatus.PENDING
        await self._session.execute(
            update(M)
            .where(M.id == message.id, M.status == OutboxStatus.PROCESSING.value)
            .values(
                status=status.value,
                last_error=error,
                locked_until=None,
                available_at=now if dead else now + retry_delay(message.attempts),
                processed_at=now if dead else None,
            )
            .execution_options(synchronize_session=False)
        )
        return status

    async def release_expired(self, *, now: datetime) -> int:
        result = await self._session.execute(
            update(M)
            .where(M.status == OutboxStatus.PROCESSING.value, M.locked_until < now)
            .values(
                status=OutboxStatus.PENDING.value,
                locked_until=None,
                available_at=now,
                last_error="lease expired: the worker stopped mid-way",
            )
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result)

    async def requeue(self, message_id: UUID, *, now: datetime) -> bool:
        result = await self._session.execute(
            update(M)
            .where(M.id == message_id, M.status == OutboxStatus.DEAD.value)
            .values(
                status=OutboxStatus.PENDING.value,
                attempts=0,
                max_attempts=DEFAULT_MAX_ATTEMPTS,
                available_at=now,
                processed_at=None,
            )
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def bring_forward(self, message_id: UUID, *, now: datetime) -> bool:
        result = await self._session.execute(
            update(M)
            .where(M.id == message_id, M.status == OutboxStatus.PENDING.value)
            .values(available_at=now)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def list(
        self, outbox_filter: OutboxFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[OutboxMessage], int]:
        conditions: list[ColumnElement[bool]] = []
        if outbox_filter.unfinished:
            conditions.append(M.status != OutboxStatus.DONE.value)
        if outbox_filter.status is not None:
            conditions.append(M.status == outbox_filter.status.value)
        if outbox_filter.topic is not None:
            conditions.append(M.topic == outbox_filter.topic)
        return await paginate(
            self._session,
            M,
            conditions,
            newest_first=M.created_at,
            to_entity=_to_entity,
            limit=limit,
            offset=offset,
        )
