"""Logging in with e-mail and password."""

from typing import NoReturn
from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import LoginOutcome
from cybervpn.application.identity.ports import ChallengeTokenService, PasswordHasher
from cybervpn.application.identity.session_issuer import SessionIssuer
from cybervpn.application.identity.sign_in import complete_sign_in
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
        uow: UnitOfWork,
        hasher: PasswordHasher,
        clock: Clock,
        sessions: SessionIssuer,
        challenges: ChallengeTokenService,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._sessions = sessions
        self._challenges = challenges

    async def execute(
        self, *, email: str, password: str, origin: AuditOrigin
    ) -> LoginOutcome:
        audit = AuditTrail(self._uow, self._clock)
        email = normalize_email(email)
        account = await self._uow.accounts.get_by_email(email)
        # End the read before hashing: a login flood must not hold one database
        # connection (or, on SQLite, the write lock) per password being checked.
        await self._uow.rollback()
        if account is None:
            await self._hasher.burn(password)
            await self._fail(audit, origin, None, {"email": email, "reason": "unknown"})
        check = await self._hasher.verify(account.password_hash, password)
        if not check.valid or not account.is_active:
            reason = "wrong_password" if not check.valid else "inactive"
            await self._fail(audit, origin, account.id, {"reason": reason})
        new_hash = await self._hasher.hash(password) if check.needs_rehash else None
        return await complete_sign_in(
            uow=self._uow,
            clock=self._clock,
            sessions=self._sessions,
            challenges=self._challenges,
            account=account,
            origin=origin,
            method="password",
            new_password_hash=new_hash,
        )

    async def _fail(
        self,
        audit: AuditTrail,
        origin: AuditOrigin,
        account_id: UUID | None,
        details: dict[str, object],
    ) -> NoReturn:
        await audit.record(
            AuditAction.LOGIN_FAILED,
            origin=origin,
            actor_id=None,
            entity_id=account_id,
            after=details,
        )
        await self._uow.commit()
        raise InvalidCredentialsError
