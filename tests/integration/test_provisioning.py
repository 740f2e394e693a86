"""Provisioning is idempotent, survives a crash, and staff hear when it stalls."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from cybervpn.application.subscriptions.alert_stalled_provisioning import (
    AlertStalledProvisioning,
)
from cybervpn.application.subscriptions.provision_subscription import (
    ProvisionSubscription,
)
from cybervpn.infrastructure.jobs.runtime import unit_of_work_factory
from cybervpn.infrastructure.persistence.models.commerce import (
    PaymentModel,
    SubscriptionModel,
)
from cybervpn.infrastructure.persistence.models.identity import AccountModel
from cybervpn.infrastructure.persistence.models.jobs import NotificationModel
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from cybervpn.infrastructure.sandbox.telegram.login import mini_app_init_data
from tests.commerce import (
    admin_headers,
    buy,
    create_plan,
    customer,
    pay_in_sandbox,
    payments_sandbox,
    run_jobs,
    vpn_user_of,
)
from tests.helpers import API, bearer, login
from tests.unit.fakes import FakeClock

pytestmark = pytest.mark.integration


async def _paid_customer(
    app: FastAPI, client: httpx.AsyncClient, email: str
) -> tuple[str, UUID]:
    plan = await create_plan(client, await admin_headers(app, client))
    buyer = await customer(client, email)
    account_id = (await client.get(f"{API}/auth/me", headers=buyer)).json()["id"]
    await pay_in_sandbox(client, (await buy(client, buyer, plan["id"]))["invoice_id"])
    async with app.state.container.session_factory() as session:
        subscription_id = await session.scalar(select(SubscriptionModel.id))
    assert subscription_id is not None
    return account_id, subscription_id


async def test_a_crash_after_the_panel_call_never_adds_days_twice(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    account_id, subscription_id = await _paid_customer(app, client, "crash@x.com")
    container = app.state.container
    handler = ProvisionSubscription(
        panel=container.vpn_panel.panel.users, clock=container.clock
    )
    uow_factory = unit_of_work_factory(container.session_factory, None)
    payload = {"subscription_id": str(subscription_id)}

    # The panel creates the user, then the process dies before the commit.
    async with uow_factory() as uow:
        await handler.handle(uow, payload, attempt=1)
        await uow.rollback()
    created = vpn_user_of(sandbox, account_id)
    first_expiry = created.expire_at

    await run_jobs(app)  # the job runs again, and once more for good measure
    async with uow_factory() as uow:
        await handler.handle(uow, payload, attempt=2)
        await uow.commit()
    assert len(sandbox.users) == 1
    assert vpn_user_of(sandbox, account_id).expire_at == first_expiry
    async with container.session_factory() as session:
        row = await session.get(SubscriptionModel, subscription_id)
        assert row is not None and row.vpn_user_id == created.id
        assert row.provisioned_version == row.version


async def test_a_user_deleted_in_the_panel_is_created_again(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    account_id, _ = await _paid_customer(app, client, "gone@x.com")
    await run_jobs(app)
    sandbox.delete_user(vpn_user_of(sandbox, account_id))
    plan_id = (await client.get(f"{API}/plans")).json()["items"][0]["id"]
    headers = await _login(client, "gone@x.com")
    await pay_in_sandbox(client, (await buy(client, headers, plan_id))["invoice_id"])
    await run_jobs(app)
    recreated = vpn_user_of(sandbox, account_id)
    assert recreated is not None
    assert recreated.expire_at > datetime.now(UTC) + timedelta(days=59)


async def _login(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    return bearer((await login(client, email)).json()["access_token"])


async def test_staff_are_alerted_once_when_paid_access_stalls(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    sandbox.outage = True
    await _paid_customer(app, client, "stuck@x.com")
    container = app.state.container
    clock = FakeClock()
    clock.current = datetime.now(UTC)
    alert = AlertStalledProvisioning(
        uow_factory=unit_of_work_factory(container.session_factory, None),
        clock=clock,
        threshold=timedelta(minutes=15),
    )
    assert await alert.execute() == 0  # paid just now
    clock.advance(timedelta(minutes=16))
    assert await alert.execute() == 1
    assert await alert.execute() == 0  # one alert per payment
    async with container.session_factory() as session:
        notes = list(await session.scalars(select(NotificationModel)))
        payment = await session.scalar(select(PaymentModel))
    stalled = [n for n in notes if n.template == "provisioning.stalled"]
    assert len(stalled) == 1 and stalled[0].audience == "staff"
    assert payment is not None and stalled[0].payload["payment_id"] == str(payment.id)


async def test_reconciliation_skips_a_run_while_the_provider_is_down(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    buyer = await customer(client, "waiting@x.com")
    invoice = await buy(client, buyer, plan["id"])
    provider = payments_sandbox(app)
    provider.pay(invoice["invoice_id"])
    provider.outage = True
    report = await app.state.container.jobs.reconciler.execute()
    assert report.outcomes == {"provider_unavailable": 1}
    payment = await client.get(f"{API}/payments/{invoice['payment_id']}", headers=buyer)
    assert payment.json()["status"] == "pending"

    provider.outage = False
    report = await app.state.container.jobs.reconciler.execute()
    assert report.outcomes == {"credited": 1}


async def test_the_panel_user_carries_only_a_verified_telegram_id(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    plan = await create_plan(client, await admin_headers(app, client))
    init_data = mini_app_init_data(
        app.state.container.telegram_login_token, telegram_id=6660001
    )
    signed_in = await client.post(
        f"{API}/auth/telegram/miniapp", json={"init_data": init_data}
    )
    telegram_buyer = bearer(signed_in.json()["access_token"])
    typed_buyer = await customer(client, "typed@x.com")
    async with app.state.container.session_factory() as session:
        # An id typed in at sign-up before Telegram sign-in existed: never proved.
        await session.execute(
            update(AccountModel)
            .where(AccountModel.email == "typed@x.com")
            .values(unverified_telegram_id=6660002)
        )
        await session.commit()
    for headers in (telegram_buyer, typed_buyer):
        bought = await buy(client, headers, plan["id"])
        await pay_in_sandbox(client, bought["invoice_id"])
    await run_jobs(app)

    by_account = {
        (await client.get(f"{API}/auth/me", headers=h)).json()["id"]: h
        for h in (telegram_buyer, typed_buyer)
    }
    chats = {vpn_user_of(sandbox, a).telegram_id for a in by_account}
    assert chats == {6660001, None}
