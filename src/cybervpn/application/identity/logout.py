"""Ending one login session."""

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.ports import OpaqueTokens
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin


class Logout:
    """Revoke the session a refresh token belongs to, with its access tokens.

    Holding the refresh token is proof enough, so a client whose access token has
    expired can still log out. Unknown tokens are accepted silently (idempotent).
    """

    def __init__(
        self, *, uow: UnitOfWork, clock: Clock, opaque_tokens: OpaqueTokens
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._opaque_tokens = opaque_tokens

    async def execute(self, *, refresh_token: str, origin: AuditOrigin) -> None:
        stored = await self._uow.refresh_tokens.get_by_hash(
            self._opaque_tokens.digest(refresh_token)
        )
        if stored is None:
            return
        session = await self._uow.sessions.get(stored.session_id)
        if session is None or session.revoked_at is not None:
            return
        await self._uow.sessions.revoke(session.id, self._clock.now())
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.LOGOUT,
            origin=origin,
            actor_id=session.account_id,
            entity_type="session",
            entity_id=session.id,
        )
        await self._uow.commit()
