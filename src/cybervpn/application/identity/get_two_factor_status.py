"""Whether two-factor authentication is on, and how many backup codes are left."""

from uuid import UUID

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import TwoFactorStatus


class GetTwoFactorStatus:
    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, account_id: UUID) -> TwoFactorStatus:
        credential = await self._uow.totp_credentials.get(account_id)
        if credential is None:
            return TwoFactorStatus(
                enabled=False,
                pending_setup=False,
                enabled_at=None,
                backup_codes_remaining=0,
            )
        return TwoFactorStatus(
            enabled=credential.is_enabled,
            pending_setup=not credential.is_enabled,
            enabled_at=credential.enabled_at,
            backup_codes_remaining=await self._uow.backup_codes.count_unused(
                account_id
            ),
        )
