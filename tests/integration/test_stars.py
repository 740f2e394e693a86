"""Buying with Telegram Stars: the invoice link Telegram is asked for, the
pre-checkout answered only for what we asked, and each charge credited exactly once
through the same path as Crypto Pay, on both backends."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from cybervpn.infrastructure.persistence.models.commerce import (
    PaymentModel,
    SubscriptionModel,
)
from cybervpn.infrastructure.persistence.models.jobs import NotificationModel
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from cybervpn.infrastructure.sandbox.telegram.login import mini_app_init_data
from cybervpn.infrastructure.sandbox.telegram.state import BotApiState
from cybervpn.infrastructure.sandbox.telegram.updates import SandboxTelegramUpdates
from tests.commerce import (
    admin_headers,
    create_plan,
    customer,
    run_jobs,
    vpn_user_of,
)
from tests.helpers import API, bearer

pytestmark = pytest.mark.integration
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _bot(app: FastAPI) -> BotApiState:
    state = app.state.container.telegram.sandbox
    assert isinstance(state, BotApiState)
    return state


def _updates(app: FastAPI) -> SandboxTelegramUpdates:
    updates = app.state.container.sandbox_telegram_updates
    assert isinstance(updates, SandboxTelegramUpdates)
    return updates


async def _telegram_customer(
    app: FastAPI, client: httpx.AsyncClient, telegram_id: int
) -> dict[str, str]:
    init_data = mini_app_init_data(
        app.state.container.telegram_login_token, telegram_id=telegram_id
    )
    signed_in = await client.post(
        f"{API}/auth/telegram/miniapp", json={"init_data": init_data}
    )
    assert signed_in.status_code == 200, signed_in.text
    return bearer(signed_in.json()["access_token"])


async def _stars_plan(app: FastAPI, client: httpx.AsyncClient, **fields: Any) -> str:
    plan = await create_plan(
        client, await admin_headers(app, client), price_stars=250, **fields
    )
    return str(plan["id"])


async def _invoice(
    client: httpx.AsyncClient, headers: dict[str, str], plan_id: str, **extra: Any
) -> httpx.Response:
    return await client.post(
        f"{API}/payments/stars/invoice",
        json={"plan_id": plan_id} | extra,
        headers=headers,
    )


async def _pay(client: httpx.AsyncClient, payment_id: str) -> dict[str, Any]:
    paid = await client.post(f"{API}/sandbox/telegram/invoices/{payment_id}/pay")
    assert paid.status_code == 200, paid.text
    result: dict[str, Any] = paid.json()
    return result


async def _row(app: FastAPI, payment_id: str) -> PaymentModel:
    async with app.state.container.session_factory() as session:
        row: PaymentModel | None = await session.get(PaymentModel, UUID(payment_id))
    assert row is not None
    return row


async def _expiry(app: FastAPI) -> datetime:
    async with app.state.container.session_factory() as session:
        expires: datetime | None = await session.scalar(
            select(SubscriptionModel.expires_at)
        )
    assert expires is not None
    return expires


async def test_a_customer_buys_a_plan_with_stars_end_to_end(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    plan_id = await _stars_plan(app, client, name="A very long plan name for Stars")
    buyer = await _telegram_customer(app, client, 9990001)
    created = await _invoice(client, buyer, plan_id)
    assert created.status_code == 201, created.text
    invoice = created.json()
    assert (invoice["amount"], invoice["currency"], invoice["status"]) == (
        250,
        "XTR",
        "pending",
    )
    link = _bot(app).link_for_payload(invoice["payment_id"]) or _missing()
    assert invoice["invoice_link"] == link.url
    assert link.payload == invoice["payment_id"] and len(link.title) <= 32
    assert link.amount == 250 and link.subscription_period is None

    paid = await _pay(client, invoice["payment_id"])
    assert paid["approved"] is True and paid["webhook_outcome"] == "processed"
    await run_jobs(app)
    subscription = await client.get(f"{API}/subscriptions/me", headers=buyer)
    assert subscription.json()["status"] == "active"
    payment = await client.get(f"{API}/payments/{invoice['payment_id']}", headers=buyer)
    body = payment.json()
    assert body["status"] == "paid" and body["provider"] == "telegram_stars"
    assert body["telegram_charge_id"] == paid["telegram_charge_id"]
    assert body["payer_telegram_id"] == 9990001

    stranger = await customer(client, "stranger@example.com")
    hidden = await client.get(
        f"{API}/payments/{invoice['payment_id']}", headers=stranger
    )
    assert hidden.status_code == 404


async def test_stars_prices_plans_and_promo_codes(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await admin_headers(app, client)
    usd_only = await create_plan(client, admin, code="usd-only")
    buyer = await customer(client, "stars@example.com")
    refused = await _invoice(client, buyer, usd_only["id"])
    assert refused.status_code == 409
    assert refused.json()["code"] == "stars_price_missing"

    stars_plan = await create_plan(client, admin, code="stars", price_stars=250)
    promo = await client.post(
        f"{API}/admin/promo-codes",
        json={"code": "STARS20", "kind": "percent", "value": "20"},
        headers=admin,
    )
    assert promo.status_code == 201, promo.text
    discounted = await _invoice(client, buyer, stars_plan["id"], promo_code="STARS20")
    assert discounted.json()["amount"] == 200

    _bot(app).outage = True
    down = await _invoice(client, buyer, stars_plan["id"])
    _bot(app).outage = False
    assert down.status_code == 503
    assert down.json()["code"] == "payment_provider_unavailable"
    history = await client.get(f"{API}/payments/history", headers=buyer)
    assert [p["status"] for p in history.json()["items"]] == ["failed", "pending"]


async def test_copies_of_one_payment_credit_it_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    plan_id = await _stars_plan(app, client)
    buyer = await _telegram_customer(app, client, 9990002)
    payment_id = (await _invoice(client, buyer, plan_id)).json()["payment_id"]
    bot, updates = _bot(app), _updates(app)
    charge = bot.charge(bot.link_for_payload(payment_id) or _missing(), 9990002)
    update = updates.successful_payment(charge)
    answers = await asyncio.gather(*(updates.send(update) for _ in range(50)))
    outcomes = sorted(a.json()["status"] for a in answers)
    assert outcomes == ["duplicate"] * 49 + ["processed"]
    first_expiry = await _expiry(app)
    # The same charge under a new update id changes nothing either.
    again = await updates.send(updates.successful_payment(charge))
    assert again.json()["status"] == "duplicate"
    assert await _expiry(app) == first_expiry
    assert first_expiry - datetime.now(UTC) < timedelta(days=31)


def _secret(app: FastAPI) -> str:
    secret = app.state.container.settings.telegram.webhook_secret
    return str(secret.get_secret_value())


def _missing() -> Any:
    raise AssertionError("no invoice link")


async def test_pre_checkout_says_yes_only_to_what_we_asked(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    plan_id = await _stars_plan(app, client)
    buyer = await _telegram_customer(app, client, 9990003)
    bot, updates = _bot(app), _updates(app)

    async def ask(payload: str, amount: int = 250, currency: str = "XTR") -> Any:
        query_id = f"q{bot.next_id()}"
        answer = await updates.send(
            {
                "update_id": bot.next_id(),
                "pre_checkout_query": {
                    "id": query_id,
                    "from": {"id": 9990003, "is_bot": False, "first_name": "A"},
                    "currency": currency,
                    "total_amount": amount,
                    "invoice_payload": payload,
                },
            }
        )
        assert answer.status_code == 200, answer.text
        return bot.pre_checkout_answers[query_id]

    pending = (await _invoice(client, buyer, plan_id)).json()["payment_id"]
    assert (await ask(pending))["ok"] is True
    crypto = await client.post(
        f"{API}/payments/crypto/invoice", json={"plan_id": plan_id}, headers=buyer
    )
    for refused in (
        await ask("not-a-payment-id"),
        await ask(str(UUID(int=7))),
        await ask(crypto.json()["payment_id"]),
        await ask(pending, amount=1),
        await ask(pending, currency="USD"),
    ):
        assert refused["ok"] is False and refused["error_message"], refused
    async with app.state.container.session_factory() as session:
        await session.execute(
            update(PaymentModel)
            .where(PaymentModel.id == UUID(pending))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await session.commit()
    expired = await ask(pending)
    assert expired["ok"] is False
    paid_id = (await _invoice(client, buyer, plan_id)).json()["payment_id"]
    assert (await _pay(client, paid_id))["approved"] is True
    assert (await ask(paid_id))["ok"] is False  # paid already


async def test_only_updates_with_our_secret_are_read(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    plan_id = await _stars_plan(app, client)
    buyer = await _telegram_customer(app, client, 9990004)
    payment_id = (await _invoice(client, buyer, plan_id)).json()["payment_id"]
    bot, updates = _bot(app), _updates(app)
    charge = bot.charge(bot.link_for_payload(payment_id) or _missing(), 9990004)
    update = updates.successful_payment(charge)
    for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: ""}):
        refused = await client.post(
            f"{API}/webhooks/telegram", json=update, headers=headers
        )
        assert refused.status_code == 401, headers
    assert (await _row(app, payment_id)).status == "pending"
    malformed = await client.post(
        f"{API}/webhooks/telegram",
        content=b"{not json",
        headers={SECRET_HEADER: _secret(app)},
    )
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "webhook_malformed"
    for hostile in (
        b"[" * 100_000 + b"]" * 100_000,  # deeper than any JSON parser goes
        b'{"update_id": 1, "message": {"text": "nul \\u0000 byte"}}',
        b'{"update_id": 99999999999999999999, "message": {}}',
    ):
        refused = await client.post(
            f"{API}/webhooks/telegram",
            content=hostile,
            headers={SECRET_HEADER: _secret(app)},
        )
        assert refused.status_code == 400, hostile[:40]
    other = await updates.send({"update_id": bot.next_id(), "message": {"text": "hi"}})
    assert other.json()["status"] == "ignored"


async def test_mismatches_and_second_charges_are_flagged_never_credited(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    plan_id = await _stars_plan(app, client)
    buyer = await _telegram_customer(app, client, 9990005)
    payment_id = (await _invoice(client, buyer, plan_id)).json()["payment_id"]
    bot, updates = _bot(app), _updates(app)
    link = bot.link_for_payload(payment_id) or _missing()
    short = bot.charge(link, 9990005)
    short.amount = 1  # paid less than we asked
    flagged = await updates.send(updates.successful_payment(short))
    assert flagged.json()["status"] == "flagged"
    row = await _row(app, payment_id)
    assert row.status == "pending" and row.flag is not None

    paid = await _pay(client, payment_id)
    assert paid["webhook_outcome"] == "processed"
    twice = await updates.send(updates.successful_payment(bot.charge(link, 9990005)))
    assert twice.json()["status"] == "flagged"
    row = await _row(app, payment_id)
    assert row.telegram_charge_id == paid["telegram_charge_id"]
    assert "paid twice" in (row.flag or "")
    unknown = bot.charge(link, 9990005)
    unknown.payload = str(UUID(int=9))
    assert (await updates.send(updates.successful_payment(unknown))).json()[
        "status"
    ] == "flagged"
    async with app.state.container.session_factory() as session:
        alerts = await session.scalar(
            select(NotificationModel.id)
            .where(NotificationModel.template == "payment.flagged")
            .limit(1)
        )
    assert alerts is not None


async def test_reconciliation_catches_a_lost_update_and_expires_the_unpaid(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    plan_id = await _stars_plan(app, client)
    buyer = await _telegram_customer(app, client, 9990006)
    lost = (await _invoice(client, buyer, plan_id)).json()["payment_id"]
    unpaid = (await _invoice(client, buyer, plan_id)).json()["payment_id"]
    bot, updates = _bot(app), _updates(app)
    # Telegram took the Stars, but its update never reached us.
    charge = bot.charge(bot.link_for_payload(lost) or _missing(), 9990006)
    async with app.state.container.session_factory() as session:
        await session.execute(
            update(PaymentModel)
            .where(PaymentModel.id == UUID(unpaid))
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=11))
        )
        await session.commit()
    reconciler = app.state.container.jobs.stars_reconciler

    bot.outage = True
    down = await reconciler.execute()
    bot.outage = False
    assert down.outcomes == {"provider_unavailable": 1}
    assert (await _row(app, unpaid)).status == "pending"  # nothing decided blind

    report = await reconciler.execute()
    assert report.outcomes == {"credited": 1, "expired": 1}
    assert (await _row(app, lost)).telegram_charge_id == charge.charge_id
    assert (await _row(app, unpaid)).status == "expired"
    late = await updates.send(updates.successful_payment(charge))
    assert late.json()["status"] == "duplicate"
    assert (await reconciler.execute()).outcomes == {}


async def test_a_refund_takes_back_exactly_the_refunded_period_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await admin_headers(app, client)
    plan_id = (await create_plan(client, admin, price_stars=250))["id"]
    buyer = await _telegram_customer(app, client, 9990007)
    first = (await _invoice(client, buyer, plan_id)).json()["payment_id"]
    second = (await _invoice(client, buyer, plan_id)).json()["payment_id"]
    for payment_id in (first, second):
        assert (await _pay(client, payment_id))["webhook_outcome"] == "processed"
    await run_jobs(app)
    two_months = await _expiry(app)
    url = f"{API}/admin/payments/{second}/refund"

    refunded = await client.post(url, json={"reason": "asked"}, headers=admin)
    assert refunded.status_code == 200, refunded.text
    assert refunded.json()["status"] == "refunded"
    assert two_months - await _expiry(app) == timedelta(days=30)
    again = await client.post(url, json={"reason": "asked"}, headers=admin)
    assert again.status_code == 409 and again.json()["code"] == "already_refunded"
    assert _bot(app).refunds == [(await _row(app, second)).telegram_charge_id]
    await run_jobs(app)  # the panel follows: still active, a month left
    subscription = await client.get(f"{API}/subscriptions/me", headers=buyer)
    assert subscription.json()["status"] == "active"

    crypto = await client.post(
        f"{API}/payments/crypto/invoice", json={"plan_id": plan_id}, headers=buyer
    )
    not_stars = await client.post(
        f"{API}/admin/payments/{crypto.json()['payment_id']}/refund",
        json={"reason": "x"},
        headers=admin,
    )
    assert not_stars.json()["code"] == "refund_not_supported"
    customer_try = await client.post(
        f"{API}/admin/payments/{first}/refund", json={"reason": "x"}, headers=buyer
    )
    assert customer_try.status_code == 403
    _bot(app).outage = True
    down = await client.post(
        f"{API}/admin/payments/{first}/refund", json={"reason": "x"}, headers=admin
    )
    _bot(app).outage = False
    assert down.status_code == 503
    assert (await _row(app, first)).status == "paid"  # nothing changed


async def test_a_stars_subscription_renews_once_per_charge_until_cancelled(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await admin_headers(app, client)
    plan_id = (await create_plan(client, admin, price_stars=250))["id"]
    week = await create_plan(
        client, admin, code="week", duration_days=7, price_stars=90
    )
    buyer = await _telegram_customer(app, client, 9990008)
    not_monthly = await _invoice(client, buyer, week["id"], auto_renew=True)
    assert not_monthly.status_code == 422
    assert not_monthly.json()["code"] == "auto_renew_not_available"
    nothing_to_cancel = await client.post(
        f"{API}/subscriptions/me/auto-renew", json={"enabled": False}, headers=buyer
    )
    assert nothing_to_cancel.status_code == 404  # no access yet at all

    payment_id = (await _invoice(client, buyer, plan_id, auto_renew=True)).json()[
        "payment_id"
    ]
    bot, updates = _bot(app), _updates(app)
    link = bot.link_for_payload(payment_id) or _missing()
    assert link.subscription_period == 2_592_000
    assert (await _pay(client, payment_id))["webhook_outcome"] == "processed"
    me = await client.get(f"{API}/subscriptions/me", headers=buyer)
    assert me.json()["auto_renew"] is True
    one_month = await _expiry(app)

    [first] = [c for c in bot.charges if c.payload == payment_id]
    renewal = bot.renew(first)
    copies = [updates.successful_payment(renewal) for _ in range(10)]
    answers = await asyncio.gather(*(updates.send(copy) for copy in copies))
    outcomes = sorted(a.json()["status"] for a in answers)
    assert outcomes == ["duplicate"] * 9 + ["processed"]
    assert await _expiry(app) - one_month == timedelta(days=30)
    history = await client.get(f"{API}/payments/history", headers=buyer)
    paid = [p for p in history.json()["items"] if p["status"] == "paid"]
    assert len(paid) == 2
    assert {p["telegram_charge_id"] for p in paid} == {
        first.charge_id,
        renewal.charge_id,
    }

    cancelled = await client.post(
        f"{API}/subscriptions/me/auto-renew", json={"enabled": False}, headers=buyer
    )
    assert cancelled.status_code == 200 and cancelled.json() == {"auto_renew": False}
    assert first.subscription_canceled is True
    me = await client.get(f"{API}/subscriptions/me", headers=buyer)
    assert me.json()["auto_renew"] is False

    one_off = await _telegram_customer(app, client, 9990009)
    bought = (await _invoice(client, one_off, plan_id)).json()["payment_id"]
    await _pay(client, bought)
    refused = await client.post(
        f"{API}/subscriptions/me/auto-renew", json={"enabled": False}, headers=one_off
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "no_stars_subscription"


async def test_two_charges_for_one_payment_at_once_credit_it_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    plan_id = await _stars_plan(app, client)
    buyer = await _telegram_customer(app, client, 9990010)
    payment_id = (await _invoice(client, buyer, plan_id)).json()["payment_id"]
    bot, updates = _bot(app), _updates(app)
    link = bot.link_for_payload(payment_id) or _missing()
    # Two pre-checkouts approved before either was paid: Telegram took it twice.
    charges = [bot.charge(link, 9990010), bot.charge(link, 9990010)]
    answers = await asyncio.gather(
        *(updates.send(updates.successful_payment(c)) for c in charges)
    )
    assert sorted(a.json()["status"] for a in answers) == ["flagged", "processed"]
    row = await _row(app, payment_id)
    assert row.status == "paid" and "paid twice" in (row.flag or "")
    assert row.telegram_charge_id in {c.charge_id for c in charges}


async def test_paid_in_stars_while_the_panel_is_down_provisions_once_it_returns(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    admin = await admin_headers(app, client)
    plan_id = (await create_plan(client, admin, price_stars=250))["id"]
    buyer = await _telegram_customer(app, client, 9990011)
    payment_id = (await _invoice(client, buyer, plan_id)).json()["payment_id"]

    sandbox.outage = True
    paid = await _pay(client, payment_id)
    assert paid["webhook_outcome"] == "processed"  # the Stars are taken regardless
    await run_jobs(app)
    me = await client.get(f"{API}/subscriptions/me", headers=buyer)
    assert me.json()["status"] == "provisioning"
    [job] = (await client.get(f"{API}/admin/provisioning", headers=admin)).json()[
        "items"
    ]

    sandbox.outage = False
    retried = await client.post(
        f"{API}/admin/provisioning/{job['id']}/retry", headers=admin
    )
    assert retried.status_code == 200, retried.text
    await run_jobs(app)
    me = await client.get(f"{API}/subscriptions/me", headers=buyer)
    assert me.json()["status"] == "active"
    account_id = (await client.get(f"{API}/auth/me", headers=buyer)).json()["id"]
    assert vpn_user_of(sandbox, account_id) is not None


async def test_refunding_a_charge_of_a_stars_subscription_ends_its_renewal(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await admin_headers(app, client)
    plan_id = (await create_plan(client, admin, price_stars=250))["id"]
    buyer = await _telegram_customer(app, client, 9990012)
    payment_id = (await _invoice(client, buyer, plan_id, auto_renew=True)).json()[
        "payment_id"
    ]
    bot, updates = _bot(app), _updates(app)
    await _pay(client, payment_id)
    [first] = [c for c in bot.charges if c.payload == payment_id]
    await updates.send(updates.successful_payment(bot.renew(first)))
    history = await client.get(f"{API}/payments/history", headers=buyer)
    [renewal_id] = [p["id"] for p in history.json()["items"] if p["id"] != payment_id]
    two_months = await _expiry(app)
    url = f"{API}/admin/payments/{renewal_id}/refund"

    # Telegram cancels the renewal but cannot refund: the renewal stays ended.
    bot.failing_methods.add("refundStarPayment")
    try:
        failed = await client.post(url, json={"reason": "asked"}, headers=admin)
    finally:
        bot.failing_methods.clear()
    assert failed.status_code == 503
    assert first.subscription_canceled is True
    assert (await _row(app, renewal_id)).status == "paid"
    me = await client.get(f"{API}/subscriptions/me", headers=buyer)
    assert me.json()["auto_renew"] is False

    refunded = await client.post(url, json={"reason": "asked"}, headers=admin)
    assert refunded.status_code == 200, refunded.text
    assert two_months - await _expiry(app) == timedelta(days=30)
    async with app.state.container.session_factory() as session:
        told = await session.scalar(
            select(NotificationModel.payload).where(
                NotificationModel.template == "payment.refunded"
            )
        )
    assert told is not None and told["days"] == 30


async def test_refunding_a_one_off_payment_leaves_the_renewal_alone(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await admin_headers(app, client)
    plan_id = (await create_plan(client, admin, price_stars=250))["id"]
    buyer = await _telegram_customer(app, client, 9990013)
    renewing = (await _invoice(client, buyer, plan_id, auto_renew=True)).json()
    one_off = (await _invoice(client, buyer, plan_id)).json()
    for invoice in (renewing, one_off):
        await _pay(client, invoice["payment_id"])

    refunded = await client.post(
        f"{API}/admin/payments/{one_off['payment_id']}/refund",
        json={"reason": "bought twice"},
        headers=admin,
    )
    assert refunded.status_code == 200, refunded.text
    [first] = [c for c in _bot(app).charges if c.payload == renewing["payment_id"]]
    assert first.subscription_canceled is False
    me = await client.get(f"{API}/subscriptions/me", headers=buyer)
    assert me.json()["auto_renew"] is True
