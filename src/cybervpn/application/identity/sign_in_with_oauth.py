"""Signing in with GitHub or Google: the callback of a flow StartOAuth began."""

from dataclasses import dataclass
from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import LoginOutcome
from cybervpn.application.identity.identity_accounts import (
    open_account_with_identity,
)
from cybervpn.application.identity.linking import link_identity
from cybervpn.application.identity.oauth import OAuthProviders, OAuthStates
from cybervpn.application.identity.oauth_callback import prove_callback
from cybervpn.application.identity.ports import ChallengeTokenService
from cybervpn.application.identity.proved_identity import ProvedIdentity, refresh
from cybervpn.application.identity.session_issuer import SessionTokens
from cybervpn.application.identity.sign_in import complete_sign_in
from cybervpn.application.identity.sign_in_store import UnitOfWorkSignIns
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.email import normalize_email
from cybervpn.domain.identity.errors import (
    AccountExistsSignInToLinkError,
    OAuthFailedError,
)
from cybervpn.domain.identity.identity import OAuthProvider


@dataclass(frozen=True, slots=True)
class OAuthSignIn:
    outcome: LoginOutcome
    created: bool


class SignInWithOAuth:
    """Business rules:
    - the `state` is redeemed once, for this provider's sign-in flow; the provider
      then vouches for its user (see OAuthProviders.identify);
    - a known identity signs in to its account (with its second factor when it has
      2FA); a deactivated account fails like a bad code;
    - an unknown one whose verified e-mail belongs to an account is linked to it
      only when that account's e-mail is verified too; otherwise 409
      `account_exists_sign_in_to_link` (whoever typed the e-mail in first must not
      get the provider's user, nor the other way round);
    - any other gets a new customer account (`open_account_with_identity`).
    """

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        session_tokens: SessionTokens,
        challenges: ChallengeTokenService,
        providers: OAuthProviders,
        states: OAuthStates,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._session_tokens = session_tokens
        self._challenges = challenges
        self._providers = providers
        self._states = states

    async def execute(
        self,
        provider: OAuthProvider,
        *,
        code: str,
        state: str,
        origin: AuditOrigin,
        referral_code: str | None = None,
    ) -> OAuthSignIn:
        proved = await prove_callback(
            self._states,
            self._providers,
            provider,
            code=code,
            state=state,
            link_account_id=None,
        )
        account, created = await self._account_for(proved, origin, referral_code)
        outcome = await complete_sign_in(
            store=UnitOfWorkSignIns(self._uow),
            clock=self._clock,
            session_tokens=self._session_tokens,
            challenges=self._challenges,
            account=account,
            origin=origin,
            method=provider.value,
        )
        return OAuthSignIn(outcome, created)

    async def _account_for(
        self, proved: ProvedIdentity, origin: AuditOrigin, referral_code: str | None
    ) -> tuple[Account, bool]:
        identity = await self._uow.identities.find(
            proved.provider, proved.provider_user_id
        )
        if identity is not None:
            account = await self._active_account(identity.account_id, origin)
            refresh(identity, proved, now=self._clock.now())
            await self._uow.identities.save(identity)
            return account, False
        owner = await self._email_owner(proved)
        if owner is not None:
            if owner.email_verified_at is None or not owner.is_active:
                raise AccountExistsSignInToLinkError
            await link_identity(
                self._uow, self._clock, account=owner, proved=proved, origin=origin
            )
            return owner, False
        account, _ = await open_account_with_identity(
            self._uow,
            self._clock,
            proved,
            origin=origin,
            method=proved.provider.value,
            referral_code=referral_code,
        )
        return account, True

    async def _email_owner(self, proved: ProvedIdentity) -> Account | None:
        if proved.email is None or not proved.email_verified:
            return None
        return await self._uow.accounts.get_by_email(normalize_email(proved.email))

    async def _active_account(self, account_id: UUID, origin: AuditOrigin) -> Account:
        account = await self._uow.accounts.get(account_id)
        if account is not None and account.is_active:
            return account
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.LOGIN_FAILED,
            origin=origin,
            actor_id=None,
            entity_id=account_id,
            after={"method": "oauth", "reason": "inactive"},
        )
        await self._uow.commit()
        raise OAuthFailedError
