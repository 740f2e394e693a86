"""A forgotten password: asking for a reset link, and choosing a new password."""

from typing import Any

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.email_links import EmailLinks
from cybervpn.application.identity.ports import PasswordHasher
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.email import normalize_email
from cybervpn.domain.identity.email_token import (
    EmailTokenInvalidError,
    EmailTokenPurpose,
)
from cybervpn.domain.jobs.outbox import OutboxMessage
from cybervpn.domain.notifications.notification import (
    Audience,
    Notification,
    Template,
)

RESET_REQUESTED_TOPIC = "identity.password_reset_requested"


class ForgotPassword:
    """Business rule: the answer never tells whether an account has the address.
    Every request only queues a job (one insert, whatever the address), and the
    job mails the link when an active account has it."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, email: str) -> None:
        self._uow.outbox.add(
            OutboxMessage.new(
                RESET_REQUESTED_TOPIC,
                {"email": normalize_email(email)},
                now=self._clock.now(),
            )
        )
        await self._uow.commit()


class MailPasswordReset:
    """The outbox handler for `identity.password_reset_requested`: an active
    account with the address gets a reset link (30 minutes, once; an earlier
    link stops working); any other address gets nothing."""

    def __init__(self, *, clock: Clock, links: EmailLinks) -> None:
        self._clock = clock
        self._links = links

    async def handle(
        self, uow: UnitOfWork, payload: dict[str, Any], *, attempt: int
    ) -> None:
        account = await uow.accounts.get_by_email(str(payload["email"]))
        if account is None or not account.is_active or account.email is None:
            return
        await self._links.send(
            uow,
            account_id=account.id,
            purpose=EmailTokenPurpose.RESET,
            email=account.email,
            now=self._clock.now(),
        )

    async def give_up(
        self, uow: UnitOfWork, payload: dict[str, Any], *, error: str, attempts: int
    ) -> None:
        return None  # the customer asks again; nothing was promised


class ResetPassword:
    """Business rules: a reset link works once, for 30 minutes (400
    `invalid_token` otherwise); the new password meets the policy (checked at
    the edge); every session of the account ends; a second factor is still asked
    at the next sign-in; following the link proves the address, so it counts as
    verified. Audited, and the account is told."""

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
        self, token: str, new_password: str, *, origin: AuditOrigin
    ) -> None:
        now = self._clock.now()
        link = await self._links.redeem(self._uow, token, EmailTokenPurpose.RESET, now)
        if link is None:
            raise EmailTokenInvalidError
        account = await self._uow.accounts.get(link.account_id, for_update=True)
        if account is None or not account.is_active or account.email != link.email:
            raise EmailTokenInvalidError
        account.password_hash = await self._hasher.hash(new_password)
        account.email_verified_at = account.email_verified_at or now
        account.updated_at = now
        await self._uow.accounts.update(account)
        revoked = await self._uow.sessions.revoke_all(account.id, now)
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.PASSWORD_RESET,
            origin=origin,
            actor_id=account.id,
            entity_id=account.id,
            after={"sessions_revoked": revoked},
        )
        enqueue_notification(
            self._uow,
            Notification(
                audience=Audience.CUSTOMER,
                account_id=account.id,
                template=Template.PASSWORD_RESET_DONE,
                payload={},
                created_at=now,
            ),
        )
        await self._uow.commit()
