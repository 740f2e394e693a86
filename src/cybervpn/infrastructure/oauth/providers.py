"""The configured sign-in providers, behind the application's OAuthProviders."""

import base64
import hashlib
import secrets

import httpx

from cybervpn.application.identity.oauth import FlowSecrets, OAuthFlow
from cybervpn.application.identity.proved_identity import ProvedIdentity
from cybervpn.config import OAuthSettings
from cybervpn.domain.identity.errors import OAuthProviderNotConfiguredError
from cybervpn.domain.identity.identity import OAuthProvider
from cybervpn.infrastructure.oauth.github import GitHubSignIn
from cybervpn.infrastructure.oauth.google import GoogleSignIn

type SignIn = GitHubSignIn | GoogleSignIn


def s256(code_verifier: str) -> str:
    """PKCE's S256 challenge (RFC 7636 §4.2)."""
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OAuthGateway:
    def __init__(self, providers: dict[OAuthProvider, SignIn]) -> None:
        self._providers = providers

    def is_configured(self, provider: OAuthProvider) -> bool:
        return provider in self._providers

    def new_secrets(self, provider: OAuthProvider) -> FlowSecrets:
        # 64 random bytes: an 86-character verifier (RFC 7636 allows 43 to 128).
        return FlowSecrets(
            code_verifier=secrets.token_urlsafe(64),
            nonce=(
                secrets.token_urlsafe(32) if provider is OAuthProvider.GOOGLE else None
            ),
        )

    async def authorization_url(
        self,
        provider: OAuthProvider,
        *,
        redirect_uri: str,
        state: str,
        flow_secrets: FlowSecrets,
    ) -> str:
        return await self._get(provider).authorization_url(
            redirect_uri=redirect_uri,
            state=state,
            code_challenge=s256(flow_secrets.code_verifier),
            nonce=flow_secrets.nonce,
        )

    async def identify(
        self, provider: OAuthProvider, *, code: str, flow: OAuthFlow
    ) -> ProvedIdentity:
        return await self._get(provider).identify(
            code=code,
            redirect_uri=flow.redirect_uri,
            code_verifier=flow.code_verifier,
            nonce=flow.nonce,
        )

    def _get(self, provider: OAuthProvider) -> SignIn:
        found = self._providers.get(provider)
        if found is None:
            raise OAuthProviderNotConfiguredError
        return found


def connect_oauth(settings: OAuthSettings) -> tuple[OAuthGateway, httpx.AsyncClient]:
    """The gateway over the providers whose client id is set, and the HTTP client
    it uses (the caller closes it)."""
    http = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.timeout_seconds),
        headers={"User-Agent": "CyberVPN"},
    )
    providers: dict[OAuthProvider, SignIn] = {}
    if settings.github_client_id and settings.github_client_secret:
        providers[OAuthProvider.GITHUB] = GitHubSignIn(
            http,
            client_id=settings.github_client_id,
            client_secret=settings.github_client_secret.get_secret_value(),
            authorize_url=settings.github_authorize_url,
            token_url=settings.github_token_url,
            api_url=settings.github_api_url,
        )
    if settings.google_client_id and settings.google_client_secret:
        providers[OAuthProvider.GOOGLE] = GoogleSignIn(
            http,
            client_id=settings.google_client_id,
            client_secret=settings.google_client_secret.get_secret_value(),
            authorize_url=settings.google_authorize_url,
            token_url=settings.google_token_url,
            jwks_url=settings.google_jwks_url,
        )
    return OAuthGateway(providers), http
