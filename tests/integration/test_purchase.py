"""The purchase: invoice → signed webhook → paid → provisioned → subscription link,
exactly once whatever fails in between."""

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from cybervpn.infrastructure.persistence.models.commerce import PaymentModel
from cybervpn.infrastructure.persistence.models.jobs import (
    NotificationModel,
    OutboxMessageModel,
)
from cybervpn.infrastructure.persistence.models.webhooks import WebhookDeliveryModel
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from tests.commerce import (
    admin_headers,
    buy,
    create_plan,
    customer,
    paid_webhook,
    pay_in_sandbox,
    payments_sandbox,
    post_webhook,
    run_jobs,
    vpn_user_of,
)
from tests.helpers import API

pytestmark = pytest.mark.integration
DAY = timedelta(days=1)


async def _rows(app: FastAPI, model: Any) -> list[Any]:
    async with app.state.container.session_factory() as session:
        return list(await session.scalars(select(model)))


async def _me(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.get(f"{API}/subscriptions/me", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _account_id(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    account_id: str = (await client.get(f"{API}/auth/me", headers=headers)).json()["id"]
    return account_id


def _close(moment: str | datetime, expected: datetime) -> bool:
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return abs(value - expected) < timedelta(minutes=1)


async def test_a_customer_pays_and_gets_vpn_access(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    assert [p["code"] for p in (await client.get(f"{API}/plans")).json()["items"]] == [
        "month"
    ]
    buyer = await customer(client, "buyer@example.com")
    account_id = await _account_id(client, buyer)
    missing = await client.get(f"{API}/subscriptions/me", headers=buyer)
    assert missing.status_code == 404

    invoice = await buy(client, buyer, plan["id"])
    assert invoice["amount"] == "4.99" and invoice["currency"] == "USD"
    assert invoice["status"] == "pending" and invoice["pay_url"].startswith("https://")
    payment_url = f"{API}/payments/{invoice['payment_id']}"
    assert (await client.get(payment_url, headers=buyer)).json()["status"] == "pending"

    paid = await pay_in_sandbox(client, invoice["invoice_id"])
    assert paid["webhook_status"] == 200 and paid["webhook_outcome"] == "processed"
    payment = (await client.get(payment_url, headers=buyer)).json()
    assert payment["status"] == "paid" and payment["paid_asset"] == "USDT"

    await run_jobs(app)  # the worker's part
    me = await _me(client, buyer)
    expected_expiry = datetime.now(UTC) + 30 * DAY
    assert me["status"] == "active" and me["plan"]["code"] == "month"
    assert _close(me["expires_at"], expected_expiry)
    assert me["traffic_used_bytes"] == 0 and me["device_limit"] == 3
    vpn_user = vpn_user_of(sandbox, account_id)
    assert me["subscription_url"] == f"https://sub.sandbox.local/{vpn_user.short_uuid}"
    assert _close(vpn_user.expire_at, expected_expiry)
    assert vpn_user.traffic_limit_bytes == 100 * 1024**3
    assert vpn_user.hwid_device_limit == 3
    assert (await client.get(payment_url, headers=buyer)).json()["provisioned_at"]
    templates = sorted(n.template for n in await _rows(app, NotificationModel))
    assert templates == ["payment.received", "subscription.activated"]


async def test_fifty_concurrent_copies_credit_once_and_a_later_replay_nothing(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    buyer = await customer(client, "twice@example.com")
    invoice = await buy(client, buyer, plan["id"])
    body, headers = paid_webhook(app, invoice["invoice_id"])

    responses = await asyncio.gather(
        *(post_webhook(client, body, headers) for _ in range(50))
    )
    outcomes = sorted(r.json()["status"] for r in responses)
    assert outcomes == ["duplicate"] * 49 + ["processed"]
    await run_jobs(app)
    expiry = (await _me(client, buyer))["expires_at"]

    # Crypto Pay retries for days, with a new update id and request date.
    later_body, later_headers = paid_webhook(
        app, invoice["invoice_id"], paid_at=(datetime.now(UTC) + DAY).isoformat()
    )
    replay = await post_webhook(client, later_body, later_headers)
    assert replay.status_code == 200 and replay.json()["status"] == "duplicate"
    again = await client.post(
        f"{API}/sandbox/cryptobot/invoices/{invoice['invoice_id']}/pay"
    )
    assert again.status_code == 409
    assert again.json()["detail"].endswith("INVOICE_PAID")
    await run_jobs(app)
    assert (await _me(client, buyer))["expires_at"] == expiry
    provisioning = [
        m for m in await _rows(app, OutboxMessageModel) if m.topic.startswith("sub")
    ]
    assert len(provisioning) == 1
    logged = [
        d for d in await _rows(app, WebhookDeliveryModel) if d.provider == "cryptobot"
    ]
    assert len(logged) == 51 and sum(d.outcome == "processed" for d in logged) == 1


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"amount": "0.01"}, "amount 0.01 is not 4.99"),
        ({"fiat": "EUR"}, "currency 'EUR' is not USD"),
        ({"payload": "someone else's order"}, "payload"),
        ({"status": "active"}, "status"),
    ],
)
async def test_an_invoice_that_does_not_match_is_flagged_not_credited(
    app: FastAPI,
    client: httpx.AsyncClient,
    sandbox: PanelState,
    changes: dict[str, str],
    reason: str,
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    buyer = await customer(client, "cheat@example.com")
    invoice = await buy(client, buyer, plan["id"])
    body, headers = paid_webhook(app, invoice["invoice_id"], **changes)

    response = await post_webhook(client, body, headers)
    assert response.status_code == 200 and response.json()["status"] == "flagged"
    await run_jobs(app)
    payment = (
        await client.get(f"{API}/payments/{invoice['payment_id']}", headers=buyer)
    ).json()
    assert payment["status"] == "pending" and reason in payment["flag"]
    assert (
        await client.get(f"{API}/subscriptions/me", headers=buyer)
    ).status_code == 404
    assert sandbox.users == {}
    alerts = [n for n in await _rows(app, NotificationModel)]
    assert [(n.template, n.audience) for n in alerts] == [("payment.flagged", "staff")]


async def test_a_bad_or_missing_signature_is_refused_and_logged(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    buyer = await customer(client, "forger@example.com")
    invoice = await buy(client, buyer, plan["id"])
    body, headers = paid_webhook(app, invoice["invoice_id"])
    forged = await post_webhook(
        client, body, headers | {"crypto-pay-api-signature": "0" * 64}
    )
    unsigned = await client.post(
        f"{API}/webhooks/cryptobot", content=body, headers={"content-type": "json"}
    )
    tampered = await post_webhook(client, body.replace(b"4.99", b"0.01"), headers)
    assert [r.status_code for r in (forged, unsigned, tampered)] == [401, 401, 401]
    logged = await _rows(app, WebhookDeliveryModel)
    assert {(d.outcome, d.error) for d in logged} == {
        ("rejected", "bad or missing signature")
    }
    assert (await _rows(app, PaymentModel))[0].status == "pending"


async def test_paid_while_the_panel_is_down_provisions_once_it_returns(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    admin = await admin_headers(app, client)
    plan = await create_plan(client, admin)
    buyer = await customer(client, "patient@example.com")
    account_id = await _account_id(client, buyer)
    invoice = await buy(client, buyer, plan["id"])

    sandbox.outage = True
    paid = await pay_in_sandbox(client, invoice["invoice_id"])
    assert paid["webhook_outcome"] == "processed"  # money is taken regardless
    await run_jobs(app)
    assert (await _me(client, buyer))["status"] == "provisioning"
    waiting = (await client.get(f"{API}/admin/provisioning", headers=admin)).json()
    assert waiting["total"] == 1
    job = waiting["items"][0]
    assert job["status"] == "pending" and job["attempts"] == 1
    assert job["last_error"].startswith("PanelUnavailableError")

    sandbox.outage = False
    retried = await client.post(
        f"{API}/admin/provisioning/{job['id']}/retry", headers=admin
    )
    assert retried.status_code == 200, retried.text
    await run_jobs(app)
    assert (await _me(client, buyer))["status"] == "active"
    assert vpn_user_of(sandbox, account_id) is not None
    empty = (await client.get(f"{API}/admin/provisioning", headers=admin)).json()
    assert empty["total"] == 0
    done = await client.post(
        f"{API}/admin/provisioning/{job['id']}/retry", headers=admin
    )
    assert done.status_code == 404


async def test_a_missed_webhook_is_caught_by_reconciliation(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    buyer = await customer(client, "quiet@example.com")
    invoice = await buy(client, buyer, plan["id"])
    payments_sandbox(app).pay(invoice["invoice_id"])  # and the webhook is lost

    report = await app.state.container.jobs.reconciler.execute()
    assert report.checked == 1 and report.outcomes == {"credited": 1}
    await run_jobs(app)
    assert (await _me(client, buyer))["status"] == "active"

    late_body, late_headers = paid_webhook(app, invoice["invoice_id"])
    late = await post_webhook(client, late_body, late_headers)
    assert late.json()["status"] == "duplicate"
    assert (await app.state.container.jobs.reconciler.execute()).checked == 0


async def test_an_expired_invoice_never_provisions(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    buyer = await customer(client, "late@example.com")
    invoice = await buy(client, buyer, plan["id"])
    payments_sandbox(app).expire(invoice["invoice_id"])

    report = await app.state.container.jobs.reconciler.execute()
    assert report.outcomes == {"expired": 1}
    refused = await client.post(
        f"{API}/sandbox/cryptobot/invoices/{invoice['invoice_id']}/pay"
    )
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "Invoice is no longer payable: INVOICE_EXPIRED",
        "code": "invoice_not_payable",
    }
    unknown = await client.post(f"{API}/sandbox/cryptobot/invoices/1/pay")
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "payment_not_found"
    # Even a genuine paid webhook for it is only flagged for staff.
    sandboxed = payments_sandbox(app).invoices[invoice["invoice_id"]]
    sandboxed.status, sandboxed.expiration_date = "active", None
    body, headers = paid_webhook(app, invoice["invoice_id"])
    assert (await post_webhook(client, body, headers)).json()["status"] == "flagged"
    await run_jobs(app)
    payment = (await _rows(app, PaymentModel))[0]
    assert payment.status == "expired" and "already expired" in payment.flag
    assert sandbox.users == {}


async def test_renewal_extends_from_the_later_expiry_and_applies_the_new_plan(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    admin = await admin_headers(app, client)
    month = await create_plan(client, admin)
    year = await create_plan(
        client,
        admin,
        code="year",
        name="One year",
        duration_days=365,
        device_limit=5,
        price="39.90",
    )
    buyer = await customer(client, "loyal@example.com")
    account_id = await _account_id(client, buyer)
    for plan in (month, year):
        invoice = await buy(client, buyer, plan["id"])
        await pay_in_sandbox(client, invoice["invoice_id"])
        await run_jobs(app)
    me = await _me(client, buyer)
    expected = datetime.now(UTC) + 395 * DAY
    assert _close(me["expires_at"], expected) and me["plan"]["code"] == "year"
    assert me["device_limit"] == 5
    vpn_user = vpn_user_of(sandbox, account_id)
    assert _close(vpn_user.expire_at, expected) and vpn_user.hwid_device_limit == 5
    assert len(sandbox.users) == 1
    paid = [p for p in await _rows(app, PaymentModel)]
    assert sorted(p.amount for p in paid) == [Decimal("4.99"), Decimal("39.90")]


async def test_a_plan_without_a_device_limit_gives_the_panel_no_limit(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    # In Remnawave a null hwidDeviceLimit means "the panel's global fallback",
    # which may well be one device; 0 is what means no limit.
    admin = await admin_headers(app, client)
    limited = await create_plan(client, admin)
    unlimited = await create_plan(
        client, admin, code="family", name="Family", device_limit=None
    )
    buyer = await customer(client, "family@example.com")
    account_id = await _account_id(client, buyer)
    for plan, expected_limit in ((limited, 3), (unlimited, 0)):
        invoice = await buy(client, buyer, plan["id"])
        await pay_in_sandbox(client, invoice["invoice_id"])
        await run_jobs(app)
        assert vpn_user_of(sandbox, account_id).hwid_device_limit == expected_limit
    assert (await _me(client, buyer))["device_limit"] is None


async def test_a_restart_keeps_the_sandboxes_vpn_users_and_unpaid_invoices(
    client_factory: Any,
) -> None:
    # In development the sandboxes live in the data directory: an invoice made
    # before a restart can still be paid after it, and provisioned users remain.
    async with client_factory() as (app, client):
        plan = await create_plan(client, await admin_headers(app, client))
        first = await customer(client, "before@example.com")
        await pay_in_sandbox(
            client, (await buy(client, first, plan["id"]))["invoice_id"]
        )
        await run_jobs(app)
        second = await customer(client, "waiting@example.com")
        invoice = await buy(client, second, plan["id"])
        users_before = set(app.state.container.vpn_panel.sandbox.users)
    async with client_factory() as (app, client):
        assert set(app.state.container.vpn_panel.sandbox.users) == users_before
        paid = await pay_in_sandbox(client, invoice["invoice_id"])
        assert paid["webhook_outcome"] == "processed"
        await run_jobs(app)
        me = await client.get(f"{API}/subscriptions/me", headers=second)
        assert me.json()["status"] == "active"
        assert len(app.state.container.vpn_panel.sandbox.users) == 2
