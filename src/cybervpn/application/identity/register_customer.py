"""Self-service sign-up."""

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.billing.referrals import link_referral
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import AccountView
from cybervpn.application.identity.ports import PasswordHasher
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.email import normalize_email
from cybervpn.domain.identity.errors import EmailAlreadyRegisteredError
from cybervpn.domain.identity.roles import Role


class RegisterCustomer:
    """Anyone may open a customer account; sign-up can never grant a staff role.

    One e-mail address (compared case-insensitively) belongs to at most one account.
    A Telegram account is linked only by signing in with Telegram, never by typing
    its id: the chat we message must be the customer's own. A referral code links
    the new account to its owner (an unknown code refuses the sign-up, so a typo is
    noticed, not lost).
    """

    def __init__(
        self, *, uow: UnitOfWork, hasher: PasswordHasher, clock: Clock
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock

    async def execute(
        self,
        *,
        email: str,
        password: str,
        origin: AuditOrigin,
        referral_code: str | None = None,
        language: str | None = None,
    ) -> AccountView:
        email = normalize_email(email)
        # Hash before the transaction starts, so no connection waits on Argon2.
        password_hash = await self._hasher.hash(password)
        if await self._uow.accounts.email_exists(email):
            raise EmailAlreadyRegisteredError
        account = Account.open(
            email=email,
            password_hash=password_hash,
            role=Role.CUSTOMER,
            now=self._clock.now(),
        )
        account.language = language
        await self._uow.accounts.add(account)
        if referral_code is not None:
            await link_referral(
                self._uow,
                referee_id=account.id,
                code=referral_code,
                now=account.created_at,
            )
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.ACCOUNT_REGISTERED,
            origin=origin,
            actor_id=account.id,
            entity_id=account.id,
            after=account.snapshot(),
        )
        await self._uow.commit()
        return AccountView.of(account)
