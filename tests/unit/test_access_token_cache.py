"""Access tokens are verified once per process and then only their expiry is
checked again (ADR 0003): what is kept must still expire, and stay bounded."""

import time
from datetime import timedelta
from uuid import uuid4

import jwt
import pytest

from cybervpn.domain.identity.errors import InvalidTokenError
from cybervpn.infrastructure.clock import SystemClock
from cybervpn.infrastructure.security import jwt_tokens
from cybervpn.infrastructure.security.jwt_tokens import (
    LEEWAY,
    JwtAccessTokens,
    JwtKeyring,
)


def _tokens(ttl: timedelta = timedelta(minutes=15)) -> JwtAccessTokens:
    keyring = JwtKeyring(
        secrets=["k" * 48],
        algorithm="HS256",
        issuer="cybervpn",
        audience="cybervpn-api",
        clock=SystemClock(),
    )
    return JwtAccessTokens(keyring, ttl)


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    # Issued already expired, but inside the leeway for about a second more.
    tokens = _tokens(ttl=-(LEEWAY - timedelta(seconds=1.5)))
    token = tokens.issue(uuid4(), uuid4()).token
    assert tokens.verify(token) == tokens.verify(token)  # kept after the first
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    time.sleep(max(0.0, expires + LEEWAY.total_seconds() - time.time()) + 0.05)
    with pytest.raises(InvalidTokenError):
        tokens.verify(token)


def test_a_token_with_the_same_claims_and_another_signature_is_refused() -> None:
    # What is kept is the exact text: the claims alone vouch for nothing.
    tokens = _tokens()
    token = tokens.issue(uuid4(), uuid4()).token
    tokens.verify(token)
    header, claims, signature = token.split(".")
    forged = "A" if signature[0] != "A" else "B"
    tampered = f"{header}.{claims}.{forged}{signature[1:]}"
    with pytest.raises(InvalidTokenError):
        tokens.verify(tampered)


def test_the_least_recently_used_token_is_dropped_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(jwt_tokens, "VERIFIED_ACCESS_TOKENS_KEPT", 2)
    tokens = _tokens()
    first, second, third = (tokens.issue(uuid4(), uuid4()).token for _ in range(3))
    for token in (first, second, first, third):
        tokens.verify(token)
    assert set(tokens._verified) == {first, third}
