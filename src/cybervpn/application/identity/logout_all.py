"""Ending every session of an account."""

from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin


class LogoutAll:
    """Revoke all sessions of the caller, this one included, on every device."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, *, account_id: UUID, origin: AuditOrigin) -> None:
        revoked = await self._uow.sessions.revoke_all(account_id, self._clock.now())
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.LOGOUT_ALL,
            origin=origin,
            actor_id=account_id,
            entity_id=account_id,
            after={"sessions_revoked": revoked},
        )
        await self._uow.commit()
