"""The bot's session exchange: a customer access token for a Telegram user, so the
bot calls the ordinary customer API as that customer."""

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID, uuid4

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.identity_accounts import (
    open_account_with_identity,
)
from cybervpn.application.identity.ports import (
    AccessTokenService,
    IssuedAccessToken,
    OpaqueTokens,
)
from cybervpn.application.identity.proved_identity import refresh
from cybervpn.application.identity.telegram import TelegramUser
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.errors import (
    AccountDeactivatedError,
    AccountNotFoundError,
    InvalidServiceTokenError,
    SecondFactorAccountError,
    ServiceScopeMissingError,
    StaffAccountError,
)
from cybervpn.domain.identity.identity import IdentityProvider
from cybervpn.domain.identity.service_token import (
    SERVICE_TOKEN_PREFIX,
    ServiceScope,
    ServiceToken,
)
from cybervpn.domain.identity.session import AuthSession


@dataclass(frozen=True, slots=True)
class BotSession:
    access_token: str
    expires_in: int
    account_id: UUID
    created: bool


class IssueBotSession:
    """Business rules:
    - the caller is a live service token (unknown, expired and revoked look the
      same: 401) holding `telegram:sessions` (403 otherwise);
    - the Telegram user's account is found by its linked Telegram identity, or
      opened on first contact as a Telegram sign-in would open it;
    - never for staff (they sign in with password and 2FA), a deactivated account,
      or an account with 2FA (the service cannot give its second factor): 403;
    - the answer is an access token only (no refresh token), in a session that
      lives as long as the token and ends when the service token is revoked.
    """

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        tokens: OpaqueTokens,
        access_tokens: AccessTokenService,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._tokens = tokens
        self._access_tokens = access_tokens

    async def execute(
        self,
        *,
        service_secret: str,
        user: TelegramUser,
        referral_code: str | None,
        origin: AuditOrigin,
    ) -> BotSession:
        service = await self._authenticate(service_secret)
        identity = await self._uow.identities.find(
            IdentityProvider.TELEGRAM, str(user.id)
        )
        created = identity is None
        if identity is None:
            account, identity = await open_account_with_identity(
                self._uow,
                self._clock,
                user.proved(),
                origin=origin,
                method="service_token",
                referral_code=referral_code,
            )
        else:
            account = await self._account(identity.account_id)
            refresh(identity, user.proved(), now=self._clock.now())
            await self._uow.identities.save(identity)
        session_id, access = await self._start_session(account, service, origin)
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.BOT_SESSION_ISSUED,
            origin=origin,
            actor_id=None,
            entity_id=account.id,
            after={
                "service_token_id": service.id,
                "session_id": session_id,
                "created": created,
            },
        )
        await self._uow.commit()
        return BotSession(access.token, access.expires_in, account.id, created)

    async def _authenticate(self, secret: str) -> ServiceToken:
        if not secret.startswith(SERVICE_TOKEN_PREFIX):
            raise InvalidServiceTokenError
        found = await self._uow.service_tokens.find_by_digest(
            self._tokens.digest(secret)
        )
        now = self._clock.now()
        if found is None or not found.is_usable(now):
            raise InvalidServiceTokenError
        if ServiceScope.TELEGRAM_SESSIONS not in found.scopes:
            raise ServiceScopeMissingError
        found.last_used_at = now
        await self._uow.service_tokens.save(found)
        return found

    async def _account(self, account_id: UUID) -> Account:
        account = await self._uow.accounts.get(account_id)
        if account is None:
            raise AccountNotFoundError
        if account.role.is_staff:
            raise StaffAccountError
        if not account.is_active:
            raise AccountDeactivatedError
        if account.two_factor_enabled:
            raise SecondFactorAccountError
        return account

    async def _start_session(
        self, account: Account, service: ServiceToken, origin: AuditOrigin
    ) -> tuple[UUID, IssuedAccessToken]:
        now = self._clock.now()
        session_id = uuid4()
        access = self._access_tokens.issue(account.id, session_id)
        await self._uow.sessions.add(
            AuthSession(
                id=session_id,
                account_id=account.id,
                created_at=now,
                expires_at=now + timedelta(seconds=access.expires_in),
                ip=origin.ip,
                user_agent=f"service token: {service.name}",
                service_token_id=service.id,
            )
        )
        await self._uow.accounts.record_login(
            account.id, logged_in_at=now, password_hash=None
        )
        return session_id, access
