"""Unlinking a provider's sign-in from one's own account."""

from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.identity_notices import notify_account
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.errors import (
    AccountNotFoundError,
    IdentityNotFoundError,
    LastLoginMethodError,
)
from cybervpn.domain.identity.identity import IdentityProvider
from cybervpn.domain.notifications.notification import Template


class UnlinkIdentity:
    """Business rules:
    - an account keeps a way to sign in: a password or another linked identity,
      else 409 `last_login_method`;
    - unlinking Telegram ends our messages to that chat (it is told so, once);
    - it is audited and the account is told of it."""

    def __init__(self, *, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, *, account_id: UUID, provider: IdentityProvider, origin: AuditOrigin
    ) -> None:
        # Locked: two unlinks at once must not each leave the other's last method.
        account = await self._uow.accounts.get(account_id, for_update=True)
        if account is None:
            raise AccountNotFoundError
        linked = await self._uow.identities.list_for_account(account_id)
        identity = next((i for i in linked if i.provider is provider), None)
        if identity is None:
            raise IdentityNotFoundError
        if account.password_hash is None and len(linked) == 1:
            raise LastLoginMethodError
        await self._uow.identities.remove(identity)
        told_chat = account.telegram_id
        if provider is IdentityProvider.TELEGRAM:
            account.telegram_id = None
            account.updated_at = self._clock.now()
            await self._uow.accounts.update(account)
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.IDENTITY_UNLINKED,
            origin=origin,
            actor_id=account.id,
            entity_id=account.id,
            before=identity.snapshot(),
        )
        notify_account(
            self._uow,
            self._clock,
            account,
            Template.IDENTITY_UNLINKED,
            identity,
            chat_id=told_chat,
        )
        await self._uow.commit()
