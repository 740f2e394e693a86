"""A customer account for a Telegram user seen for the first time: by a Telegram
sign-in, or by the bot on its first contact."""

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.billing.referrals import link_referral
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.telegram import TelegramUser
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.billing.referral import UnknownReferralCodeError
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.identity import Identity, IdentityProvider
from cybervpn.domain.identity.roles import Role


async def open_telegram_account(
    uow: UnitOfWork,
    clock: Clock,
    user: TelegramUser,
    *,
    origin: AuditOrigin,
    method: str,
    referral_code: str | None,
) -> tuple[Account, Identity]:
    """Business rules: a customer (no e-mail, no password) whose verified Telegram
    chat is this user's; a referral code (given, or the Mini App's start parameter)
    links it to its referrer. A given code must exist; a start parameter that is not
    a code is ignored (deep links carry other things). Audited as a sign-up."""
    now = clock.now()
    account = Account.open(
        email=None,
        password_hash=None,
        role=Role.CUSTOMER,
        telegram_id=user.id,
        now=now,
    )
    await uow.accounts.add(account)
    identity = Identity(
        account_id=account.id,
        provider=IdentityProvider.TELEGRAM,
        provider_user_id=str(user.id),
        username=user.username,
        language_code=user.language_code,
        linked_at=now,
        last_used_at=now,
    )
    await uow.identities.add(identity)
    await _link_referral(uow, account, referral_code, user.start_param)
    await AuditTrail(uow, clock).record(
        AuditAction.ACCOUNT_REGISTERED,
        origin=origin,
        actor_id=account.id,
        entity_id=account.id,
        after={"method": method, **identity.snapshot()},
    )
    return account, identity


async def _link_referral(
    uow: UnitOfWork, account: Account, given: str | None, start_param: str | None
) -> None:
    if given is not None:
        await link_referral(
            uow, referee_id=account.id, code=given, now=account.created_at
        )
        return
    if start_param is None:
        return
    try:
        await link_referral(
            uow, referee_id=account.id, code=start_param, now=account.created_at
        )
    except UnknownReferralCodeError:
        return
