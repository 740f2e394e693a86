"""Staff run a stuck or failed provisioning job again."""

from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.jobs.ports import JobDispatcher
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.account import Account
from cybervpn.domain.jobs.outbox import OutboxMessage, OutboxMessageNotFoundError
from cybervpn.domain.subscriptions.subscription import PROVISION_TOPIC


class RetryProvisioning:
    """A failed (dead) job gets a fresh set of attempts; a job waiting out its
    backoff (the panel was down and is back) runs now. Either is dispatched at
    once and audited; a finished or unknown job answers 404."""

    def __init__(
        self, *, uow: UnitOfWork, clock: Clock, dispatcher: JobDispatcher
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._dispatcher = dispatcher

    async def execute(
        self, *, actor: Account, job_id: UUID, origin: AuditOrigin
    ) -> OutboxMessage:
        job = await self._uow.outbox.get(job_id)
        if job is None or job.topic != PROVISION_TOPIC:
            raise OutboxMessageNotFoundError
        now = self._clock.now()
        outbox = self._uow.outbox
        if not (
            await outbox.requeue(job_id, now=now)
            or await outbox.bring_forward(job_id, now=now)
        ):
            raise OutboxMessageNotFoundError
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.PROVISIONING_RETRIED,
            origin=origin,
            actor_id=actor.id,
            entity_type="outbox_message",
            entity_id=str(job_id),
        )
        await self._uow.commit()
        await self._dispatcher.dispatch([job_id])
        retried = await self._uow.outbox.get(job_id)
        if retried is None:  # pragma: no cover - rows are never deleted
            raise OutboxMessageNotFoundError
        return retried
