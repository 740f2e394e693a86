"""Turning two-factor authentication off."""

from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.ports import PasswordHasher
from cybervpn.application.identity.reauthentication import load_and_confirm_password
from cybervpn.application.identity.second_factor import SecondFactorVerifier
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.errors import (
    InvalidTwoFactorCodeError,
    TwoFactorNotEnabledError,
)


class DisableTwoFactor:
    """Needs both the password and a second factor; removes secret and backup codes."""

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        clock: Clock,
        second_factor: SecondFactorVerifier,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._second_factor = second_factor

    async def execute(
        self, *, account_id: UUID, password: str, code: str, origin: AuditOrigin
    ) -> None:
        account = await load_and_confirm_password(
            self._uow, self._hasher, account_id, password
        )
        if not account.two_factor_enabled:
            raise TwoFactorNotEnabledError
        if await self._second_factor.verify(account.id, code) is None:
            raise InvalidTwoFactorCodeError
        await self._uow.totp_credentials.delete(account.id)
        await self._uow.backup_codes.delete_all(account.id)
        account.two_factor_enabled = False
        account.updated_at = self._clock.now()
        await self._uow.accounts.update(account)
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.TWO_FACTOR_DISABLED,
            origin=origin,
            actor_id=account.id,
            entity_id=account.id,
        )
        await self._uow.commit()
