"""TOTP enrolment, replay protection, backup codes and turning 2FA off."""

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from cybervpn.infrastructure.persistence.models import TotpCredentialModel
from cybervpn.presentation.http.container import Container
from tests.helpers import (
    API,
    PASSWORD,
    bearer,
    enable_two_factor,
    login,
    signed_up_tokens,
    totp_code,
)

pytestmark = pytest.mark.integration


async def _status(client: httpx.AsyncClient, token: str) -> dict[str, Any]:
    response = await client.get(f"{API}/2fa/status", headers=bearer(token))
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def test_setup_requires_the_password(client: httpx.AsyncClient) -> None:
    tokens = await signed_up_tokens(client, "setup@example.com")
    response = await client.post(
        f"{API}/2fa/setup",
        json={"password": "wrong password"},
        headers=bearer(tokens["access_token"]),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "wrong_password"


async def test_enrolment_flow_and_status(client: httpx.AsyncClient, app: Any) -> None:
    tokens = await signed_up_tokens(client, "enrol@example.com")
    token = tokens["access_token"]
    assert (await _status(client, token))["enabled"] is False

    setup = await client.post(
        f"{API}/2fa/setup", json={"password": PASSWORD}, headers=bearer(token)
    )
    body = setup.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/CyberVPN:enrol%40example.com")
    assert (await _status(client, token))["pending_setup"] is True

    wrong = await client.post(
        f"{API}/2fa/enable", json={"code": "000000"}, headers=bearer(token)
    )
    assert wrong.status_code == 401
    enabled = await client.post(
        f"{API}/2fa/enable",
        json={"code": totp_code(body["secret"])},
        headers=bearer(token),
    )
    assert enabled.status_code == 200
    codes = enabled.json()["backup_codes"]
    assert len(set(codes)) == 10

    status = await _status(client, token)
    assert status["enabled"] is True and status["backup_codes_remaining"] == 10
    me = (await client.get(f"{API}/auth/me", headers=bearer(token))).json()
    assert me["two_factor_enabled"] is True

    container: Container = app.state.container
    async with container.session_factory() as session:
        stored = await session.scalar(select(TotpCredentialModel.encrypted_secret))
    assert stored is not None and body["secret"] not in stored
    assert container.cipher.decrypt(stored) == body["secret"]

    again = await client.post(
        f"{API}/2fa/setup", json={"password": PASSWORD}, headers=bearer(token)
    )
    assert again.status_code == 409


async def test_enable_without_setup_is_a_conflict(client: httpx.AsyncClient) -> None:
    tokens = await signed_up_tokens(client, "nosetup@example.com")
    response = await client.post(
        f"{API}/2fa/enable",
        json={"code": "123456"},
        headers=bearer(tokens["access_token"]),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "two_factor_setup_missing"


async def test_a_totp_code_works_only_once(client: httpx.AsyncClient) -> None:
    tokens = await signed_up_tokens(client, "replay@example.com")
    secret, _ = await enable_two_factor(client, tokens["access_token"])
    challenge = (await login(client, "replay@example.com")).json()["challenge_token"]
    code = totp_code(secret)  # the very code that enabled 2FA
    replay = await client.post(
        f"{API}/auth/login/2fa", json={"challenge_token": challenge, "code": code}
    )
    assert replay.status_code == 401
    next_step = totp_code(secret, 1)
    ok = await client.post(
        f"{API}/auth/login/2fa", json={"challenge_token": challenge, "code": next_step}
    )
    assert ok.status_code == 200
    again = await client.post(
        f"{API}/auth/login/2fa", json={"challenge_token": challenge, "code": next_step}
    )
    assert again.status_code == 401


async def test_invalid_challenge_token_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/auth/login/2fa", json={"challenge_token": "forged", "code": "123456"}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


async def test_regenerating_backup_codes_retires_the_old_ones(
    client: httpx.AsyncClient,
) -> None:
    tokens = await signed_up_tokens(client, "regen@example.com")
    _, old_codes = await enable_two_factor(client, tokens["access_token"])
    regenerated = await client.post(
        f"{API}/2fa/backup-codes",
        json={"password": PASSWORD, "code": old_codes[0]},
        headers=bearer(tokens["access_token"]),
    )
    assert regenerated.status_code == 200
    new_codes = regenerated.json()["backup_codes"]
    assert not set(new_codes) & set(old_codes)

    challenge = (await login(client, "regen@example.com")).json()["challenge_token"]
    stale = await client.post(
        f"{API}/auth/login/2fa",
        json={"challenge_token": challenge, "code": old_codes[1]},
    )
    assert stale.status_code == 401
    typed_loosely = new_codes[0].replace("-", " ").lower()
    fresh = await client.post(
        f"{API}/auth/login/2fa",
        json={"challenge_token": challenge, "code": typed_loosely},
    )
    assert fresh.status_code == 200


async def test_disable_needs_password_and_code(client: httpx.AsyncClient) -> None:
    tokens = await signed_up_tokens(client, "off@example.com")
    token = tokens["access_token"]
    secret, _ = await enable_two_factor(client, token)
    bad_code = await client.post(
        f"{API}/2fa/disable",
        json={"password": PASSWORD, "code": "000000"},
        headers=bearer(token),
    )
    assert bad_code.status_code == 401
    bad_password = await client.post(
        f"{API}/2fa/disable",
        json={"password": "wrong password", "code": totp_code(secret, 1)},
        headers=bearer(token),
    )
    assert bad_password.status_code == 422
    disabled = await client.post(
        f"{API}/2fa/disable",
        json={"password": PASSWORD, "code": totp_code(secret, 1)},
        headers=bearer(token),
    )
    assert disabled.status_code == 204
    assert (await _status(client, token))["enabled"] is False
    plain = await login(client, "off@example.com")
    assert "access_token" in plain.json()
    not_enabled = await client.post(
        f"{API}/2fa/disable",
        json={"password": PASSWORD, "code": "123456"},
        headers=bearer(token),
    )
    assert not_enabled.status_code == 409
