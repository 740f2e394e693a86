"""GitHub (an OAuth App): the user is keyed by the numeric id (the login can
change); only the verified primary e-mail counts."""

from typing import Any

import httpx

from cybervpn.application.identity.proved_identity import ProvedIdentity
from cybervpn.domain.identity.errors import OAuthFailedError
from cybervpn.domain.identity.identity import IdentityProvider
from cybervpn.infrastructure.oauth.exchange import CodeExchange, get_json

SCOPES = ["read:user", "user:email"]


class GitHubSignIn:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        client_id: str,
        client_secret: str,
        authorize_url: str,
        token_url: str,
        api_url: str,
    ) -> None:
        self._http = http
        self._api = api_url.rstrip("/")
        self._exchange = CodeExchange(
            http,
            client_id=client_id,
            client_secret=client_secret,
            authorize_endpoint=authorize_url,
            access_token_endpoint=token_url,
            name="github",
            base_scopes=SCOPES,
        )

    async def authorization_url(
        self, *, redirect_uri: str, state: str, code_challenge: str, nonce: str | None
    ) -> str:
        return await self._exchange.get_authorization_url(
            redirect_uri,
            state=state,
            code_challenge=code_challenge,
            code_challenge_method="S256",
        )

    async def identify(
        self, *, code: str, redirect_uri: str, code_verifier: str, nonce: str | None
    ) -> ProvedIdentity:
        token = await self._exchange.access_token(code, redirect_uri, code_verifier)
        access_token = token["access_token"]
        profile = await get_json(self._http, f"{self._api}/user", access_token)
        user_id = profile.get("id") if isinstance(profile, dict) else None
        if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
            raise OAuthFailedError
        emails = await get_json(self._http, f"{self._api}/user/emails", access_token)
        email = _verified_primary(emails)
        login = profile.get("login")
        return ProvedIdentity(
            provider=IdentityProvider.GITHUB,
            provider_user_id=str(user_id),
            username=login if isinstance(login, str) else None,
            email=email,
            email_verified=email is not None,
        )


def _verified_primary(emails: Any) -> str | None:
    if not isinstance(emails, list):
        return None
    for entry in emails:
        if (
            isinstance(entry, dict)
            and entry.get("primary") is True
            and entry.get("verified") is True
            and isinstance(entry.get("email"), str)
        ):
            return str(entry["email"])
    return None
