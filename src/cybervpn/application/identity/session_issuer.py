"""Starting and rotating login sessions, shared by every way of logging in."""

from dataclasses import dataclass
from uuid import uuid4

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import SessionPolicy, TokenPair
from cybervpn.application.identity.ports import AccessTokenService, OpaqueTokens
from cybervpn.domain.audit.entry import AuditOrigin
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.session import AuthSession, RefreshToken


@dataclass(frozen=True, slots=True)
class NewSession:
    """A session not yet stored, its first refresh token, and the tokens for the
    caller."""

    session: AuthSession
    refresh_token: RefreshToken
    tokens: TokenPair


class SessionTokens:
    """Makes sessions and their tokens; storing them is the caller's."""

    def __init__(
        self,
        *,
        clock: Clock,
        access_tokens: AccessTokenService,
        opaque_tokens: OpaqueTokens,
        policy: SessionPolicy,
    ) -> None:
        self._clock = clock
        self._access_tokens = access_tokens
        self._opaque_tokens = opaque_tokens
        self._policy = policy

    def open(self, account: Account, origin: AuditOrigin) -> NewSession:
        """A new session (refresh-token family) with its first pair of tokens."""
        now = self._clock.now()
        session = AuthSession.start(
            account_id=account.id,
            now=now,
            expires_at=now + self._policy.session_max_age,
            ip=origin.ip,
            user_agent=origin.user_agent,
        )
        refresh_token, tokens = self.next(session)
        return NewSession(session, refresh_token, tokens)

    def next(self, session: AuthSession) -> tuple[RefreshToken, TokenPair]:
        """A fresh access token and the next refresh token of the session's family
        (valid no longer than the session)."""
        now = self._clock.now()
        raw_refresh = self._opaque_tokens.new_refresh_token()
        refresh_token = RefreshToken(
            id=uuid4(),
            session_id=session.id,
            token_hash=self._opaque_tokens.digest(raw_refresh),
            issued_at=now,
            expires_at=min(now + self._policy.refresh_token_ttl, session.expires_at),
        )
        access = self._access_tokens.issue(session.account_id, session.id)
        tokens = TokenPair(
            access_token=access.token,
            refresh_token=raw_refresh,
            expires_in=access.expires_in,
        )
        return refresh_token, tokens


class SessionIssuer:
    """`SessionTokens`, stored in the unit of work."""

    def __init__(self, *, uow: UnitOfWork, tokens: SessionTokens) -> None:
        self._uow = uow
        self._tokens = tokens

    async def start(self, account: Account, origin: AuditOrigin) -> TokenPair:
        new = self._tokens.open(account, origin)
        await self._uow.sessions.add(new.session)
        await self._uow.refresh_tokens.add(new.refresh_token)
        return new.tokens

    async def issue(self, session: AuthSession) -> TokenPair:
        refresh_token, tokens = self._tokens.next(session)
        await self._uow.refresh_tokens.add(refresh_token)
        return tokens
