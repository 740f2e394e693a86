"""The second step of a login for accounts with two-factor authentication."""

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import TokenPair
from cybervpn.application.identity.ports import ChallengeTokenService
from cybervpn.application.identity.second_factor import (
    SecondFactor,
    SecondFactorVerifier,
)
from cybervpn.application.identity.session_issuer import SessionIssuer
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.errors import (
    InvalidCredentialsError,
    InvalidTwoFactorCodeError,
)


class CompleteTwoFactorLogin:
    """Trade a password-step challenge and a second factor for tokens.

    The code is a current TOTP code (each time step usable once) or an unused backup
    code (each usable once). Failures are audited and committed before refusing.
    """

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        challenges: ChallengeTokenService,
        second_factor: SecondFactorVerifier,
        sessions: SessionIssuer,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._challenges = challenges
        self._second_factor = second_factor
        self._sessions = sessions

    async def execute(
        self, *, challenge_token: str, code: str, origin: AuditOrigin
    ) -> TokenPair:
        account_id = self._challenges.verify(challenge_token)
        account = await self._uow.accounts.get(account_id)
        if account is None or not account.is_active:
            raise InvalidCredentialsError
        audit = AuditTrail(self._uow, self._clock)
        factor = await self._second_factor.verify(account.id, code)
        if factor is None:
            await audit.record(
                AuditAction.TWO_FACTOR_LOGIN_FAILED,
                origin=origin,
                actor_id=None,
                entity_id=account.id,
            )
            await self._uow.commit()
            raise InvalidTwoFactorCodeError
        if factor is SecondFactor.BACKUP_CODE:
            await audit.record(
                AuditAction.BACKUP_CODE_USED,
                origin=origin,
                actor_id=account.id,
                entity_id=account.id,
            )
        account.last_login_at = self._clock.now()
        await self._uow.accounts.update(account)
        tokens = await self._sessions.start(account, origin)
        await audit.record(
            AuditAction.LOGIN_SUCCEEDED,
            origin=origin,
            actor_id=account.id,
            entity_id=account.id,
            after={"method": factor.value},
        )
        await self._uow.commit()
        return tokens
