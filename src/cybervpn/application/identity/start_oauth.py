"""Starting a sign-in (or a link) with GitHub or Google."""

from collections.abc import Collection

from cybervpn.application.identity.oauth import (
    OAUTH_FLOW_SECONDS,
    OAuthFlow,
    OAuthProviders,
    OAuthStates,
)
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.errors import (
    OAuthProviderNotConfiguredError,
    RedirectUriNotAllowedError,
    StaffAccountError,
)
from cybervpn.domain.identity.identity import OAuthProvider


class StartOAuth:
    """Business rules:
    - the provider must be configured, and the redirect URI one we registered
      (`OAUTH_REDIRECT_URIS`): the code never goes anywhere else;
    - each flow has its own `state`, PKCE verifier (S256) and, for Google, nonce,
      kept server-side for 10 minutes and redeemed once;
    - a link flow belongs to the signed-in account that started it (never staff:
      they sign in with password and 2FA only).
    """

    def __init__(
        self,
        *,
        providers: OAuthProviders,
        states: OAuthStates,
        allowed_redirect_uris: Collection[str],
    ) -> None:
        self._providers = providers
        self._states = states
        self._allowed = allowed_redirect_uris

    async def execute(
        self,
        provider: OAuthProvider,
        *,
        redirect_uri: str,
        link_to: Account | None = None,
    ) -> str:
        if not self._providers.is_configured(provider):
            raise OAuthProviderNotConfiguredError
        if redirect_uri not in self._allowed:
            raise RedirectUriNotAllowedError
        if link_to is not None and link_to.role.is_staff:
            raise StaffAccountError
        flow_secrets = self._providers.new_secrets(provider)
        flow = OAuthFlow(
            provider=provider,
            redirect_uri=redirect_uri,
            code_verifier=flow_secrets.code_verifier,
            nonce=flow_secrets.nonce,
            link_account_id=None if link_to is None else link_to.id,
        )
        state = await self._states.issue(flow.dump(), OAUTH_FLOW_SECONDS)
        return await self._providers.authorization_url(
            provider, redirect_uri=redirect_uri, state=state, flow_secrets=flow_secrets
        )
