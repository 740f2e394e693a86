"""Signing in with Telegram (Mini App or Login Widget)."""

from dataclasses import dataclass

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import LoginOutcome
from cybervpn.application.identity.identity_accounts import (
    open_account_with_identity,
)
from cybervpn.application.identity.ports import ChallengeTokenService
from cybervpn.application.identity.proved_identity import refresh
from cybervpn.application.identity.session_issuer import SessionTokens
from cybervpn.application.identity.sign_in import complete_sign_in
from cybervpn.application.identity.sign_in_store import UnitOfWorkSignIns
from cybervpn.application.identity.telegram import TelegramUser
from cybervpn.application.identity.telegram_replays import (
    ReplayGuard,
    ensure_first_use,
)
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.errors import TelegramAuthInvalidError
from cybervpn.domain.identity.identity import IdentityProvider


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
    - an unknown one gets a new customer account (`open_account_with_identity`).
    """

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        session_tokens: SessionTokens,
        challenges: ChallengeTokenService,
        replays: ReplayGuard,
        replay_window_seconds: int,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._session_tokens = session_tokens
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
            account, _ = await open_account_with_identity(
                self._uow,
                self._clock,
                user.proved(),
                origin=origin,
                method="telegram",
                referral_code=referral_code,
                start_param=user.start_param,
            )
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
            store=UnitOfWorkSignIns(self._uow),
            clock=self._clock,
            session_tokens=self._session_tokens,
            challenges=self._challenges,
            account=account,
            origin=origin,
            method="telegram",
        )
        return TelegramSignIn(outcome, created)
