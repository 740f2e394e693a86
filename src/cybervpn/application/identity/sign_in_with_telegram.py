"""Signing in with Telegram (Mini App or Login Widget)."""

from dataclasses import dataclass

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.billing.referrals import link_referral
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import LoginOutcome
from cybervpn.application.identity.linking import refresh
from cybervpn.application.identity.ports import ChallengeTokenService
from cybervpn.application.identity.session_issuer import SessionIssuer
from cybervpn.application.identity.sign_in import complete_sign_in
from cybervpn.application.identity.telegram import (
    ReplayGuard,
    TelegramUser,
    ensure_first_use,
)
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.billing.referral import UnknownReferralCodeError
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.errors import TelegramAuthInvalidError
from cybervpn.domain.identity.identity import Identity, IdentityProvider
from cybervpn.domain.identity.roles import Role


@dataclass(frozen=True, slots=True)
class TelegramSignIn:
    outcome: LoginOutcome
    created: bool


class SignInWithTelegram:
    """Business rules:
    - the Telegram user is the one Telegram signed for (the verifier checked it);
      Login Widget data is accepted once, however fresh;
    - a known Telegram user signs in to the account it is linked to, with its
      second factor when that account has 2FA; a deactivated account fails like a
      bad signature;
    - an unknown one gets a new customer account (no e-mail, no password) whose
      verified Telegram chat is this one; a referral code (given, or the Mini App's
      start parameter) links it to its referrer. A given code must exist; a start
      parameter that is not a code is ignored (deep links carry other things).
    """

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        sessions: SessionIssuer,
        challenges: ChallengeTokenService,
        replays: ReplayGuard,
        replay_window_seconds: int,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._sessions = sessions
        self._challenges = challenges
        self._replays = replays
        self._replay_window = replay_window_seconds

    async def execute(
        self,
        user: TelegramUser,
        *,
        origin: AuditOrigin,
        referral_code: str | None = None,
    ) -> TelegramSignIn:
        await ensure_first_use(self._replays, user, self._replay_window)
        audit = AuditTrail(self._uow, self._clock)
        now = self._clock.now()
        identity = await self._uow.identities.find(
            IdentityProvider.TELEGRAM, str(user.id)
        )
        created = identity is None
        if identity is None:
            account, identity = await self._open_account(user, origin, referral_code)
        else:
            found = await self._uow.accounts.get(identity.account_id)
            if found is None or not found.is_active:
                await audit.record(
                    AuditAction.LOGIN_FAILED,
                    origin=origin,
                    actor_id=None,
                    entity_id=identity.account_id,
                    after={"method": "telegram", "reason": "inactive"},
                )
                await self._uow.commit()
                raise TelegramAuthInvalidError
            account = found
            refresh(identity, user.proved(), now=now)
            await self._uow.identities.save(identity)
        outcome = await complete_sign_in(
            uow=self._uow,
            clock=self._clock,
            sessions=self._sessions,
            challenges=self._challenges,
            account=account,
            origin=origin,
            method="telegram",
        )
        return TelegramSignIn(outcome, created)

    async def _open_account(
        self, user: TelegramUser, origin: AuditOrigin, referral_code: str | None
    ) -> tuple[Account, Identity]:
        now = self._clock.now()
        account = Account.open(
            email=None,
            password_hash=None,
            role=Role.CUSTOMER,
            telegram_id=user.id,
            now=now,
        )
        await self._uow.accounts.add(account)
        identity = Identity(
            account_id=account.id,
            provider=IdentityProvider.TELEGRAM,
            provider_user_id=str(user.id),
            username=user.username,
            language_code=user.language_code,
            linked_at=now,
            last_used_at=now,
        )
        await self._uow.identities.add(identity)
        await self._link_referral(account, referral_code, user.start_param)
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.ACCOUNT_REGISTERED,
            origin=origin,
            actor_id=account.id,
            entity_id=account.id,
            after={"method": "telegram", **identity.snapshot()},
        )
        return account, identity

    async def _link_referral(
        self, account: Account, given: str | None, start_param: str | None
    ) -> None:
        if given is not None:
            await link_referral(
                self._uow, referee_id=account.id, code=given, now=account.created_at
            )
            return
        if start_param is None:
            return
        try:
            await link_referral(
                self._uow,
                referee_id=account.id,
                code=start_param,
                now=account.created_at,
            )
        except UnknownReferralCodeError:
            return
