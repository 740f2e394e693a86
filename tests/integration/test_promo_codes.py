"""Promo codes: staff manage them; a discount or bonus days applies at the invoice
and counts as used only once paid."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from tests.commerce import (
    admin_headers,
    create_plan,
    customer,
    pay_in_sandbox,
    run_jobs,
)
from tests.helpers import API

pytestmark = pytest.mark.integration


async def _promo(
    client: httpx.AsyncClient, admin: dict[str, str], **body: Any
) -> dict[str, Any]:
    response = await client.post(f"{API}/admin/promo-codes", json=body, headers=admin)
    assert response.status_code == 201, response.text
    promo: dict[str, Any] = response.json()
    return promo


async def _preview(
    client: httpx.AsyncClient, headers: dict[str, str], code: str, plan_id: str
) -> httpx.Response:
    return await client.post(
        f"{API}/promo/validate",
        json={"code": code, "plan_id": plan_id},
        headers=headers,
    )


async def _invoice(
    client: httpx.AsyncClient, headers: dict[str, str], plan_id: str, code: str
) -> httpx.Response:
    return await client.post(
        f"{API}/payments/crypto/invoice",
        json={"plan_id": plan_id, "promo_code": code},
        headers=headers,
    )


async def test_a_percent_code_discounts_once_per_account_and_counts_when_paid(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    admin = await admin_headers(app, client)
    plan = await create_plan(client, admin)
    buyer = await customer(client, "saver@example.com")
    forbidden = await client.post(
        f"{API}/admin/promo-codes",
        json={"code": "x12", "kind": "percent", "value": "10"},
        headers=buyer,
    )
    assert forbidden.status_code == 403
    too_much = await client.post(
        f"{API}/admin/promo-codes",
        json={"code": "huge", "kind": "percent", "value": "150"},
        headers=admin,
    )
    assert too_much.status_code == 422
    promo = await _promo(client, admin, code="spring20", kind="percent", value="20")
    assert promo["code"] == "SPRING20" and promo["uses"] == 0
    again = await client.post(
        f"{API}/admin/promo-codes",
        json={"code": "Spring20", "kind": "fixed", "value": "1"},
        headers=admin,
    )
    assert again.status_code == 409

    preview = await _preview(client, buyer, "spring20", plan["id"])
    assert preview.status_code == 200, preview.text
    assert preview.json() | {"plan_id": None} == {
        "code": "SPRING20",
        "plan_id": None,
        "original_price": "4.99",
        "price": "3.99",
        "discount": "1.00",
        "bonus_days": 0,
        "currency": "USD",
    }
    # An invoice left unpaid uses up nothing.
    other = await customer(client, "browser@example.com")
    assert (await _invoice(client, other, plan["id"], "SPRING20")).status_code == 201

    invoice = await _invoice(client, buyer, plan["id"], "spring20")
    assert invoice.json()["amount"] == "3.99"
    await pay_in_sandbox(client, invoice.json()["invoice_id"])
    listed = (await client.get(f"{API}/admin/promo-codes", headers=admin)).json()
    assert listed["items"][0]["uses"] == 1
    used = await _preview(client, buyer, "spring20", plan["id"])
    assert used.status_code == 422
    assert used.json() == {
        "detail": "You have already used this promo code",
        "code": "promo_code_not_applicable",
    }
    assert (await _preview(client, other, "spring20", plan["id"])).status_code == 200

    in_use = await client.delete(
        f"{API}/admin/promo-codes/{promo['id']}", headers=admin
    )
    assert in_use.status_code == 409
    off = await client.patch(
        f"{API}/admin/promo-codes/{promo['id']}",
        json={"is_active": False},
        headers=admin,
    )
    assert off.status_code == 200 and off.json()["uses"] == 1
    inactive = await _preview(client, other, "spring20", plan["id"])
    assert inactive.json()["detail"] == "This promo code is no longer active"


async def test_limits_windows_fixed_discounts_and_bonus_days(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    admin = await admin_headers(app, client)
    plan = await create_plan(client, admin)
    now = datetime.now(UTC)
    await _promo(client, admin, code="once", kind="fixed", value="1.00", max_uses=1)
    await _promo(
        client,
        admin,
        code="later",
        kind="percent",
        value="5",
        valid_from=(now + timedelta(days=1)).isoformat(),
    )
    await _promo(
        client,
        admin,
        code="over",
        kind="percent",
        value="5",
        valid_until=(now - timedelta(seconds=1)).isoformat(),
    )
    await _promo(client, admin, code="free", kind="fixed", value="100")
    await _promo(client, admin, code="week", kind="bonus_days", value="7")
    first = await customer(client, "first@example.com")
    second = await customer(client, "second@example.com")

    paid = await _invoice(client, first, plan["id"], "once")
    assert paid.json()["amount"] == "3.99"
    await pay_in_sandbox(client, paid.json()["invoice_id"])
    reasons = {
        code: (await _preview(client, second, code, plan["id"])).json()["detail"]
        for code in ("once", "later", "over", "nope")
    }
    assert reasons == {
        "once": "This promo code has been used up",
        "later": "This promo code is not valid yet",
        "over": "This promo code has expired",
        "nope": "Unknown promo code",
    }
    refused = await _invoice(client, second, plan["id"], "over")
    assert refused.status_code == 422

    floor = await _preview(client, second, "free", plan["id"])
    assert floor.json()["price"] == "0.01"  # never free: the provider needs an amount
    bonus = await _invoice(client, second, plan["id"], "week")
    assert bonus.json()["amount"] == "4.99"
    await pay_in_sandbox(client, bonus.json()["invoice_id"])
    await run_jobs(app)
    me = (await client.get(f"{API}/subscriptions/me", headers=second)).json()
    expiry = datetime.fromisoformat(me["expires_at"])
    assert abs(expiry - (now + timedelta(days=37))) < timedelta(minutes=1)

    listed = (await client.get(f"{API}/admin/promo-codes", headers=admin)).json()
    unused = next(p for p in listed["items"] if p["code"] == "LATER")
    deleted = await client.delete(
        f"{API}/admin/promo-codes/{unused['id']}", headers=admin
    )
    assert deleted.status_code == 204
