"""Staff retry a dead-lettered outbox message."""

from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.jobs.ports import JobDispatcher
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.account import Account
from cybervpn.domain.jobs.outbox import OutboxMessage, OutboxMessageNotFoundError


class RetryOutboxMessage:
    """Only a dead-lettered message is retried by hand; it gets a fresh set of
    attempts and is dispatched at once."""

    def __init__(
        self, *, uow: UnitOfWork, clock: Clock, dispatcher: JobDispatcher
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._dispatcher = dispatcher

    async def execute(
        self, *, actor: Account, message_id: UUID, origin: AuditOrigin
    ) -> OutboxMessage:
        if not await self._uow.outbox.requeue(message_id, now=self._clock.now()):
            raise OutboxMessageNotFoundError
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.OUTBOX_RETRIED,
            origin=origin,
            actor_id=actor.id,
            entity_type="outbox_message",
            entity_id=str(message_id),
        )
        await self._uow.commit()
        await self._dispatcher.dispatch([message_id])
        message = await self._uow.outbox.get(message_id)
        if message is None:
            raise OutboxMessageNotFoundError
        return message
