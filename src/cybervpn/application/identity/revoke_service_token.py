"""Revoking a service token."""

from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.errors import ServiceTokenNotFoundError


class RevokeServiceToken:
    """Business rule: revocation is at once and complete: the token stops working,
    and so does every customer session it started. Revoking twice is a no-op.
    Audited."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, *, actor: Account, token_id: UUID, origin: AuditOrigin
    ) -> None:
        token = await self._uow.service_tokens.get(token_id)
        if token is None:
            raise ServiceTokenNotFoundError
        if token.revoked_at is not None:
            return
        now = self._clock.now()
        token.revoked_at = now
        await self._uow.service_tokens.save(token)
        ended = await self._uow.sessions.revoke_started_by(token.id, now)
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.SERVICE_TOKEN_REVOKED,
            origin=origin,
            actor_id=actor.id,
            entity_type="service_token",
            entity_id=token.id,
            before=token.snapshot(),
            after={"sessions_ended": ended},
        )
        await self._uow.commit()
