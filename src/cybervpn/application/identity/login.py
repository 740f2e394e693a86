"""Logging in with e-mail and password."""

from typing import NoReturn
from uuid import UUID

from cybervpn.application.audit.trail import audit_entry
from cybervpn.application.common.clock import Clock
from cybervpn.application.identity.dtos import LoginOutcome
from cybervpn.application.identity.ports import ChallengeTokenService, PasswordHasher
from cybervpn.application.identity.session_issuer import SessionTokens
from cybervpn.application.identity.sign_in import complete_sign_in
from cybervpn.application.identity.sign_in_store import SignInRecord, SignInStore
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.email import normalize_email
from cybervpn.domain.identity.errors import InvalidCredentialsError


class Login:
    """Password login.

    An unknown e-mail, a wrong password and a deactivated account fail alike, in
    message and in time (an unknown e-mail still costs one hash). Accounts with 2FA get
    a short-lived challenge instead of tokens. Hashes made with older parameters are
    upgraded on success. Every attempt is audited.
    """

    def __init__(
        self,
        *,
        store: SignInStore,
        hasher: PasswordHasher,
        clock: Clock,
        session_tokens: SessionTokens,
        challenges: ChallengeTokenService,
    ) -> None:
        self._store = store
        self._hasher = hasher
        self._clock = clock
        self._session_tokens = session_tokens
        self._challenges = challenges

    async def execute(
        self, *, email: str, password: str, origin: AuditOrigin
    ) -> LoginOutcome:
        email = normalize_email(email)
        account = await self._store.account_by_email(email)
        if account is None:
            await self._hasher.burn(password)
            await self._fail(origin, None, {"email": email, "reason": "unknown"})
        check = await self._hasher.verify(account.password_hash, password)
        if not check.valid or not account.is_active:
            reason = "wrong_password" if not check.valid else "inactive"
            await self._fail(origin, account.id, {"reason": reason})
        new_hash = await self._hasher.hash(password) if check.needs_rehash else None
        return await complete_sign_in(
            store=self._store,
            clock=self._clock,
            session_tokens=self._session_tokens,
            challenges=self._challenges,
            account=account,
            origin=origin,
            method="password",
            new_password_hash=new_hash,
        )

    async def _fail(
        self, origin: AuditOrigin, account_id: UUID | None, details: dict[str, object]
    ) -> NoReturn:
        await self._store.record(
            SignInRecord(
                audit=audit_entry(
                    self._clock,
                    AuditAction.LOGIN_FAILED,
                    origin=origin,
                    actor_id=None,
                    entity_id=account_id,
                    after=details,
                )
            )
        )
        raise InvalidCredentialsError
