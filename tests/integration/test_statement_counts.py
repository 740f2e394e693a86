"""The hot paths' SQL, pinned: a change that adds a query to them fails here first
(ADR 0003: an authenticated read costs one indexed query; ADR 0004: a batch of paid
webhooks costs a fixed set of statements, however many it holds)."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from cybervpn.application.billing.credit_payment import CreditPayments
from cybervpn.application.billing.receive_paid_invoices import (
    PaidDelivery,
    ReceivePaidInvoices,
)
from cybervpn.infrastructure.cryptobot.schemas import parse_update
from cybervpn.infrastructure.jobs.runtime import unit_of_work_factory
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from tests.commerce import (
    admin_headers,
    buy,
    create_plan,
    customer,
    paid_webhook,
    pay_in_sandbox,
    run_jobs,
)
from tests.conftest import StatementCounter, settle_background_work
from tests.helpers import API

pytestmark = pytest.mark.integration


async def test_the_callers_own_account_costs_one_query(
    app: FastAPI, client: httpx.AsyncClient, statements: StatementCounter
) -> None:
    buyer = await customer(client, "me@example.com")
    await settle_background_work(app)  # in-process jobs would be counted too
    with statements.counting() as ran:
        assert (await client.get(f"{API}/auth/me", headers=buyer)).status_code == 200
    assert len(ran) == 1, ran


async def test_the_subscription_read_costs_three_queries(
    app: FastAPI,
    client: httpx.AsyncClient,
    sandbox: PanelState,
    statements: StatementCounter,
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    buyer = await customer(client, "reader@example.com")
    await pay_in_sandbox(client, (await buy(client, buyer, plan["id"]))["invoice_id"])
    await run_jobs(app)
    await settle_background_work(app)
    with statements.counting() as ran:
        me = await client.get(f"{API}/subscriptions/me", headers=buyer)
    assert me.status_code == 200 and me.json()["status"] == "active"
    assert len(ran) == 3, ran  # the caller, the subscription, its plan


async def _credit_batch_of(
    app: FastAPI,
    client: httpx.AsyncClient,
    size: int,
    plan: dict[str, Any],
    statements: StatementCounter,
) -> list[str]:
    bodies = []
    for n in range(size):
        buyer = await customer(client, f"batch{size}-{n}@example.com")
        invoice = await buy(client, buyer, plan["id"])
        bodies.append(paid_webhook(app, invoice["invoice_id"])[0])
    deliveries = []
    for body in bodies:
        update, logged = parse_update(body)
        assert update is not None
        deliveries.append(PaidDelivery(update.payload.to_domain(), logged))
    container = app.state.container
    receive = ReceivePaidInvoices(
        uow_factory=unit_of_work_factory(container.session_factory, None),
        clock=container.clock,
        credit=CreditPayments(clock=container.clock, referral_bonus_days=7),
    )
    await settle_background_work(app)
    with statements.counting() as ran:
        outcomes = await receive.execute(deliveries)
    assert outcomes == ["processed"] * size
    return list(ran)


async def test_a_crediting_batch_costs_the_same_statements_for_one_or_many(
    app: FastAPI,
    client: httpx.AsyncClient,
    sandbox: PanelState,
    statements: StatementCounter,
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    one = await _credit_batch_of(app, client, 1, plan, statements)
    many = await _credit_batch_of(app, client, 8, plan, statements)
    assert len(one) == len(many) == 10, many
