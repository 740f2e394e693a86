"""Whole journeys of customers and staff, through the API (and the sandboxes and
the job runner standing in for the outside world and the worker)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from fastapi import FastAPI

from cybervpn.config import SecuritySettings, Settings
from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from tests.commerce import (
    admin_headers,
    buy,
    create_plan,
    customer,
    pay_in_sandbox,
    run_jobs,
    vpn_user_of,
)
from tests.helpers import (
    API,
    bearer,
    enable_two_factor,
    login,
    register,
    staff_tokens,
    totp_code,
)
from tests.mail_server import MailServer

pytestmark = pytest.mark.e2e
DAY = timedelta(days=1)


def _close(value: str, expected: datetime) -> bool:
    return abs(datetime.fromisoformat(value) - expected) < timedelta(minutes=1)


async def _get(client: httpx.AsyncClient, path: str, headers: Any) -> Any:
    response = await client.get(f"{API}{path}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_sign_up_buy_a_plan_and_get_vpn_access(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    assert (await register(client, "buyer@example.com")).status_code == 201
    buyer = bearer((await login(client, "buyer@example.com")).json()["access_token"])
    on_sale = await _get(client, "/plans", None)
    assert [p["code"] for p in on_sale["items"]] == ["month"]

    invoice = await buy(client, buyer, plan["id"])
    assert invoice["status"] == "pending" and invoice["amount"] == "4.99"
    paid = await pay_in_sandbox(client, invoice["invoice_id"])
    assert paid["webhook_outcome"] == "processed"
    await run_jobs(app)

    me = await _get(client, "/subscriptions/me", buyer)
    assert me["status"] == "active" and me["subscription_url"]
    assert _close(me["expires_at"], datetime.now(UTC) + 30 * DAY)
    history = await _get(client, "/payments/history", buyer)
    assert [p["status"] for p in history["items"]] == ["paid"]
    account_id = (await _get(client, "/auth/me", buyer))["id"]
    vpn_user = vpn_user_of(sandbox, account_id)
    assert vpn_user is not None and vpn_user.hwid_device_limit == 3


async def test_a_panel_outage_during_a_purchase_loses_nothing(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    admin = await admin_headers(app, client)
    plan = await create_plan(client, admin)
    buyer = await customer(client, "unlucky@example.com")
    invoice = await buy(client, buyer, plan["id"])

    sandbox.outage = True
    paid = await pay_in_sandbox(client, invoice["invoice_id"])
    assert paid["webhook_outcome"] == "processed"  # the money is in
    await run_jobs(app)
    waiting = await _get(client, "/subscriptions/me", buyer)
    assert waiting["status"] == "provisioning"
    assert waiting["traffic_used_bytes"] is None  # the panel cannot say
    jobs = await _get(client, "/admin/provisioning", admin)
    assert jobs["total"] == 1 and jobs["items"][0]["status"] == "pending"

    sandbox.outage = False
    retried = await client.post(
        f"{API}/admin/provisioning/{jobs['items'][0]['id']}/retry", headers=admin
    )
    assert retried.status_code == 200
    await run_jobs(app)
    assert (await _get(client, "/subscriptions/me", buyer))["status"] == "active"
    assert len(sandbox.users) == 1  # provisioned once, not once per attempt


async def test_staff_with_two_factor_change_the_fleet_and_the_audit_log_says_who(
    client_factory: Any, settings: Settings
) -> None:
    strict = settings.security.model_copy(update={"staff_require_2fa": True})
    assert isinstance(strict, SecuritySettings)
    async with client_factory(security=strict) as (app, client):
        app.state.container.vpn_panel.sandbox.reset()
        operator = await staff_tokens(app, client, "ops@example.com", Role.ADMIN)
        headers = bearer(operator["access_token"])
        refused = await client.get(f"{API}/users", headers=headers)
        assert refused.json()["code"] == "two_factor_required"

        secret, _ = await enable_two_factor(client, operator["access_token"])
        challenge = (await login(client, "ops@example.com")).json()["challenge_token"]
        signed_in = await client.post(
            f"{API}/auth/login/2fa",
            json={"challenge_token": challenge, "code": totp_code(secret, 1)},
        )
        assert signed_in.status_code == 200
        headers = bearer(signed_in.json()["access_token"])
        created = await client.post(
            f"{API}/users",
            json={
                "username": "field_agent",
                "expire_at": (datetime.now(UTC) + 7 * DAY).isoformat(),
            },
            headers=headers,
        )
        assert created.status_code == 201, created.text

        me = await _get(client, "/auth/me", headers)
        log = await _get(client, "/admin/audit-log?action=vpn_user.created", headers)
        assert log["total"] == 1
        entry = log["items"][0]
        assert entry["actor_id"] == me["id"]
        assert entry["entity_id"] == str(created.json()["id"])


async def test_a_reused_refresh_token_ends_the_whole_session(
    client: httpx.AsyncClient,
) -> None:
    assert (await register(client, "victim@example.com")).status_code == 201
    first = (await login(client, "victim@example.com")).json()
    rotated = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert rotated.status_code == 200
    current = rotated.json()

    # Someone replays the old token: the session it belongs to ends for everyone.
    stolen = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert stolen.status_code == 401
    after = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": current["refresh_token"]}
    )
    assert after.status_code == 401
    me = await client.get(f"{API}/auth/me", headers=bearer(current["access_token"]))
    assert me.status_code == 401
    fresh = await login(client, "victim@example.com")
    assert fresh.status_code == 200  # the password still works


async def test_a_trial_renewed_with_a_promo_code_rewards_the_referrer(
    app: FastAPI,
    client: httpx.AsyncClient,
    sandbox: PanelState,
    mail_server: MailServer,
) -> None:
    admin = await admin_headers(app, client)
    plan = await create_plan(client, admin)
    promo = await client.post(
        f"{API}/admin/promo-codes",
        json={"code": "WELCOME20", "kind": "percent", "value": "20"},
        headers=admin,
    )
    assert promo.status_code == 201
    host = await customer(client, "host@example.com")
    code = (await _get(client, "/referral", host))["code"]
    assert (
        await register(client, "friend@example.com", referral_code=code)
    ).status_code == 201
    friend = bearer((await login(client, "friend@example.com")).json()["access_token"])

    unproved = await client.post(f"{API}/trial", headers=friend)
    assert unproved.json()["code"] == "verified_contact_required"
    await client.post(f"{API}/auth/email/verify/request", headers=friend)
    await run_jobs(app)
    [link] = (await mail_server.wait_for("friend@example.com"))[-1].links
    token = parse_qs(urlparse(link).query)["token"][0]
    verified = await client.post(f"{API}/auth/email/verify", json={"token": token})
    assert verified.status_code == 204
    trial = await client.post(f"{API}/trial", headers=friend)
    assert trial.status_code == 201
    await run_jobs(app)
    trial_end = (await _get(client, "/subscriptions/me", friend))["expires_at"]

    preview = await client.post(
        f"{API}/promo/validate",
        json={"code": "welcome20", "plan_id": plan["id"]},
        headers=friend,
    )
    assert Decimal(preview.json()["price"]) == Decimal("3.99")
    invoice = await client.post(
        f"{API}/payments/crypto/invoice",
        json={"plan_id": plan["id"], "promo_code": "WELCOME20"},
        headers=friend,
    )
    assert invoice.status_code == 201 and invoice.json()["amount"] == "3.99"
    await pay_in_sandbox(client, invoice.json()["invoice_id"])
    await run_jobs(app)

    renewed = await _get(client, "/subscriptions/me", friend)
    assert renewed["status"] == "active" and renewed["plan"]["code"] == "month"
    # Paid time runs from the end of the trial: renewing early loses nothing.
    expected = datetime.fromisoformat(trial_end) + 30 * DAY
    assert _close(renewed["expires_at"], expected)
    # The host has no access of their own yet: the reward waits for them.
    reward = await _get(client, "/referral", host)
    assert reward["referred_count"] == 1 and reward["pending_reward_days"] == 7
