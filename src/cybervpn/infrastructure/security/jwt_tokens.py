"""Signed JWTs (PyJWT): access tokens and two-factor login challenges.

Keys form a keyring: the first signs, all verify, each named by a `kid` derived from
the key itself, so a secret can be rotated without logging everyone out. The algorithm
is pinned: a token naming any other (`none` included) is refused.
"""

import hashlib
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import jwt

from cybervpn.application.common.clock import Clock
from cybervpn.application.identity.ports import AccessClaims, IssuedAccessToken
from cybervpn.domain.identity.errors import InvalidTokenError

# Token types (the JWT "typ" header), so one kind can never pass for another.
ACCESS_TOKEN_TYPE = "at+jwt"  # noqa: S105
CHALLENGE_TOKEN_TYPE = "2fa-challenge+jwt"  # noqa: S105
CHALLENGE_TTL = timedelta(minutes=5)
_REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "jti"]
# Clock skew between the servers that sign and verify.
LEEWAY = timedelta(seconds=10)
# Access tokens already verified, kept by their exact text (ADR 0003).
VERIFIED_ACCESS_TOKENS_KEPT = 4096


def key_id(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


class JwtKeyring:
    def __init__(
        self,
        *,
        secrets: Sequence[str],
        algorithm: str,
        issuer: str,
        audience: str,
        clock: Clock,
    ) -> None:
        if not secrets:
            raise ValueError("at least one signing key is required")
        self._keys = {key_id(secret): secret for secret in secrets}
        self._signing_kid = key_id(secrets[0])
        self._algorithm = algorithm
        self._issuer = issuer
        self._audience = audience
        self._clock = clock

    def sign(
        self, *, subject: str, token_type: str, ttl: timedelta, **extra: Any
    ) -> str:
        now = self._clock.now()
        claims = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": subject,
            "iat": now,
            "exp": now + ttl,
            "jti": uuid4().hex,
            **extra,
        }
        return jwt.encode(
            claims,
            self._keys[self._signing_kid],
            algorithm=self._algorithm,
            headers={"kid": self._signing_kid, "typ": token_type},
        )

    def decode(self, token: str, token_type: str) -> dict[str, Any]:
        """The claims of a valid token of this type; InvalidTokenError otherwise."""
        try:
            header = jwt.get_unverified_header(token)
            key = self._keys.get(str(header.get("kid")))
            if key is None or header.get("typ") != token_type:
                raise InvalidTokenError
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[self._algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=LEEWAY,
                options={"require": _REQUIRED_CLAIMS, "strict_aud": True},
            )
        except jwt.PyJWTError as error:
            raise InvalidTokenError from error
        return claims


class JwtAccessTokens:
    """Access tokens, verified once per process.

    A client sends the same access token with every request of its quarter hour,
    and the same text verifies the same way every time against a keyring that does
    not change while the process runs: so a verified token is kept (by its exact
    text, the least recently used dropped first) and only its expiry is checked
    again. Nothing that failed is kept. Revocation does not rest on this: the
    session behind the token is looked up on every request.
    """

    def __init__(self, keyring: JwtKeyring, ttl: timedelta) -> None:
        self._keyring = keyring
        self._ttl = ttl
        self._verified: dict[str, tuple[AccessClaims, float]] = {}

    def issue(self, account_id: UUID, session_id: UUID) -> IssuedAccessToken:
        token = self._keyring.sign(
            subject=str(account_id),
            token_type=ACCESS_TOKEN_TYPE,
            ttl=self._ttl,
            sid=str(session_id),
        )
        return IssuedAccessToken(token=token, expires_in=int(self._ttl.total_seconds()))

    def verify(self, token: str) -> AccessClaims:
        known = self._verified.pop(token, None)
        if known is not None and time.time() < known[1]:
            self._verified[token] = known
            return known[0]
        claims = self._keyring.decode(token, ACCESS_TOKEN_TYPE)
        access = AccessClaims(
            account_id=uuid_claim(claims, "sub"), session_id=uuid_claim(claims, "sid")
        )
        if len(self._verified) >= VERIFIED_ACCESS_TOKENS_KEPT:
            del self._verified[next(iter(self._verified))]
        self._verified[token] = (access, claims["exp"] + LEEWAY.total_seconds())
        return access


class JwtChallengeTokens:
    def __init__(self, keyring: JwtKeyring) -> None:
        self._keyring = keyring

    def issue(self, account_id: UUID) -> str:
        return self._keyring.sign(
            subject=str(account_id), token_type=CHALLENGE_TOKEN_TYPE, ttl=CHALLENGE_TTL
        )

    def verify(self, token: str) -> UUID:
        return uuid_claim(self._keyring.decode(token, CHALLENGE_TOKEN_TYPE), "sub")


def uuid_claim(claims: dict[str, Any], name: str) -> UUID:
    """A claim that must hold a UUID as text; anything else (a number, an object,
    nothing) makes the token invalid, never an error of ours."""
    value = claims.get(name)
    if not isinstance(value, str):
        raise InvalidTokenError
    try:
        return UUID(value)
    except ValueError as error:
        raise InvalidTokenError from error
