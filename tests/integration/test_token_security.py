"""Access tokens that must be refused: forged, expired, wrong audience, alg=none..."""

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest

from cybervpn.config import JwtSettings
from cybervpn.infrastructure.security.jwt_tokens import key_id
from tests.helpers import API, bearer, login, register, signed_up_tokens

pytestmark = pytest.mark.integration
SECRET = "t" * 48


def _claims_of(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def _forge(
    claims: dict[str, Any], *, key: str = SECRET, alg: str = "HS256", **header: Any
) -> str:
    headers = {"kid": key_id(SECRET), "typ": "at+jwt", **header}
    return jwt.encode(claims, key, algorithm=alg, headers=headers)


async def _me(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.get(f"{API}/auth/me", headers=bearer(token))


@pytest.fixture
async def genuine(client: httpx.AsyncClient) -> dict[str, Any]:
    tokens = await signed_up_tokens(client, "holder@example.com")
    assert (await _me(client, tokens["access_token"])).status_code == 200
    return _claims_of(tokens["access_token"])


async def test_token_signed_with_another_key_is_refused(
    client: httpx.AsyncClient, genuine: dict[str, Any]
) -> None:
    assert (await _me(client, _forge(genuine, key="x" * 48))).status_code == 401


async def test_expired_token_is_refused(
    client: httpx.AsyncClient, genuine: dict[str, Any]
) -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    expired = {**genuine, "iat": past, "exp": past + timedelta(minutes=15)}
    response = await _me(client, _forge(expired))
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid or expired token"


async def test_wrong_audience_or_issuer_is_refused(
    client: httpx.AsyncClient, genuine: dict[str, Any]
) -> None:
    assert (
        await _me(client, _forge({**genuine, "aud": "other-api"}))
    ).status_code == 401
    assert (
        await _me(client, _forge({**genuine, "iss": "someone-else"}))
    ).status_code == 401


async def test_alg_none_is_refused(
    client: httpx.AsyncClient, genuine: dict[str, Any]
) -> None:
    def b64(data: dict[str, Any]) -> str:
        raw = json.dumps(data, default=str).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    header = {"alg": "none", "typ": "at+jwt", "kid": key_id(SECRET)}
    unsigned = f"{b64(header)}.{b64(genuine)}."
    assert (await _me(client, unsigned)).status_code == 401


# The forger reuses our 48-byte HS256 key with HS512, which PyJWT warns about.
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
async def test_other_hmac_algorithm_with_the_right_key_is_refused(
    client: httpx.AsyncClient, genuine: dict[str, Any]
) -> None:
    assert (await _me(client, _forge(genuine, alg="HS512"))).status_code == 401


async def test_missing_claim_is_refused(
    client: httpx.AsyncClient, genuine: dict[str, Any]
) -> None:
    without_jti = {k: v for k, v in genuine.items() if k != "jti"}
    assert (await _me(client, _forge(without_jti))).status_code == 401


async def test_challenge_token_is_not_an_access_token(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "mixup@example.com")
    tokens = (await login(client, "mixup@example.com")).json()
    claims = _claims_of(tokens["access_token"])
    as_challenge = _forge(claims, typ="2fa-challenge+jwt")
    assert (await _me(client, as_challenge)).status_code == 401


async def test_garbage_is_refused(client: httpx.AsyncClient) -> None:
    assert (await _me(client, "not-a-jwt")).status_code == 401


async def test_tokens_signed_with_a_retired_key_still_verify_during_rotation(
    client: httpx.AsyncClient, client_factory: Any
) -> None:
    tokens = await signed_up_tokens(client, "rotation@example.com")
    rotated = JwtSettings(secret="n" * 48, previous_secrets=[SECRET])
    async with client_factory(jwt=rotated) as (_, new_client):
        assert (await _me(new_client, tokens["access_token"])).status_code == 200
        fresh = (await login(new_client, "rotation@example.com")).json()
        assert jwt.get_unverified_header(fresh["access_token"])["kid"] == key_id(
            "n" * 48
        )
    assert (await _me(client, fresh["access_token"])).status_code == 401
