"""Linking a proved identity (Telegram, GitHub, Google) to an account, and the
notice the account gets of it. Shared by every way of linking one."""

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.identity_notices import notify_account
from cybervpn.application.identity.proved_identity import ProvedIdentity, refresh
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.errors import (
    IdentityTakenError,
    ProviderAlreadyLinkedError,
    StaffAccountError,
)
from cybervpn.domain.identity.identity import Identity, IdentityProvider
from cybervpn.domain.notifications.notification import Template


async def link_identity(
    uow: UnitOfWork,
    clock: Clock,
    *,
    account: Account,
    proved: ProvedIdentity,
    origin: AuditOrigin,
) -> Identity:
    """Business rules:
    - staff sign in with e-mail, password and 2FA only: they link nothing;
    - a provider's user belongs to one account (409 `identity_taken` for another),
      and an account has one identity per provider (unlink the old one first);
      linking the same one again only refreshes it;
    - a linked Telegram account becomes the chat we message;
    - a new link is audited and the account is told of it.
    The caller commits."""
    if account.role.is_staff:
        raise StaffAccountError
    now = clock.now()
    existing = await uow.identities.find(proved.provider, proved.provider_user_id)
    if existing is not None:
        if existing.account_id != account.id:
            raise IdentityTakenError
        refresh(existing, proved, now=now)
        await uow.identities.save(existing)
        return existing
    if any(
        linked.provider == proved.provider
        for linked in await uow.identities.list_for_account(account.id)
    ):
        raise ProviderAlreadyLinkedError
    identity = Identity(
        account_id=account.id,
        provider=proved.provider,
        provider_user_id=proved.provider_user_id,
        username=proved.username,
        email=proved.email,
        email_verified=proved.email_verified,
        language_code=proved.language_code,
        linked_at=now,
        last_used_at=now,
    )
    await uow.identities.add(identity)
    if proved.provider is IdentityProvider.TELEGRAM:
        account.telegram_id = int(proved.provider_user_id)
        account.unverified_telegram_id = None
        account.updated_at = now
        await uow.accounts.update(account)
    await AuditTrail(uow, clock).record(
        AuditAction.IDENTITY_LINKED,
        origin=origin,
        actor_id=account.id,
        entity_id=account.id,
        after=identity.snapshot(),
    )
    notify_account(uow, clock, account, Template.IDENTITY_LINKED, identity)
    return identity
