"""The user journeys of the PRD, through the API only."""

import httpx
import pytest
from fastapi import FastAPI

from cybervpn.domain.identity.roles import Role
from tests.helpers import (
    API,
    PASSWORD,
    bearer,
    enable_two_factor,
    login,
    register,
    staff_tokens,
    totp_code,
)

pytestmark = pytest.mark.e2e


async def test_register_login_protected_call_refresh_logout(
    client: httpx.AsyncClient,
) -> None:
    assert (await register(client, "journey@example.com")).status_code == 201
    tokens = (await login(client, "journey@example.com")).json()

    me = await client.get(f"{API}/auth/me", headers=bearer(tokens["access_token"]))
    assert me.status_code == 200
    assert me.json()["email"] == "journey@example.com"

    refreshed = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 200
    new_tokens = refreshed.json()
    assert new_tokens["refresh_token"] != tokens["refresh_token"]

    logout = await client.post(
        f"{API}/auth/logout", json={"refresh_token": new_tokens["refresh_token"]}
    )
    assert logout.status_code == 204
    after = await client.get(
        f"{API}/auth/me", headers=bearer(new_tokens["access_token"])
    )
    assert after.status_code == 401
    again = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": new_tokens["refresh_token"]}
    )
    assert again.status_code == 401


async def test_admin_creates_account_then_deactivates_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await staff_tokens(app, client, "boss@example.com", Role.ADMIN)
    created = await client.post(
        f"{API}/admin/accounts",
        json={"email": "agent@example.com", "password": PASSWORD, "role": "support"},
        headers=bearer(admin["access_token"]),
    )
    assert created.status_code == 201
    agent = (await login(client, "agent@example.com")).json()
    assert (
        await client.get(f"{API}/auth/me", headers=bearer(agent["access_token"]))
    ).status_code == 200

    deactivated = await client.patch(
        f"{API}/admin/accounts/{created.json()['id']}",
        json={"is_active": False},
        headers=bearer(admin["access_token"]),
    )
    assert deactivated.status_code == 200
    assert deactivated.json()["is_active"] is False

    failed = await login(client, "agent@example.com")
    assert failed.status_code == 401
    assert failed.json() == {
        "detail": "Invalid credentials",
        "code": "invalid_credentials",
    }
    me = await client.get(f"{API}/auth/me", headers=bearer(agent["access_token"]))
    assert me.status_code == 401
    refresh = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": agent["refresh_token"]}
    )
    assert refresh.status_code == 401


async def test_two_factor_login_and_single_use_backup_code(
    client: httpx.AsyncClient,
) -> None:
    assert (await register(client, "careful@example.com")).status_code == 201
    tokens = (await login(client, "careful@example.com")).json()
    secret, backup_codes = await enable_two_factor(client, tokens["access_token"])
    assert len(backup_codes) == 10

    challenged = await login(client, "careful@example.com")
    assert challenged.status_code == 200
    body = challenged.json()
    assert body["requires_2fa"] is True
    assert "access_token" not in body

    with_totp = await client.post(
        f"{API}/auth/login/2fa",
        json={"challenge_token": body["challenge_token"], "code": totp_code(secret, 1)},
    )
    assert with_totp.status_code == 200
    assert with_totp.json()["access_token"]

    challenge = (await login(client, "careful@example.com")).json()["challenge_token"]
    first = await client.post(
        f"{API}/auth/login/2fa",
        json={"challenge_token": challenge, "code": backup_codes[0]},
    )
    assert first.status_code == 200
    second = await client.post(
        f"{API}/auth/login/2fa",
        json={"challenge_token": challenge, "code": backup_codes[0]},
    )
    assert second.status_code == 401
    assert second.json()["code"] == "invalid_two_factor_code"
