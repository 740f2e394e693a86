"""Proving an e-mail address is the owner's: asking for a link, and following it."""

from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.email_links import EmailLinks
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.email_token import (
    EmailTokenInvalidError,
    EmailTokenPurpose,
)
from cybervpn.domain.identity.errors import (
    AccountNotFoundError,
    EmailAlreadyRegisteredError,
    EmailAlreadyVerifiedError,
    NoEmailError,
)


class RequestEmailVerification:
    """Business rules: a link goes to the account's own address (409 `no_email`
    without one, 409 `email_already_verified` once it is); a new request retires
    the earlier link."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock, links: EmailLinks) -> None:
        self._uow = uow
        self._clock = clock
        self._links = links

    async def execute(self, account_id: UUID) -> None:
        account = await self._uow.accounts.get(account_id)
        if account is None:
            raise AccountNotFoundError
        if account.email is None:
            raise NoEmailError
        if account.email_verified_at is not None:
            raise EmailAlreadyVerifiedError
        await self._links.send(
            self._uow,
            account_id=account.id,
            purpose=EmailTokenPurpose.VERIFY,
            email=account.email,
            now=self._clock.now(),
        )
        await self._uow.commit()


class VerifyEmail:
    """Business rules: a link works once, for 24 hours (400 `invalid_token`
    otherwise); it verifies the address it was sent to, which becomes the
    account's address when it was a change (409 `email_taken` if
    another account took it meanwhile). Audited."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock, links: EmailLinks) -> None:
        self._uow = uow
        self._clock = clock
        self._links = links

    async def execute(self, token: str, *, origin: AuditOrigin) -> None:
        now = self._clock.now()
        link = await self._links.redeem(self._uow, token, EmailTokenPurpose.VERIFY, now)
        if link is None:
            raise EmailTokenInvalidError
        account = await self._uow.accounts.get(link.account_id, for_update=True)
        if account is None or account.deleted_at is not None:
            raise EmailTokenInvalidError
        before = account.email
        if link.email != account.email:
            owner = await self._uow.accounts.get_by_email(link.email)
            if owner is not None and owner.id != account.id:
                raise EmailAlreadyRegisteredError
            account.email = link.email
        account.email_verified_at = now
        account.updated_at = now
        await self._uow.accounts.update(account)
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.EMAIL_VERIFIED,
            origin=origin,
            actor_id=account.id,
            entity_id=account.id,
            before={"email": before},
            after={"email": account.email},
        )
        await self._uow.commit()
