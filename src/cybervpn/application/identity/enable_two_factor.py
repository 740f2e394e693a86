"""Finishing two-factor enrolment."""

from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.second_factor import SecondFactorVerifier
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.errors import (
    AccountNotFoundError,
    InvalidTwoFactorCodeError,
    TwoFactorAlreadyEnabledError,
    TwoFactorSetupMissingError,
)
from cybervpn.domain.identity.two_factor import BACKUP_CODE_COUNT


class EnableTwoFactor:
    """A first valid code from the authenticator turns 2FA on.

    Returns ten single-use backup codes, shown this once and stored only as digests.
    """

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        second_factor: SecondFactorVerifier,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._second_factor = second_factor

    async def execute(
        self, *, account_id: UUID, code: str, origin: AuditOrigin
    ) -> list[str]:
        account = await self._uow.accounts.get(account_id)
        if account is None:
            raise AccountNotFoundError
        if account.two_factor_enabled:
            raise TwoFactorAlreadyEnabledError
        credential = await self._uow.totp_credentials.get(account_id)
        if credential is None:
            raise TwoFactorSetupMissingError
        if not await self._second_factor.verify_totp(credential, code.strip()):
            raise InvalidTwoFactorCodeError
        now = self._clock.now()
        await self._uow.totp_credentials.mark_enabled(account.id, now)
        account.two_factor_enabled = True
        account.updated_at = now
        await self._uow.accounts.update(account)
        codes = await self._second_factor.new_backup_codes(
            account.id, BACKUP_CODE_COUNT
        )
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.TWO_FACTOR_ENABLED,
            origin=origin,
            actor_id=account.id,
            entity_id=account.id,
        )
        await self._uow.commit()
        return codes
