"""Checking a second factor: a TOTP code or one of the backup codes."""

from enum import StrEnum
from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.ports import (
    OpaqueTokens,
    SecretCipher,
    TotpService,
)
from cybervpn.domain.identity.errors import TwoFactorNotEnabledError
from cybervpn.domain.identity.two_factor import TotpCredential

TOTP_CODE_LENGTH = 6


class SecondFactor(StrEnum):
    TOTP = "totp"
    BACKUP_CODE = "backup_code"


def normalize_backup_code(code: str) -> str:
    """Backup codes are shown in dashed groups; accept them typed any way."""
    return code.replace("-", "").replace(" ", "").upper()


class SecondFactorVerifier:
    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        totp: TotpService,
        cipher: SecretCipher,
        opaque_tokens: OpaqueTokens,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._totp = totp
        self._cipher = cipher
        self._opaque_tokens = opaque_tokens

    async def verify(self, account_id: UUID, code: str) -> SecondFactor | None:
        """Which factor the code proved, or None. Either kind works only once."""
        credential = await self._uow.totp_credentials.get(account_id)
        if credential is None or not credential.is_enabled:
            raise TwoFactorNotEnabledError
        code = code.strip()
        if code.isdigit() and len(code) == TOTP_CODE_LENGTH:
            if await self.verify_totp(credential, code):
                return SecondFactor.TOTP
            return None
        code_hash = self._opaque_tokens.digest(normalize_backup_code(code))
        if await self._uow.backup_codes.consume(
            account_id, code_hash, self._clock.now()
        ):
            return SecondFactor.BACKUP_CODE
        return None

    async def verify_totp(self, credential: TotpCredential, code: str) -> bool:
        """A valid code for a time step not used before (RFC 6238 §5.2)."""
        secret = self._cipher.decrypt(credential.encrypted_secret)
        timecode = self._totp.matching_timecode(secret, code)
        if timecode is None:
            return False
        return await self._uow.totp_credentials.claim_timecode(
            credential.account_id, timecode
        )

    async def new_backup_codes(self, account_id: UUID, count: int) -> list[str]:
        """Replace the whole set; only digests are stored, the codes are shown once."""
        codes = self._opaque_tokens.new_backup_codes(count)
        await self._uow.backup_codes.replace(
            account_id,
            [self._opaque_tokens.digest(normalize_backup_code(c)) for c in codes],
        )
        return codes
