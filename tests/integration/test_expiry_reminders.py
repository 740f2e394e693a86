"""Customers are reminded 3 days and 1 day before expiry, and told when it expired."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from cybervpn.application.subscriptions.remind_expiring import (
    RemindExpiringSubscriptions,
)
from cybervpn.infrastructure.jobs.runtime import unit_of_work_factory
from cybervpn.infrastructure.persistence.models.jobs import NotificationModel
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from tests.commerce import (
    admin_headers,
    buy,
    create_plan,
    pay_in_sandbox,
    verified_customer,
)
from tests.helpers import API
from tests.unit.fakes import FakeClock

pytestmark = pytest.mark.integration


async def _reminders(app: FastAPI) -> list[tuple[str, int]]:
    async with app.state.container.session_factory() as session:
        rows = await session.scalars(
            select(NotificationModel).order_by(NotificationModel.created_at)
        )
        return [
            (n.template, n.payload["days_left"])
            for n in rows
            if n.template.startswith("subscription.expir")
        ]


def _reminder_job(app: FastAPI) -> tuple[RemindExpiringSubscriptions, FakeClock]:
    clock = FakeClock()
    clock.current = datetime.now(UTC) + timedelta(minutes=1)
    job = RemindExpiringSubscriptions(
        uow_factory=unit_of_work_factory(app.state.container.session_factory, None),
        clock=clock,
    )
    return job, clock


async def test_each_reminder_once_per_expiry_and_a_renewal_starts_over(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    trier = await verified_customer(app, client, "forgetful@example.com")
    assert (await client.post(f"{API}/trial", headers=trier)).status_code == 201
    job, clock = _reminder_job(app)

    assert await job.execute() == 1  # a 3-day trial: 3 days left at once
    assert await job.execute() == 0
    clock.advance(timedelta(days=2, hours=1))
    assert await job.execute() == 1
    clock.advance(timedelta(days=1))
    assert await job.execute() == 1
    assert await job.execute() == 0
    assert await _reminders(app) == [
        ("subscription.expiring", 3),
        ("subscription.expiring", 1),
        ("subscription.expired", 0),
    ]

    plan = await create_plan(client, await admin_headers(app, client))
    await pay_in_sandbox(client, (await buy(client, trier, plan["id"]))["invoice_id"])
    # Renewed from the trial's (real) expiry: 3 + 30 days out.
    clock.current = datetime.now(UTC) + timedelta(days=30, hours=1)
    assert await job.execute() == 1  # the renewed expiry gets its own reminders
    assert (await _reminders(app))[-1] == ("subscription.expiring", 3)


async def test_a_late_run_sends_only_the_latest_reminder(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    trier = await verified_customer(app, client, "away@example.com")
    assert (await client.post(f"{API}/trial", headers=trier)).status_code == 201
    job, clock = _reminder_job(app)
    clock.advance(timedelta(days=3))
    assert await job.execute() == 1
    assert await _reminders(app) == [("subscription.expired", 0)]
    clock.advance(timedelta(days=5))
    assert await job.execute() == 0
