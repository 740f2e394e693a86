"""Starting two-factor enrolment."""

from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import TwoFactorSetup
from cybervpn.application.identity.ports import (
    PasswordHasher,
    SecretCipher,
    TotpService,
)
from cybervpn.application.identity.reauthentication import load_and_confirm_password
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.errors import TwoFactorAlreadyEnabledError
from cybervpn.domain.identity.two_factor import TotpCredential


class SetupTwoFactor:
    """After re-entering the password, get a new TOTP secret, pending until enabled.

    Starting again replaces a pending secret; an enabled one must be disabled first.
    The secret is stored encrypted, because it has to be read back to check codes.
    """

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        clock: Clock,
        totp: TotpService,
        cipher: SecretCipher,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._totp = totp
        self._cipher = cipher

    async def execute(
        self, *, account_id: UUID, password: str, origin: AuditOrigin
    ) -> TwoFactorSetup:
        account = await load_and_confirm_password(
            self._uow, self._hasher, account_id, password
        )
        if account.two_factor_enabled:
            raise TwoFactorAlreadyEnabledError
        secret = self._totp.new_secret()
        await self._uow.totp_credentials.replace_pending(
            TotpCredential(
                account_id=account.id,
                encrypted_secret=self._cipher.encrypt(secret),
                created_at=self._clock.now(),
            )
        )
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.TWO_FACTOR_SETUP_STARTED,
            origin=origin,
            actor_id=account.id,
            entity_id=account.id,
        )
        await self._uow.commit()
        return TwoFactorSetup(
            secret=secret,
            # The label the authenticator app shows: the e-mail, or for an account
            # that signs in with Telegram only, its Telegram id.
            otpauth_uri=self._totp.provisioning_uri(
                secret, account.email or f"telegram:{account.telegram_id}"
            ),
        )
