"""The end of every sign-in, whatever proved who the caller is (a password, a
Telegram signature): tokens, or the second-factor challenge."""

from cybervpn.application.audit.trail import audit_entry
from cybervpn.application.common.clock import Clock
from cybervpn.application.identity.dtos import LoginOutcome, TwoFactorChallenge
from cybervpn.application.identity.ports import ChallengeTokenService
from cybervpn.application.identity.session_issuer import SessionTokens
from cybervpn.application.identity.sign_in_store import SignInRecord, SignInStore
from cybervpn.domain.audit.entry import AuditAction, AuditEntry, AuditOrigin
from cybervpn.domain.identity.account import Account


async def complete_sign_in(
    *,
    store: SignInStore,
    clock: Clock,
    session_tokens: SessionTokens,
    challenges: ChallengeTokenService,
    account: Account,
    origin: AuditOrigin,
    method: str,
    new_password_hash: str | None = None,
) -> LoginOutcome:
    """Business rule: an account with 2FA gets a short-lived challenge, not tokens
    (its login time is recorded when the second factor passes); any other gets a
    session. Either way it is audited and committed."""

    def audited(action: AuditAction, **after: object) -> AuditEntry:
        return audit_entry(
            clock,
            action,
            origin=origin,
            actor_id=account.id,
            entity_id=account.id,
            after=after or None,
        )

    if account.two_factor_enabled:
        await store.record(
            SignInRecord(
                audit=audited(AuditAction.LOGIN_CHALLENGED),
                account_id=account.id,
                password_hash=new_password_hash,
            )
        )
        return TwoFactorChallenge(challenges.issue(account.id))
    new = session_tokens.open(account, origin)
    await store.record(
        SignInRecord(
            audit=audited(AuditAction.LOGIN_SUCCEEDED, method=method),
            account_id=account.id,
            logged_in_at=clock.now(),
            password_hash=new_password_hash,
            session=new.session,
            refresh_token=new.refresh_token,
        )
    )
    return new.tokens
