"""GitHub and Google as the API sees them, over HTTP (respx routes): codes bound to
their PKCE challenge, redirect URI and (Google) nonce, given once; Google's
id_tokens signed with a key its JWKS publishes. Written from the providers' docs,
independently of the product's code."""

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import httpx
import jwt
import respx
from cryptography.hazmat.primitives.asymmetric import rsa

from cybervpn.config import OAuthSettings

REDIRECT_URI = "https://app.example.test/oauth/callback"
GITHUB = "https://github.test"
GITHUB_API = "https://api.github.test"
GOOGLE = "https://accounts.google.test"

SETTINGS = OAuthSettings(
    redirect_uris=[REDIRECT_URI],
    github_client_id="github-client",
    github_client_secret="github-secret",  # noqa: S106 - a test value
    github_authorize_url=f"{GITHUB}/login/oauth/authorize",
    github_token_url=f"{GITHUB}/login/oauth/access_token",
    github_api_url=GITHUB_API,
    google_client_id="google-client.apps.googleusercontent.com",
    google_client_secret="google-secret",  # noqa: S106 - a test value
    google_authorize_url=f"{GOOGLE}/o/oauth2/v2/auth",
    google_token_url=f"{GOOGLE}/token",
    google_jwks_url=f"{GOOGLE}/oauth2/v3/certs",
)


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass
class _Grant:
    provider: str
    challenge: str
    redirect_uri: str
    nonce: str | None
    user: dict[str, Any]
    id_token_changes: dict[str, Any]
    signing_key: rsa.RSAPrivateKey | None


@dataclass
class FakeProviders:
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(65537, 2048)
    )
    grants: dict[str, _Grant] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    down: bool = False
    # Google rotates keys under new ids; each stand-in has its own.
    key_id: str = field(default_factory=lambda: secrets.token_hex(8))

    def install(self, router: respx.MockRouter) -> None:
        router.post(SETTINGS.github_token_url).mock(side_effect=self._github_token)
        router.get(f"{GITHUB_API}/user").mock(side_effect=self._github_user)
        router.get(f"{GITHUB_API}/user/emails").mock(side_effect=self._github_emails)
        router.post(SETTINGS.google_token_url).mock(side_effect=self._google_token)
        router.get(SETTINGS.google_jwks_url).mock(side_effect=self._jwks)

    def consent(
        self,
        authorization_url: str,
        user: dict[str, Any],
        *,
        id_token_changes: dict[str, Any] | None = None,
        signing_key: rsa.RSAPrivateKey | None = None,
    ) -> tuple[str, str]:
        """The user approves in the browser: the provider checks the request and
        redirects back with a code. Returns (code, state)."""
        url = urlsplit(authorization_url)
        query = {k: v[0] for k, v in parse_qs(url.query, strict_parsing=True).items()}
        provider = "github" if url.netloc == urlsplit(GITHUB).netloc else "google"
        client_id = (
            SETTINGS.github_client_id
            if provider == "github"
            else SETTINGS.google_client_id
        )
        assert query["client_id"] == client_id
        assert query["response_type"] == "code"
        assert query["code_challenge_method"] == "S256"
        assert len(query["state"]) >= 32
        if provider == "google":
            assert set(query["scope"].split()) >= {"openid", "email"}
            assert query["nonce"]
        code = secrets.token_urlsafe(16)
        self.grants[code] = _Grant(
            provider=provider,
            challenge=query["code_challenge"],
            redirect_uri=query["redirect_uri"],
            nonce=query.get("nonce"),
            user=user,
            id_token_changes=id_token_changes or {},
            signing_key=signing_key,
        )
        return code, query["state"]

    def _redeem(self, request: httpx.Request, provider: str) -> _Grant | None:
        form = dict(parse_qsl(request.content.decode()))
        secret = (
            SETTINGS.github_client_secret
            if provider == "github"
            else SETTINGS.google_client_secret
        )
        assert secret is not None
        grant = self.grants.pop(form.get("code", ""), None)
        if (
            grant is None
            or grant.provider != provider
            or form.get("grant_type") != "authorization_code"
            or form.get("client_secret") != secret.get_secret_value()
            or form.get("redirect_uri") != grant.redirect_uri
            or _s256(form.get("code_verifier", "")) != grant.challenge
        ):
            return None
        return grant

    def _github_token(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            return httpx.Response(502)
        grant = self._redeem(request, "github")
        if grant is None:  # GitHub refuses with a 200
            return httpx.Response(200, json={"error": "bad_verification_code"})
        token = "gho_" + secrets.token_urlsafe(16)
        self.tokens[token] = grant.user
        return httpx.Response(
            200, json={"access_token": token, "token_type": "bearer", "scope": ""}
        )

    def _github_account(self, request: httpx.Request) -> dict[str, Any] | None:
        auth = request.headers.get("authorization", "")
        return self.tokens.get(auth.removeprefix("Bearer "))

    def _github_user(self, request: httpx.Request) -> httpx.Response:
        user = self._github_account(request)
        if user is None:
            return httpx.Response(401, json={"message": "Bad credentials"})
        return httpx.Response(200, json={"id": user["id"], "login": user["login"]})

    def _github_emails(self, request: httpx.Request) -> httpx.Response:
        user = self._github_account(request)
        if user is None:
            return httpx.Response(401, json={"message": "Bad credentials"})
        return httpx.Response(200, json=user.get("emails", []))

    def _google_token(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            return httpx.Response(503)
        grant = self._redeem(request, "google")
        if grant is None:
            return httpx.Response(400, json={"error": "invalid_grant"})
        now = int(time.time())
        claims = {
            "iss": "https://accounts.google.com",
            "aud": SETTINGS.google_client_id,
            "iat": now,
            "exp": now + 3600,
            "nonce": grant.nonce,
            **grant.user,
            **grant.id_token_changes,
        }
        id_token = jwt.encode(
            claims,
            grant.signing_key or self.key,
            algorithm="RS256",
            headers={"kid": self.key_id},
        )
        return httpx.Response(
            200,
            json={
                "access_token": "ya29." + secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 3599,
                "id_token": id_token,
            },
        )

    def _jwks(self, request: httpx.Request) -> httpx.Response:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return httpx.Response(
            200,
            json={"keys": [jwk | {"kid": self.key_id, "use": "sig", "alg": "RS256"}]},
        )
