"""Auditing fleet changes. The panel holds the data, so the audit entry is written
after the panel accepted the change (a refused change leaves no entry)."""

from cybervpn.application.audit.trail import AuditTrail, plain
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.account import Account


class FleetAudit:
    """Records a fleet change in the audit log; the use case commits it."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def record(
        self,
        action: AuditAction,
        *,
        actor: Account,
        origin: AuditOrigin,
        entity_type: str,
        entity_id: object,
        after: dict[str, object] | None = None,
    ) -> None:
        await AuditTrail(self._uow, self._clock).record(
            action,
            origin=origin,
            actor_id=actor.id,
            entity_type=entity_type,
            entity_id=None if entity_id is None else str(entity_id),
            after=None if after is None else {k: plain(v) for k, v in after.items()},
        )
