"""A customer's data: exported whole, and deleted on request without losing the
accounting. On both backends, with the sandbox panel and the sandbox Bot API."""

from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.persistence.models.commerce import (
    PaymentModel,
    SubscriptionModel,
)
from cybervpn.infrastructure.persistence.models.identity import (
    AccountModel,
    IdentityModel,
)
from cybervpn.infrastructure.persistence.models.jobs import NotificationModel
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from cybervpn.infrastructure.sandbox.telegram.login import mini_app_init_data
from cybervpn.infrastructure.sandbox.telegram.state import BotApiState
from tests.commerce import (
    admin_headers,
    buy,
    create_plan,
    pay_in_sandbox,
    run_jobs,
    vpn_user_of,
)
from tests.helpers import (
    API,
    PASSWORD,
    bearer,
    enable_two_factor,
    login,
    signed_up_tokens,
    staff_tokens,
)

pytestmark = pytest.mark.integration
ME = f"{API}/auth/me"


async def _count(app: FastAPI, model: Any, *where: Any) -> int:
    async with app.state.container.session_factory() as session:
        return int(
            await session.scalar(select(func.count()).select_from(model).where(*where))
            or 0
        )


async def _buyer(
    app: FastAPI, client: httpx.AsyncClient, email: str
) -> tuple[str, dict[str, str], str]:
    """A customer who paid for a month and has a VPN user; and an unpaid invoice."""
    tokens = await signed_up_tokens(client, email)
    headers = bearer(tokens["access_token"])
    plan = await create_plan(client, await admin_headers(app, client))
    paid = await buy(client, headers, plan["id"])
    await pay_in_sandbox(client, paid["invoice_id"])
    await run_jobs(app)
    unpaid = await buy(client, headers, plan["id"])
    account_id = (await client.get(ME, headers=headers)).json()["id"]
    return account_id, headers, unpaid["payment_id"]


async def test_the_export_holds_everything_of_the_caller_and_no_secret(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    account_id, headers, unpaid = await _buyer(app, client, "export@example.com")
    other = bearer(
        (await signed_up_tokens(client, "other@example.com"))["access_token"]
    )

    await client.post(f"{API}/auth/email/verify/request", headers=headers)
    exported = await client.get(f"{ME}/export", headers=headers)
    assert exported.status_code == 200, exported.text
    data = exported.json()
    assert data["account"]["id"] == account_id
    assert data["account"]["email"] == "export@example.com"
    assert data["subscription"]["subscription_url"].startswith("https://")
    assert sorted(p["status"] for p in data["payments"]) == ["paid", "pending"]
    assert unpaid in {p["id"] for p in data["payments"]}
    assert {"payment.received", "subscription.activated"} <= {
        n["template"] for n in data["notifications"]
    }
    assert data["referrals"]["referred"] == 0
    assert "argon2" not in exported.text and "password" not in exported.text
    assert "sealed_token" not in exported.text  # a link not yet mailed stays out
    theirs = (await client.get(f"{ME}/export", headers=other)).json()
    assert theirs["payments"] == [] and theirs["subscription"] is None


async def test_deleting_an_account_leaves_no_personal_data_and_keeps_payments(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    account_id, headers, unpaid = await _buyer(app, client, "leave@example.com")
    assert vpn_user_of(sandbox, account_id) is not None

    wrong = await client.request(
        "DELETE", ME, json={"password": "not the password"}, headers=headers
    )
    assert (wrong.status_code, wrong.json()["code"]) == (422, "wrong_password")
    deleted = await client.request(
        "DELETE", ME, json={"password": PASSWORD}, headers=headers
    )
    assert deleted.status_code == 204, deleted.text

    assert (await client.get(ME, headers=headers)).status_code == 401
    assert (await login(client, "leave@example.com")).status_code == 401
    await run_jobs(app)
    assert vpn_user_of(sandbox, account_id) is None
    async with app.state.container.session_factory() as session:
        account = await session.get(AccountModel, UUID(account_id))
        payments = list(
            await session.scalars(
                select(PaymentModel).where(PaymentModel.account_id == UUID(account_id))
            )
        )
    assert account is not None and account.deleted_at is not None
    assert (account.email, account.password_hash, account.is_active) == (
        None,
        None,
        False,
    )
    assert sorted(p.status for p in payments) == ["expired", "paid"]
    assert all(p.amount > 0 and p.created_at for p in payments)
    assert all(p.pay_url is None and p.payer_telegram_id is None for p in payments)
    assert [p.status for p in payments if str(p.id) == unpaid] == ["expired"]
    for model in (IdentityModel, SubscriptionModel, NotificationModel):
        assert await _count(app, model, model.account_id == UUID(account_id)) == 0

    again = await signed_up_tokens(client, "leave@example.com")  # the e-mail is free
    assert again["access_token"]


async def test_proof_is_asked_again_and_staff_cannot_delete_themselves(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    tokens = await signed_up_tokens(client, "twofa@example.com")
    _, backup_codes = await enable_two_factor(client, tokens["access_token"])
    headers = bearer(tokens["access_token"])
    no_code = await client.request(
        "DELETE", ME, json={"password": PASSWORD}, headers=headers
    )
    assert no_code.status_code == 401
    with_code = await client.request(
        "DELETE",
        ME,
        json={"password": PASSWORD, "code": backup_codes[0]},
        headers=headers,
    )
    assert with_code.status_code == 204, with_code.text

    admin = await staff_tokens(app, client, "boss@example.com", Role.ADMIN)
    refused = await client.request(
        "DELETE", ME, json={"password": PASSWORD}, headers=bearer(admin["access_token"])
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "staff_account")


async def test_a_telegram_only_customer_confirms_with_telegram_and_stars_stop(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    token = app.state.container.telegram_login_token
    signed_in = await client.post(
        f"{API}/auth/telegram/miniapp",
        json={"init_data": mini_app_init_data(token, telegram_id=5550001)},
    )
    headers = bearer(signed_in.json()["access_token"])
    account_id = (await client.get(ME, headers=headers)).json()["id"]
    plan = await create_plan(client, await admin_headers(app, client), price_stars=250)
    invoice = await client.post(
        f"{API}/payments/stars/invoice",
        json={"plan_id": plan["id"], "auto_renew": True},
        headers=headers,
    )
    payment_id = invoice.json()["payment_id"]
    paid = await client.post(f"{API}/sandbox/telegram/invoices/{payment_id}/pay")
    assert paid.json()["webhook_outcome"] == "processed"

    for init_data in (None, mini_app_init_data(token, telegram_id=5550002)):
        body = {} if init_data is None else {"init_data": init_data}
        refused = await client.request("DELETE", ME, json=body, headers=headers)
        assert refused.status_code == 401, refused.text
    own = {"init_data": mini_app_init_data(token, telegram_id=5550001)}
    deleted = await client.request("DELETE", ME, json=own, headers=headers)
    assert deleted.status_code == 204, deleted.text

    bot = app.state.container.telegram.sandbox
    assert isinstance(bot, BotApiState)
    [charge] = [c for c in bot.charges if c.payload == payment_id]
    assert charge.subscription_canceled is True  # Telegram charges no more
    again = await client.post(f"{API}/auth/telegram/miniapp", json=own)
    assert again.status_code == 200  # Telegram signs in to a new, empty account
    fresh = bearer(again.json()["access_token"])
    assert (await client.get(ME, headers=fresh)).json()["id"] != account_id
