"""Paid webhooks that arrive together are credited in one transaction, and each
gets exactly what it would have got alone."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import insert, select, text, update

from cybervpn.application.billing.credit_payment import CreditPayments
from cybervpn.application.billing.receive_paid_invoices import (
    PaidDelivery,
    ReceivePaidInvoices,
)
from cybervpn.domain.billing.payment import PROVIDER_CRYPTOBOT
from cybervpn.infrastructure.cryptobot.schemas import parse_update
from cybervpn.infrastructure.jobs.runtime import unit_of_work_factory
from cybervpn.infrastructure.persistence.models.commerce import (
    PaymentModel,
    SubscriptionModel,
)
from cybervpn.infrastructure.persistence.models.jobs import (
    NotificationModel,
    OutboxMessageModel,
)
from cybervpn.infrastructure.persistence.repositories.payments import (
    SqlPaymentRepository,
)
from cybervpn.infrastructure.persistence.statements import table_of
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from tests.commerce import (
    admin_headers,
    buy,
    create_plan,
    customer,
    paid_webhook,
    post_webhook,
    run_jobs,
)
from tests.conftest import BACKEND
from tests.helpers import API, bearer, login, register

pytestmark = pytest.mark.integration

DAY = timedelta(days=1)


def _receiver(app: FastAPI) -> ReceivePaidInvoices:
    container = app.state.container
    return ReceivePaidInvoices(
        uow_factory=unit_of_work_factory(container.session_factory, None),
        clock=container.clock,
        credit=CreditPayments(clock=container.clock, referral_bonus_days=7),
    )


def _delivery(body: bytes) -> PaidDelivery:
    update, logged = parse_update(body)
    assert update is not None
    return PaidDelivery(update.payload.to_domain(), logged)


async def _rows(app: FastAPI, model: Any) -> list[Any]:
    async with app.state.container.session_factory() as session:
        return list(await session.scalars(select(model)))


def _close(value: datetime, expected: datetime) -> bool:
    return abs(value.astimezone(UTC) - expected) < timedelta(minutes=1)


async def test_one_batch_credits_each_webhook_as_if_it_came_alone(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    host = await customer(client, "host@example.com")
    code = (await client.get(f"{API}/referral", headers=host)).json()["code"]
    assert (
        await register(client, "guest@example.com", referral_code=code)
    ).status_code == 201
    guest = bearer((await login(client, "guest@example.com")).json()["access_token"])
    other = await customer(client, "other@example.com")
    first, second = [await buy(client, host, plan["id"]) for _ in range(2)]
    guests = await buy(client, guest, plan["id"])
    wrong = await buy(client, other, plan["id"])

    batch = [
        paid_webhook(app, first["invoice_id"])[0],
        paid_webhook(app, second["invoice_id"], paid_asset="TON")[0],  # same buyer
        paid_webhook(app, guests["invoice_id"])[0],  # the host's referee
        paid_webhook(app, wrong["invoice_id"], amount="0.01")[0],
        paid_webhook(app, first["invoice_id"], invoice_id=987654321)[0],
        paid_webhook(app, first["invoice_id"])[0],  # a copy, in the same batch
    ]
    outcomes = await _receiver(app).execute([_delivery(body) for body in batch])

    assert outcomes == [
        "processed",
        "processed",
        "processed",
        "flagged",
        "ignored",
        "duplicate",
    ]
    now = datetime.now(UTC)
    subscriptions = {s.account_id: s for s in await _rows(app, SubscriptionModel)}
    payments = {p.invoice_id: p for p in await _rows(app, PaymentModel)}
    host_id = payments[first["invoice_id"]].account_id
    guest_id = payments[guests["invoice_id"]].account_id
    assert subscriptions.keys() == {host_id, guest_id}
    # Two periods for the two payments, and the referral reward on top.
    assert _close(subscriptions[host_id].expires_at, now + 67 * DAY)
    assert _close(subscriptions[guest_id].expires_at, now + 30 * DAY)
    assert [payments[i["invoice_id"]].status for i in (first, second, wrong)] == [
        "paid",
        "paid",
        "pending",
    ]
    assert payments[wrong["invoice_id"]].flag == "amount 0.01 is not 4.99"
    # Each payment records what its own invoice says was paid.
    assert [payments[i["invoice_id"]].paid_asset for i in (first, second, wrong)] == [
        "USDT",
        "TON",
        None,
    ]
    jobs = [m for m in await _rows(app, OutboxMessageModel) if m.topic.startswith("s")]
    assert len(jobs) == 2  # one per subscription: it carries absolute values
    templates = sorted(n.template for n in await _rows(app, NotificationModel))
    assert templates == ["payment.flagged"] + ["payment.received"] * 3

    await run_jobs(app)
    me = (await client.get(f"{API}/subscriptions/me", headers=host)).json()
    assert me["status"] == "active"


async def test_concurrent_webhooks_of_many_payments_each_credit_once(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    buyers = [await customer(client, f"b{n}@example.com") for n in range(12)]
    invoices = [await buy(client, headers, plan["id"]) for headers in buyers]
    signed = [paid_webhook(app, invoice["invoice_id"]) for invoice in invoices]

    # Every payment's webhook three times over, all at once.
    responses = await asyncio.gather(
        *(post_webhook(client, *webhook) for webhook in signed * 3)
    )
    outcomes = [r.json()["status"] for r in responses]
    assert sorted(outcomes) == ["duplicate"] * 24 + ["processed"] * 12
    payments = await _rows(app, PaymentModel)
    assert [p.status for p in payments] == ["paid"] * 12
    now = datetime.now(UTC)
    expiries = [s.expires_at for s in await _rows(app, SubscriptionModel)]
    assert len(expiries) == 12
    assert all(_close(expiry, now + 30 * DAY) for expiry in expiries)


async def test_an_invoice_id_finds_only_the_providers_own_payment(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    """Invoice ids are unique per provider (uq_payments_invoice): a payment of
    another provider under the same number is not Crypto Pay's to credit or flag."""
    plan = await create_plan(client, await admin_headers(app, client))
    invoice = await buy(client, await customer(client, "p@example.com"), plan["id"])
    async with app.state.container.session_factory() as session:
        await session.execute(update(PaymentModel).values(provider="another"))
        await session.commit()

    body = paid_webhook(app, invoice["invoice_id"])[0]
    assert await _receiver(app).execute([_delivery(body)]) == ["ignored"]
    [payment] = await _rows(app, PaymentModel)
    assert (payment.status, payment.flag) == ("pending", None)


@pytest.mark.skipif(BACKEND == "sqlite", reason="PostgreSQL's planner and statistics")
async def test_a_batch_finds_its_payments_without_reading_the_whole_table(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """The lookup goes through the unique key (provider, invoice_id); without the
    provider that index cannot serve it, and every batch read every payment."""
    plan = await create_plan(client, await admin_headers(app, client))
    invoice = await buy(client, await customer(client, "p@example.com"), plan["id"])
    payments = table_of(PaymentModel)
    async with app.state.container.session_factory() as session:
        [row] = (await session.execute(select(payments))).mappings()
        await session.execute(
            insert(payments),
            [{**row, "id": uuid4(), "invoice_id": n} for n in range(1, 3001)],
        )
        await session.execute(text("ANALYZE payments"))
        scans = text(
            "SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'payments'"
        )
        before = await session.scalar(scans)
        found = await SqlPaymentRepository(session).by_invoices(
            PROVIDER_CRYPTOBOT, {invoice["invoice_id"], 7}
        )
        assert await session.scalar(scans) == before
    assert sorted(found) == sorted([invoice["invoice_id"], 7])
