"""A customer account for a provider's user seen for the first time: by a sign-in
with Telegram, GitHub or Google, or by the bot on its first contact."""

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.billing.referrals import link_referral
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.proved_identity import ProvedIdentity
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.billing.referral import UnknownReferralCodeError
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.email import normalize_email
from cybervpn.domain.identity.identity import Identity, IdentityProvider
from cybervpn.domain.identity.roles import Role
from cybervpn.domain.notifications.notification import language_of


async def open_account_with_identity(
    uow: UnitOfWork,
    clock: Clock,
    proved: ProvedIdentity,
    *,
    origin: AuditOrigin,
    method: str,
    referral_code: str | None,
    start_param: str | None = None,
) -> tuple[Account, Identity]:
    """Business rules: a customer without a password. Its e-mail is the
    provider's when the provider verified it (and counts as verified), else none;
    a Telegram user's chat is the one we message. A referral code (given, or a Mini
    App's start parameter) links it to its referrer: a given code must exist; a
    start parameter that is not a code is ignored (deep links carry other things).
    Audited as a sign-up."""
    now = clock.now()
    verified_email = (
        normalize_email(proved.email)
        if proved.email is not None and proved.email_verified
        else None
    )
    account = Account.open(
        email=verified_email,
        password_hash=None,
        role=Role.CUSTOMER,
        telegram_id=(
            int(proved.provider_user_id)
            if proved.provider is IdentityProvider.TELEGRAM
            else None
        ),
        email_verified=verified_email is not None,
        now=now,
    )
    account.language = language_of(proved.language_code)
    await uow.accounts.add(account)
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
    await _link_referral(uow, account, referral_code, start_param)
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
