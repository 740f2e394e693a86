"""Changing the account's e-mail address."""

from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.email_links import EmailLinks
from cybervpn.application.identity.ports import PasswordHasher
from cybervpn.application.identity.reauthentication import ensure_recent_sign_in
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.email import normalize_email
from cybervpn.domain.identity.email_token import EmailTokenPurpose
from cybervpn.domain.identity.errors import (
    AccountNotFoundError,
    EmailAlreadyRegisteredError,
    WrongPasswordError,
)
from cybervpn.domain.notifications.notification import (
    Audience,
    Channel,
    Notification,
    Template,
)


class ChangeEmail:
    """Business rules: the password is given again (an account without one, a
    Telegram-only account adding an address, must have signed in within the last
    10 minutes instead: an address is how a password gets set, so a stolen session
    alone must not add one); the new address must
    be free (409 `email_taken`); a verification link goes to it and
    the change applies only when it is followed; the old address is told at
    once. Audited."""

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        hasher: PasswordHasher,
        links: EmailLinks,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher
        self._links = links

    async def execute(
        self,
        account_id: UUID,
        *,
        new_email: str,
        password: str | None,
        origin: AuditOrigin,
    ) -> None:
        account = await self._uow.accounts.get(account_id)
        if account is None:
            raise AccountNotFoundError
        if account.password_hash is not None:
            checked = await self._hasher.verify(account.password_hash, password or "")
            if not checked.valid:
                raise WrongPasswordError
        else:
            ensure_recent_sign_in(account, self._clock.now())
        new_email = normalize_email(new_email)
        if new_email != account.email and await self._uow.accounts.email_exists(
            new_email
        ):
            raise EmailAlreadyRegisteredError
        now = self._clock.now()
        await self._links.send(
            self._uow,
            account_id=account.id,
            purpose=EmailTokenPurpose.VERIFY,
            email=new_email,
            now=now,
        )
        if account.email is not None and account.email != new_email:
            enqueue_notification(
                self._uow,
                Notification(
                    audience=Audience.CUSTOMER,
                    account_id=account.id,
                    template=Template.EMAIL_CHANGE_REQUESTED,
                    payload={"new_email": new_email},
                    created_at=now,
                    channel=Channel.EMAIL,
                    email=account.email,
                ),
            )
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.EMAIL_CHANGE_REQUESTED,
            origin=origin,
            actor_id=account.id,
            entity_id=account.id,
            after={"new_email": new_email},
        )
        await self._uow.commit()
