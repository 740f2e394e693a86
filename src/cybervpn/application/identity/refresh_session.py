"""Trading a refresh token for a new pair (rotation with reuse detection)."""

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import TokenPair
from cybervpn.application.identity.ports import OpaqueTokens
from cybervpn.application.identity.session_issuer import SessionIssuer
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.errors import InvalidTokenError


class RefreshSession:
    """Each refresh token works once and is replaced by the next of its family.

    Presenting a token that was already rotated means it leaked (or a client kept an
    old copy): the whole session is revoked, so both holders must log in again
    (RFC 9700 §4.14.2). Expired sessions and deactivated accounts cannot refresh.
    """

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        opaque_tokens: OpaqueTokens,
        sessions: SessionIssuer,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._opaque_tokens = opaque_tokens
        self._sessions = sessions

    async def execute(self, *, refresh_token: str, origin: AuditOrigin) -> TokenPair:
        now = self._clock.now()
        stored = await self._uow.refresh_tokens.get_by_hash(
            self._opaque_tokens.digest(refresh_token)
        )
        if stored is None:
            raise InvalidTokenError
        session = await self._uow.sessions.get(stored.session_id)
        if session is None or not session.is_usable(now) or stored.expires_at <= now:
            raise InvalidTokenError
        first_use = stored.used_at is None and await self._uow.refresh_tokens.mark_used(
            stored.id, now
        )
        if not first_use:
            await self._uow.sessions.revoke(session.id, now)
            await AuditTrail(self._uow, self._clock).record(
                AuditAction.REFRESH_REUSE_DETECTED,
                origin=origin,
                actor_id=None,
                entity_type="session",
                entity_id=session.id,
                after={"account_id": str(session.account_id)},
            )
            await self._uow.commit()
            raise InvalidTokenError
        account = await self._uow.accounts.get(session.account_id)
        if account is None or not account.is_active:
            raise InvalidTokenError
        tokens = await self._sessions.issue(session)
        await self._uow.commit()
        return tokens
