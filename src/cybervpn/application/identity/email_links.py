"""Mailing a link: a verification or password-reset link, stored as a digest."""

from datetime import datetime
from uuid import UUID

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.ports import OpaqueTokens, SecretCipher
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.domain.identity.email_token import EmailToken, EmailTokenPurpose
from cybervpn.domain.notifications.notification import (
    LINK_PATH,
    SEALED_TOKEN,
    Audience,
    Channel,
    Notification,
    Template,
)

LINKS = {
    EmailTokenPurpose.VERIFY: (Template.EMAIL_VERIFY, "/verify-email"),
    EmailTokenPurpose.RESET: (Template.PASSWORD_RESET, "/reset-password"),
}


class EmailLinks:
    """Issues links: the account's earlier unused links for the same purpose stop
    working, only the digest of the new one is kept, and the mail carries the
    token encrypted until it is sent."""

    def __init__(self, *, tokens: OpaqueTokens, cipher: SecretCipher) -> None:
        self._tokens = tokens
        self._cipher = cipher

    async def send(
        self,
        uow: UnitOfWork,
        *,
        account_id: UUID,
        purpose: EmailTokenPurpose,
        email: str,
        now: datetime,
    ) -> None:
        await uow.email_tokens.retire(account_id, purpose, now)
        token = self._tokens.new_link_token()
        uow.email_tokens.add(
            EmailToken.issue(
                account_id=account_id,
                purpose=purpose,
                email=email,
                digest=self._tokens.digest(token),
                now=now,
            )
        )
        template, path = LINKS[purpose]
        enqueue_notification(
            uow,
            Notification(
                audience=Audience.CUSTOMER,
                account_id=account_id,
                template=template,
                payload={SEALED_TOKEN: self._cipher.encrypt(token), LINK_PATH: path},
                created_at=now,
                channel=Channel.EMAIL,
                email=email,
            ),
        )

    async def redeem(
        self, uow: UnitOfWork, token: str, purpose: EmailTokenPurpose, now: datetime
    ) -> EmailToken | None:
        return await uow.email_tokens.consume(self._tokens.digest(token), purpose, now)
