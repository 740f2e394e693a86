"""Linking GitHub or Google to a signed-in account: the callback of a link flow."""

from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.linking import link_identity
from cybervpn.application.identity.oauth import OAuthProviders, OAuthStates
from cybervpn.application.identity.oauth_callback import prove_callback
from cybervpn.domain.audit.entry import AuditOrigin
from cybervpn.domain.identity.errors import AccountNotFoundError
from cybervpn.domain.identity.identity import Identity, OAuthProvider


class LinkOAuthIdentity:
    """Business rules: the `state` must be of a link flow this same account
    started (a sign-in's state, or another account's, fails); the provider's user
    then links as any identity does (see `link_identity`). The provider's e-mail
    does not change the account's."""

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        providers: OAuthProviders,
        states: OAuthStates,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._providers = providers
        self._states = states

    async def execute(
        self,
        provider: OAuthProvider,
        *,
        account_id: UUID,
        code: str,
        state: str,
        origin: AuditOrigin,
    ) -> Identity:
        proved = await prove_callback(
            self._states,
            self._providers,
            provider,
            code=code,
            state=state,
            link_account_id=account_id,
        )
        account = await self._uow.accounts.get(account_id)
        if account is None:
            raise AccountNotFoundError
        identity = await link_identity(
            self._uow, self._clock, account=account, proved=proved, origin=origin
        )
        await self._uow.commit()
        return identity
