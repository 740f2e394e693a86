"""Steps of the purchase that many commerce tests take."""

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select, update

from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.persistence.models.identity import AccountModel
from cybervpn.infrastructure.persistence.models.jobs import OutboxMessageModel
from cybervpn.infrastructure.sandbox.cryptobot.state import CryptoPayState
from cybervpn.infrastructure.sandbox.cryptobot.webhooks import signed_update
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from tests.helpers import API, bearer, signed_up_tokens, staff_tokens

MONTH_PLAN: dict[str, Any] = {
    "code": "month",
    "name": "One month",
    "duration_days": 30,
    "traffic_limit_bytes": 100 * 1024**3,
    "traffic_limit_strategy": "MONTH",
    "device_limit": 3,
    "price": "4.99",
}


async def admin_headers(app: FastAPI, client: httpx.AsyncClient) -> dict[str, str]:
    tokens = await staff_tokens(app, client, "plans@example.com", Role.ADMIN)
    return bearer(tokens["access_token"])


async def create_plan(
    client: httpx.AsyncClient, admin: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/admin/plans", json=MONTH_PLAN | overrides, headers=admin
    )
    assert response.status_code == 201, response.text
    plan: dict[str, Any] = response.json()
    return plan


async def customer(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    tokens = await signed_up_tokens(client, email)
    return bearer(tokens["access_token"])


async def verified_customer(
    app: FastAPI, client: httpx.AsyncClient, email: str
) -> dict[str, str]:
    """A customer whose e-mail is verified (what the free trial asks for). The
    mailed link itself is tested in test_email_links; here it is taken as done."""
    headers = await customer(client, email)
    async with app.state.container.session_factory() as session:
        await session.execute(
            update(AccountModel)
            .where(AccountModel.email == email)
            .values(email_verified_at=datetime.now(UTC))
        )
        await session.commit()
    return headers


async def buy(
    client: httpx.AsyncClient, headers: dict[str, str], plan_id: str
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/payments/crypto/invoice", json={"plan_id": plan_id}, headers=headers
    )
    assert response.status_code == 201, response.text
    invoice: dict[str, Any] = response.json()
    return invoice


async def pay_in_sandbox(client: httpx.AsyncClient, invoice_id: int) -> dict[str, Any]:
    response = await client.post(f"{API}/sandbox/cryptobot/invoices/{invoice_id}/pay")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def payments_sandbox(app: FastAPI) -> CryptoPayState:
    state = app.state.container.payments.sandbox
    assert isinstance(state, CryptoPayState)
    return state


def paid_webhook(
    app: FastAPI, invoice_id: int, /, **changes: Any
) -> tuple[bytes, dict[str, str]]:
    """A correctly signed `invoice_paid` update, its invoice fields changed."""
    state = payments_sandbox(app)
    invoice = state.invoices[invoice_id]
    if invoice.status == "active":
        state.pay(invoice_id)
    update = state.paid_update(invoice)
    update["payload"] |= changes
    return signed_update(app.state.container.payments.token, update)


async def post_webhook(
    client: httpx.AsyncClient, body: bytes, headers: dict[str, str]
) -> httpx.Response:
    return await client.post(f"{API}/webhooks/cryptobot", content=body, headers=headers)


async def _busy_jobs(app: FastAPI) -> int:
    now = datetime.now(UTC)
    async with app.state.container.session_factory() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(OutboxMessageModel)
            .where(
                (OutboxMessageModel.status == "processing")
                | (
                    (OutboxMessageModel.status == "pending")
                    & (OutboxMessageModel.available_at <= now)
                )
            )
        )
    return int(count or 0)


async def run_jobs(app: FastAPI) -> None:
    """Process every due outbox message, as the worker would. (On SQLite runs the
    in-memory broker may be running some already; claims keep that safe.)"""
    for _ in range(100):
        await app.state.container.jobs.sweeper.execute()
        if not await _busy_jobs(app):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("jobs did not settle")


def vpn_user_of(panel: PanelState, account_id: str) -> Any:
    username = f"cv_{UUID(account_id).hex}"
    users = [u for u in panel.users.values() if u.username == username]
    assert len(users) <= 1
    return users[0] if users else None
