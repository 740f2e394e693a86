"""Plans for staff and customers, the trial, and who may read which payment."""

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from cybervpn.config import CryptoBotSettings
from cybervpn.domain.catalog.plan import Plan, PlanNotFoundError
from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from cybervpn.infrastructure.sandbox.telegram.login import mini_app_init_data
from cybervpn.presentation.http.catalog.use_cases import get_list_plans
from tests.commerce import (
    MONTH_PLAN,
    admin_headers,
    buy,
    create_plan,
    customer,
    pay_in_sandbox,
    run_jobs,
    verified_customer,
    vpn_user_of,
)
from tests.helpers import API, PASSWORD, bearer, staff_tokens

pytestmark = pytest.mark.integration


async def test_staff_manage_plans_and_customers_see_the_active_ones(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await admin_headers(app, client)
    buyer = await customer(client, "shopper@example.com")
    refused = await client.post(f"{API}/admin/plans", json=MONTH_PLAN, headers=buyer)
    assert refused.status_code == 403
    for bad in ({"price": "0"}, {"price": "1.999"}, {"code": "Has Spaces"}):
        invalid = await client.post(
            f"{API}/admin/plans", json=MONTH_PLAN | bad, headers=admin
        )
        assert invalid.status_code == 422, bad
    plan = await create_plan(client, admin)
    assert plan["price"] == "4.99" and plan["traffic_limit_bytes"] == 100 * 1024**3
    taken = await client.post(f"{API}/admin/plans", json=MONTH_PLAN, headers=admin)
    assert taken.status_code == 409 and taken.json()["code"] == "plan_code_taken"
    spare = await create_plan(client, admin, code="spare", sort_order=-1)
    assert [p["code"] for p in (await client.get(f"{API}/plans")).json()["items"]] == [
        "spare",
        "month",
    ]

    changed = await client.patch(
        f"{API}/admin/plans/{plan['id']}",
        json={"price": "5.49", "device_limit": None, "is_active": False},
        headers=admin,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["price"] == "5.49" and changed.json()["device_limit"] is None
    assert changed.json()["traffic_limit_bytes"] == 100 * 1024**3
    blank = await client.patch(
        f"{API}/admin/plans/{plan['id']}", json={"name": None}, headers=admin
    )
    assert blank.json()["name"] == "One month"  # a null never blanks a required field
    assert [p["code"] for p in (await client.get(f"{API}/plans")).json()["items"]] == [
        "spare"
    ]
    everything = await client.get(f"{API}/admin/plans", headers=admin)
    assert len(everything.json()) == 2
    not_for_sale = await client.post(
        f"{API}/payments/crypto/invoice", json={"plan_id": plan["id"]}, headers=buyer
    )
    assert not_for_sale.status_code == 422
    assert not_for_sale.json()["code"] == "plan_not_for_sale"

    await buy(client, buyer, spare["id"])
    sold = await client.delete(f"{API}/admin/plans/{spare['id']}", headers=admin)
    assert sold.status_code == 409 and sold.json()["code"] == "plan_sold"
    unsold = await client.delete(f"{API}/admin/plans/{plan['id']}", headers=admin)
    assert unsold.status_code == 204
    audit = await client.get(f"{API}/admin/audit-log", headers=admin)
    actions = [e["action"] for e in audit.json()["items"]]
    assert {"plan.created", "plan.updated", "plan.deleted"} <= set(actions)


async def test_one_trial_per_account(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    trier = await verified_customer(app, client, "trier@example.com")
    account_id = (await client.get(f"{API}/auth/me", headers=trier)).json()["id"]
    attempts = await asyncio.gather(
        *(client.post(f"{API}/trial", headers=trier) for _ in range(5))
    )
    assert sorted(r.status_code for r in attempts) == [201, 409, 409, 409, 409]
    started = next(r.json() for r in attempts if r.status_code == 201)
    assert started["is_trial"] and started["traffic_limit_bytes"] == 5 * 1024**3
    await run_jobs(app)
    me = (await client.get(f"{API}/subscriptions/me", headers=trier)).json()
    assert me["status"] == "active" and me["is_trial"] and me["plan"] is None
    assert vpn_user_of(sandbox, account_id).hwid_device_limit == 1

    # A customer who already bought gets no trial either.
    plan = await create_plan(client, await admin_headers(app, client))
    buyer = await verified_customer(app, client, "payer@example.com")
    await pay_in_sandbox(client, (await buy(client, buyer, plan["id"]))["invoice_id"])
    assert (await client.post(f"{API}/trial", headers=buyer)).status_code == 409


async def test_customers_read_only_their_own_payments(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    alice = await customer(client, "alice@example.com")
    bob = await customer(client, "bob@example.com")
    invoice = await buy(client, alice, plan["id"])
    url = f"{API}/payments/{invoice['payment_id']}"

    assert (await client.get(url, headers=alice)).status_code == 200
    assert (await client.get(url, headers=bob)).status_code == 404
    assert (await client.get(url)).status_code == 401
    bob_history = await client.get(f"{API}/payments/history", headers=bob)
    assert bob_history.json()["total"] == 0
    # A customer's filter cannot widen their view.
    alice_id = (await client.get(f"{API}/auth/me", headers=alice)).json()["id"]
    probing = await client.get(
        f"{API}/payments/history", params={"account_id": alice_id}, headers=bob
    )
    assert probing.json()["total"] == 0

    support = bearer(
        (await staff_tokens(app, client, "help@example.com", Role.SUPPORT))[
            "access_token"
        ]
    )
    assert (await client.get(url, headers=support)).status_code == 200
    everyone = await client.get(
        f"{API}/payments/history", params={"status": "pending"}, headers=support
    )
    assert everyone.json()["total"] == 1
    assert everyone.json()["items"][0]["account_id"] == alice_id


async def test_the_provider_down_answers_503_and_the_payment_is_marked_failed(
    client_factory: Any,
) -> None:
    unreachable = CryptoBotSettings(
        token="1234:unused", api_url="http://127.0.0.1:9/api", reconcile_seconds=3600
    )
    async with client_factory(cryptobot=unreachable) as (app, client):
        plan = await create_plan(client, await admin_headers(app, client))
        buyer = await customer(client, "unlucky@example.com")
        response = await client.post(
            f"{API}/payments/crypto/invoice",
            json={"plan_id": plan["id"]},
            headers=buyer,
        )
        assert response.status_code == 503
        assert response.json() == {
            "detail": "Payment provider unavailable",
            "code": "payment_provider_unavailable",
        }
        history = (await client.get(f"{API}/payments/history", headers=buyer)).json()
        assert [p["status"] for p in history["items"]] == ["failed"]
        # With a real provider configured, the sandbox pay shortcut is not mounted.
        shortcut = await client.post(f"{API}/sandbox/cryptobot/invoices/1000/pay")
        assert shortcut.status_code == 404


async def test_staff_without_2fa_see_no_payments_where_2fa_is_required(
    client_factory: Any, settings: Any
) -> None:
    strict = settings.security.model_copy(update={"staff_require_2fa": True})
    async with client_factory(security=strict) as (app, client):
        buyer = await customer(client, "own@example.com")
        mine = await client.get(f"{API}/payments/history", headers=buyer)
        assert mine.status_code == 200  # customers never need 2FA
        support = await staff_tokens(app, client, "nofa@example.com", Role.SUPPORT)
        refused = await client.get(
            f"{API}/payments/history", headers=bearer(support["access_token"])
        )
        assert refused.status_code == 403
        assert refused.json()["code"] == "two_factor_required"


async def test_a_use_case_is_swapped_through_its_dependency(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    class NoPlans:
        async def execute(self, *, active_only: bool) -> list[Plan]:
            raise PlanNotFoundError

    app.dependency_overrides[get_list_plans] = NoPlans
    try:
        response = await client.get(f"{API}/plans")
    finally:
        del app.dependency_overrides[get_list_plans]
    assert response.status_code == 404
    assert response.json()["code"] == "plan_not_found"


async def test_the_trial_needs_a_verified_contact_and_is_given_once_per_contact(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    unproved = await customer(client, "throwaway@example.com")
    refused = await client.post(f"{API}/trial", headers=unproved)
    assert (refused.status_code, refused.json()["code"]) == (
        403,
        "verified_contact_required",
    )

    first = await verified_customer(app, client, "once@example.com")
    assert (await client.post(f"{API}/trial", headers=first)).status_code == 201
    gone = await client.request(
        "DELETE", f"{API}/auth/me", json={"password": PASSWORD}, headers=first
    )
    assert gone.status_code == 204
    again = await verified_customer(app, client, "once@example.com")
    second = await client.post(f"{API}/trial", headers=again)
    assert (second.status_code, second.json()["code"]) == (409, "trial_used")

    token = app.state.container.telegram_login_token
    init_data = {"init_data": mini_app_init_data(token, telegram_id=4440001)}
    for attempt, expected in enumerate((201, 409)):
        signed_in = await client.post(f"{API}/auth/telegram/miniapp", json=init_data)
        headers = bearer(signed_in.json()["access_token"])
        started = await client.post(f"{API}/trial", headers=headers)
        assert started.status_code == expected, started.text
        if attempt == 0:  # the Telegram user leaves and comes back as a new account
            fresh = {"init_data": mini_app_init_data(token, telegram_id=4440001)}
            await client.request(
                "DELETE", f"{API}/auth/me", json=fresh, headers=headers
            )
    assert started.json()["code"] == "trial_used"
