"""Referrals: a code per account, linking at sign-up, one reward per referee."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from tests.commerce import (
    admin_headers,
    buy,
    create_plan,
    customer,
    pay_in_sandbox,
    run_jobs,
)
from tests.helpers import API, bearer, login, register

pytestmark = pytest.mark.integration


async def _referral(client: httpx.AsyncClient, headers: dict[str, str]) -> Any:
    response = await client.get(f"{API}/referral", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _referred(client: httpx.AsyncClient, email: str, code: str) -> dict[str, str]:
    assert (await register(client, email, referral_code=code)).status_code == 201
    return bearer((await login(client, email)).json()["access_token"])


async def _purchase(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], plan_id: str
) -> None:
    await pay_in_sandbox(client, (await buy(client, headers, plan_id))["invoice_id"])
    await run_jobs(app)


async def _expiry(client: httpx.AsyncClient, headers: dict[str, str]) -> datetime:
    me = (await client.get(f"{API}/subscriptions/me", headers=headers)).json()
    return datetime.fromisoformat(me["expires_at"])


async def test_the_referrer_earns_bonus_days_once_per_referee(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    referrer = await customer(client, "host@example.com")
    summary = await _referral(client, referrer)
    code = summary["code"]
    assert len(code) == 8 and summary["referred_count"] == 0
    assert summary["bonus_days_per_referral"] == 7
    assert (await _referral(client, referrer))["code"] == code  # stable

    unknown = await register(client, "typo@example.com", referral_code="NOSUCH99")
    assert (
        unknown.status_code == 422 and unknown.json()["code"] == "unknown_referral_code"
    )
    assert (await register(client, "typo@example.com")).status_code == 201

    await _purchase(app, client, referrer, plan["id"])
    before = await _expiry(client, referrer)
    guest = await _referred(client, "guest@example.com", code.lower())
    await _referred(client, "window@example.com", code)  # registers, never pays
    await _purchase(app, client, guest, plan["id"])
    await _purchase(app, client, guest, plan["id"])  # a second payment: no reward
    assert await _expiry(client, referrer) - before == timedelta(days=7)
    assert await _referral(client, referrer) | {"code": None} == {
        "code": None,
        "referred_count": 2,
        "rewarded_count": 1,
        "reward_days": 7,
        "pending_reward_days": 0,
        "bonus_days_per_referral": 7,
    }


async def test_a_reward_waits_for_the_referrers_first_purchase(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    referrer = await customer(client, "later@example.com")
    code = (await _referral(client, referrer))["code"]
    friend = await _referred(client, "friend@example.com", code)
    await _purchase(app, client, friend, plan["id"])
    assert (await _referral(client, referrer))["pending_reward_days"] == 7

    await _purchase(app, client, referrer, plan["id"])
    expected = datetime.now(UTC) + timedelta(days=37)
    assert abs(await _expiry(client, referrer) - expected) < timedelta(minutes=1)
    assert (await _referral(client, referrer))["pending_reward_days"] == 0
