"""Starting and rotating login sessions, shared by every way of logging in."""

from uuid import uuid4

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import SessionPolicy, TokenPair
from cybervpn.application.identity.ports import AccessTokenService, OpaqueTokens
from cybervpn.domain.audit.entry import AuditOrigin
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.session import AuthSession, RefreshToken


class SessionIssuer:
    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        access_tokens: AccessTokenService,
        opaque_tokens: OpaqueTokens,
        policy: SessionPolicy,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._access_tokens = access_tokens
        self._opaque_tokens = opaque_tokens
        self._policy = policy

    async def start(self, account: Account, origin: AuditOrigin) -> TokenPair:
        """A new session (refresh-token family) with its first pair of tokens."""
        now = self._clock.now()
        session = AuthSession.start(
            account_id=account.id,
            now=now,
            expires_at=now + self._policy.session_max_age,
            ip=origin.ip,
            user_agent=origin.user_agent,
        )
        await self._uow.sessions.add(session)
        return await self.issue(session)

    async def issue(self, session: AuthSession) -> TokenPair:
        """A fresh access token and the next refresh token of the session's family."""
        now = self._clock.now()
        raw_refresh = self._opaque_tokens.new_refresh_token()
        await self._uow.refresh_tokens.add(
            RefreshToken(
                id=uuid4(),
                session_id=session.id,
                token_hash=self._opaque_tokens.digest(raw_refresh),
                issued_at=now,
                expires_at=min(
                    now + self._policy.refresh_token_ttl, session.expires_at
                ),
            )
        )
        access = self._access_tokens.issue(session.account_id, session.id)
        return TokenPair(
            access_token=access.token,
            refresh_token=raw_refresh,
            expires_in=access.expires_in,
        )
