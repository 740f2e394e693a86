"""Running one outbox message."""

from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum
from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWorkFactory
from cybervpn.application.jobs.ports import OutboxHandler
from cybervpn.domain.jobs.outbox import ERROR_TEXT_LIMIT, OutboxStatus


class Outcome(StrEnum):
    DONE = "done"
    RETRY = "retry"
    DEAD = "dead"
    SKIPPED = "skipped"  # not due, already claimed, or already done


class ProcessOutboxMessage:
    """Claim (its own short transaction), then handle and mark done together. A
    failure rolls the handler back and schedules a retry or dead-letters the
    message; a crash leaves the claim to expire and the sweeper to release it."""

    def __init__(
        self,
        *,
        uow_factory: UnitOfWorkFactory,
        handlers: Mapping[str, OutboxHandler],
        clock: Clock,
        lease: timedelta,
    ) -> None:
        self._uow_factory = uow_factory
        self._handlers = handlers
        self._clock = clock
        self._lease = lease

    async def execute(self, message_id: UUID) -> Outcome:
        async with self._uow_factory() as uow:
            message = await uow.outbox.claim(
                message_id, now=self._clock.now(), lease=self._lease
            )
            await uow.commit()
        if message is None:
            return Outcome.SKIPPED
        handler = self._handlers.get(message.topic)
        try:
            if handler is None:
                raise LookupError(f"no handler for topic {message.topic!r}")
            async with self._uow_factory() as uow:
                await handler.handle(uow, message.payload, attempt=message.attempts)
                await uow.outbox.complete(message.id, now=self._clock.now())
                await uow.commit()
        except Exception as error:  # noqa: BLE001 - every failure is recorded
            reason = f"{type(error).__name__}: {error}"[:ERROR_TEXT_LIMIT]
            async with self._uow_factory() as uow:
                status = await uow.outbox.fail(
                    message, error=reason, now=self._clock.now()
                )
                if status is OutboxStatus.DEAD and handler is not None:
                    await handler.give_up(
                        uow, message.payload, error=reason, attempts=message.attempts
                    )
                await uow.commit()
            return Outcome.DEAD if status is OutboxStatus.DEAD else Outcome.RETRY
        return Outcome.DONE
