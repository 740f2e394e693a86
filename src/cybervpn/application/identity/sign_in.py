"""The end of every sign-in, whatever proved who the caller is (a password, a
Telegram signature): tokens, or the second-factor challenge."""

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import LoginOutcome, TwoFactorChallenge
from cybervpn.application.identity.ports import ChallengeTokenService
from cybervpn.application.identity.session_issuer import SessionIssuer
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.account import Account


async def complete_sign_in(
    *,
    uow: UnitOfWork,
    clock: Clock,
    sessions: SessionIssuer,
    challenges: ChallengeTokenService,
    account: Account,
    origin: AuditOrigin,
    method: str,
    new_password_hash: str | None = None,
) -> LoginOutcome:
    """Business rule: an account with 2FA gets a short-lived challenge, not tokens
    (its login time is recorded when the second factor passes); any other gets a
    session. Either way it is audited and committed."""
    audit = AuditTrail(uow, clock)
    if account.two_factor_enabled:
        await uow.accounts.record_login(
            account.id, logged_in_at=None, password_hash=new_password_hash
        )
        await audit.record(
            AuditAction.LOGIN_CHALLENGED,
            origin=origin,
            actor_id=account.id,
            entity_id=account.id,
        )
        await uow.commit()
        return TwoFactorChallenge(challenges.issue(account.id))
    await uow.accounts.record_login(
        account.id, logged_in_at=clock.now(), password_hash=new_password_hash
    )
    tokens = await sessions.start(account, origin)
    await audit.record(
        AuditAction.LOGIN_SUCCEEDED,
        origin=origin,
        actor_id=account.id,
        entity_id=account.id,
        after={"method": method},
    )
    await uow.commit()
    return tokens
