"""Google (OpenID Connect): the user is the id_token's `sub`, and the id_token
must be signed by a key of Google's JWKS, for our client id, unexpired, and carry
the flow's nonce. The e-mail counts only when Google verified it."""

import hmac
import time
from typing import Any

import httpx
import jwt

from cybervpn.application.identity.proved_identity import ProvedIdentity
from cybervpn.domain.identity.errors import (
    OAuthFailedError,
    OAuthProviderUnavailableError,
)
from cybervpn.domain.identity.identity import IdentityProvider
from cybervpn.infrastructure.oauth.exchange import CodeExchange

SCOPES = ["openid", "email", "profile"]
ISSUERS = ("https://accounts.google.com", "accounts.google.com")
# Google rotates its signing keys; a key id we do not know sends us back for the
# set at once, otherwise it is kept this long.
JWKS_CACHE_SECONDS = 300.0
ID_TOKEN_LEEWAY_SECONDS = 60


class GoogleSignIn:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        client_id: str,
        client_secret: str,
        authorize_url: str,
        token_url: str,
        jwks_url: str,
    ) -> None:
        self._http = http
        self._client_id = client_id
        self._jwks_url = jwks_url
        self._keys: jwt.PyJWKSet | None = None
        self._keys_fetched_at = 0.0
        self._exchange = CodeExchange(
            http,
            client_id=client_id,
            client_secret=client_secret,
            authorize_endpoint=authorize_url,
            access_token_endpoint=token_url,
            name="google",
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
            extras_params={"nonce": nonce} if nonce else None,
        )

    async def identify(
        self, *, code: str, redirect_uri: str, code_verifier: str, nonce: str | None
    ) -> ProvedIdentity:
        token = await self._exchange.access_token(code, redirect_uri, code_verifier)
        id_token = token.get("id_token")
        if not isinstance(id_token, str) or nonce is None:
            raise OAuthFailedError
        claims = await self._verified_claims(id_token)
        given_nonce = claims.get("nonce")
        if not isinstance(given_nonce, str) or not hmac.compare_digest(
            given_nonce.encode(), nonce.encode()
        ):
            raise OAuthFailedError
        subject = claims["sub"]
        email = claims.get("email")
        verified = claims.get("email_verified") is True and isinstance(email, str)
        return ProvedIdentity(
            provider=IdentityProvider.GOOGLE,
            provider_user_id=subject,
            username=claims.get("name")
            if isinstance(claims.get("name"), str)
            else None,
            email=email if isinstance(email, str) else None,
            email_verified=verified,
        )

    async def _verified_claims(self, id_token: str) -> dict[str, Any]:
        try:
            key_id = jwt.get_unverified_header(id_token).get("kid")
            key = await self._signing_key(key_id)
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key,
                algorithms=["RS256"],
                audience=self._client_id,
                issuer=ISSUERS,
                leeway=ID_TOKEN_LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except (jwt.PyJWTError, KeyError) as error:
            raise OAuthFailedError from error
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise OAuthFailedError
        return claims

    async def _signing_key(self, key_id: object) -> jwt.PyJWK:
        if not isinstance(key_id, str):
            raise OAuthFailedError
        keys = await self._key_set(refresh=False)
        if key_id not in _key_ids(keys):
            keys = await self._key_set(refresh=True)
        return keys[key_id]

    async def _key_set(self, *, refresh: bool) -> jwt.PyJWKSet:
        fresh = time.monotonic() - self._keys_fetched_at < JWKS_CACHE_SECONDS
        if self._keys is not None and fresh and not refresh:
            return self._keys
        try:
            response = await self._http.get(self._jwks_url)
            response.raise_for_status()
            self._keys = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as error:
            raise OAuthProviderUnavailableError from error
        self._keys_fetched_at = time.monotonic()
        return self._keys


def _key_ids(keys: jwt.PyJWKSet) -> set[str]:
    return {key.key_id for key in keys.keys if key.key_id is not None}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
