"""The audit log records staff mutations and security events, and who may read it."""

import httpx
import pytest
from fastapi import FastAPI

from cybervpn.domain.identity.roles import Role
from tests.helpers import API, PASSWORD, bearer, login, signed_up_tokens, staff_tokens

pytestmark = pytest.mark.integration
AUDIT = f"{API}/admin/audit-log"


async def test_staff_mutation_is_recorded_with_before_after_and_origin(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await staff_tokens(app, client, "admin@example.com", Role.ADMIN)
    headers = {
        **bearer(admin["access_token"]),
        "User-Agent": "dashboard/1.0",
        "X-Request-ID": "req-42",
    }
    created = await client.post(
        f"{API}/admin/accounts",
        json={"email": "agent@example.com", "password": PASSWORD, "role": "support"},
        headers=headers,
    )
    account_id = created.json()["id"]
    await client.patch(
        f"{API}/admin/accounts/{account_id}", json={"role": "operator"}, headers=headers
    )

    page = (
        await client.get(
            AUDIT,
            params={"action": "account.updated"},
            headers=bearer(admin["access_token"]),
        )
    ).json()
    assert page["total"] == 1
    entry = page["items"][0]
    assert entry["entity_id"] == account_id
    assert entry["before"]["role"] == "support" and entry["after"]["role"] == "operator"
    assert entry["ip"] == "203.0.113.10"
    assert entry["user_agent"] == "dashboard/1.0"
    assert entry["request_id"] == "req-42"
    me = (
        await client.get(f"{API}/auth/me", headers=bearer(admin["access_token"]))
    ).json()
    assert entry["actor_id"] == me["id"]


async def test_security_events_are_recorded(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await signed_up_tokens(client, "someone@example.com")
    await login(client, "someone@example.com", "wrong password!")
    admin = await staff_tokens(app, client, "admin@example.com", Role.ADMIN)
    headers = bearer(admin["access_token"])
    actions = {
        e["action"]
        for e in (
            await client.get(AUDIT, params={"limit": 100}, headers=headers)
        ).json()["items"]
    }
    assert {
        "account.registered",
        "auth.login_succeeded",
        "auth.login_failed",
    } <= actions
    failures = (
        await client.get(AUDIT, params={"action": "auth.login_failed"}, headers=headers)
    ).json()
    assert failures["items"][0]["after"] == {"reason": "wrong_password"}
    assert "wrong password" not in str(failures)


async def test_audit_log_is_for_roles_allowed_to_read_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    support = await staff_tokens(app, client, "support@example.com", Role.SUPPORT)
    assert (
        await client.get(AUDIT, headers=bearer(support["access_token"]))
    ).status_code == 403


async def test_naive_time_filters_are_a_clear_422(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await staff_tokens(app, client, "admin@example.com", Role.ADMIN)
    response = await client.get(
        AUDIT,
        params={"since": "2026-01-01T00:00:00"},
        headers=bearer(admin["access_token"]),
    )
    assert response.status_code == 422
    aware = await client.get(
        AUDIT,
        params={"since": "2026-01-01T00:00:00Z"},
        headers=bearer(admin["access_token"]),
    )
    assert aware.status_code == 200
