"""Staff account management and the role rules (RBAC, no escalation)."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from cybervpn.config import SecuritySettings
from cybervpn.domain.identity.roles import Role
from tests.helpers import (
    API,
    PASSWORD,
    bearer,
    enable_two_factor,
    signed_up_tokens,
    staff_tokens,
)

pytestmark = pytest.mark.integration
ACCOUNTS = f"{API}/admin/accounts"


async def _create(
    client: httpx.AsyncClient, token: str, email: str, role: str
) -> httpx.Response:
    return await client.post(
        ACCOUNTS,
        json={"email": email, "password": PASSWORD, "role": role},
        headers=bearer(token),
    )


async def test_customers_cannot_reach_staff_endpoints(
    client: httpx.AsyncClient,
) -> None:
    tokens = await signed_up_tokens(client, "cust@example.com")
    listing = await client.get(ACCOUNTS, headers=bearer(tokens["access_token"]))
    assert listing.status_code == 403
    assert listing.json() == {
        "detail": "Insufficient permissions",
        "code": "permission_denied",
    }
    created = await _create(client, tokens["access_token"], "x@example.com", "admin")
    assert created.status_code == 403


async def test_support_reads_but_cannot_create(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    support = await staff_tokens(app, client, "support@example.com", Role.SUPPORT)
    assert (
        await client.get(ACCOUNTS, headers=bearer(support["access_token"]))
    ).status_code == 200
    created = await _create(client, support["access_token"], "y@example.com", "viewer")
    assert created.status_code == 403


async def test_only_a_super_admin_creates_admins(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await staff_tokens(app, client, "admin@example.com", Role.ADMIN)
    assert (
        await _create(client, admin["access_token"], "op@example.com", "operator")
    ).status_code == 201
    assert (
        await _create(client, admin["access_token"], "a2@example.com", "admin")
    ).status_code == 403
    assert (
        await _create(client, admin["access_token"], "sa@example.com", "super_admin")
    ).status_code == 403

    root = await staff_tokens(app, client, "root@example.com", Role.SUPER_ADMIN)
    made = await _create(client, root["access_token"], "a3@example.com", "admin")
    assert made.status_code == 201
    assert made.json()["role"] == "admin"


async def test_admin_cannot_promote_to_admin_or_touch_admins(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await staff_tokens(app, client, "admin@example.com", Role.ADMIN)
    other_admin = await staff_tokens(app, client, "peer@example.com", Role.ADMIN)
    operator = (
        await _create(client, admin["access_token"], "op@example.com", "operator")
    ).json()

    promote = await client.patch(
        f"{ACCOUNTS}/{operator['id']}",
        json={"role": "admin"},
        headers=bearer(admin["access_token"]),
    )
    assert promote.status_code == 403
    peer_id = (
        await client.get(f"{API}/auth/me", headers=bearer(other_admin["access_token"]))
    ).json()["id"]
    demote_peer = await client.patch(
        f"{ACCOUNTS}/{peer_id}",
        json={"is_active": False},
        headers=bearer(admin["access_token"]),
    )
    assert demote_peer.status_code == 403
    fine = await client.patch(
        f"{ACCOUNTS}/{operator['id']}",
        json={"role": "support"},
        headers=bearer(admin["access_token"]),
    )
    assert fine.status_code == 200 and fine.json()["role"] == "support"


async def test_nobody_changes_their_own_role(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    root = await staff_tokens(app, client, "root@example.com", Role.SUPER_ADMIN)
    me = (
        await client.get(f"{API}/auth/me", headers=bearer(root["access_token"]))
    ).json()
    response = await client.patch(
        f"{ACCOUNTS}/{me['id']}",
        json={"role": "viewer"},
        headers=bearer(root["access_token"]),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "self_modification_forbidden"


async def test_customer_cannot_escalate_through_patch(
    client: httpx.AsyncClient,
) -> None:
    tokens = await signed_up_tokens(client, "climber@example.com")
    me = (
        await client.get(f"{API}/auth/me", headers=bearer(tokens["access_token"]))
    ).json()
    response = await client.patch(
        f"{ACCOUNTS}/{me['id']}",
        json={"role": "super_admin"},
        headers=bearer(tokens["access_token"]),
    )
    assert response.status_code == 403
    after = (
        await client.get(f"{API}/auth/me", headers=bearer(tokens["access_token"]))
    ).json()
    assert after["role"] == "customer"


async def test_unknown_account_is_404_without_the_id(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await staff_tokens(app, client, "admin@example.com", Role.ADMIN)
    missing = "00000000-0000-4000-8000-000000000000"
    response = await client.patch(
        f"{ACCOUNTS}/{missing}",
        json={"is_active": False},
        headers=bearer(admin["access_token"]),
    )
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Account not found",
        "code": "account_not_found",
    }
    assert missing not in response.text


async def test_list_filters_and_paginates(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await staff_tokens(app, client, "admin@example.com", Role.ADMIN)
    for n in range(5):
        await signed_up_tokens(client, f"customer{n}@shop.example.com")
    headers = bearer(admin["access_token"])

    customers = (
        await client.get(
            ACCOUNTS, params={"role": "customer", "limit": 2}, headers=headers
        )
    ).json()
    assert customers["total"] == 5 and len(customers["items"]) == 2
    second = (
        await client.get(
            ACCOUNTS,
            params={"role": "customer", "limit": 2, "offset": 2},
            headers=headers,
        )
    ).json()
    assert not {a["id"] for a in customers["items"]} & {
        a["id"] for a in second["items"]
    }

    found = (
        await client.get(ACCOUNTS, params={"q": "customer3"}, headers=headers)
    ).json()
    assert [a["email"] for a in found["items"]] == ["customer3@shop.example.com"]
    literal = (await client.get(ACCOUNTS, params={"q": "%"}, headers=headers)).json()
    assert literal["total"] == 0
    inactive = (
        await client.get(ACCOUNTS, params={"is_active": False}, headers=headers)
    ).json()
    assert inactive["total"] == 0
    too_big = await client.get(ACCOUNTS, params={"limit": 1000}, headers=headers)
    assert too_big.status_code == 422


async def test_staff_must_enable_2fa_where_required(
    client_factory: Any, settings: Any
) -> None:
    strict = settings.security.model_copy(update={"staff_require_2fa": True})
    assert isinstance(strict, SecuritySettings)
    async with client_factory(security=strict) as (app, client):
        admin = await staff_tokens(app, client, "admin@example.com", Role.ADMIN)
        refused = await client.get(ACCOUNTS, headers=bearer(admin["access_token"]))
        assert refused.status_code == 403
        assert refused.json()["code"] == "two_factor_required"
        await enable_two_factor(client, admin["access_token"])
        allowed = await client.get(ACCOUNTS, headers=bearer(admin["access_token"]))
        assert allowed.status_code == 200
