"""Panel webhooks: signature over the raw body, freshness, the log, duplicates, and
what each event causes."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.monitoring.live_feed import (
    SUBSCRIBER_BACKLOG,
    MemoryLiveFeed,
)
from cybervpn.infrastructure.persistence.models.jobs import NotificationModel
from cybervpn.infrastructure.persistence.models.webhooks import WebhookDeliveryModel
from cybervpn.infrastructure.remnawave.webhook_signature import sign
from cybervpn.infrastructure.sandbox.remnawave.records import iso
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from cybervpn.infrastructure.sandbox.remnawave.webhooks import signed_delivery
from tests.commerce import run_jobs, verified_customer, vpn_user_of
from tests.conftest import WEBHOOK_SECRET
from tests.helpers import API, bearer, staff_tokens

pytestmark = pytest.mark.integration
URL = f"{API}/webhooks/remnawave"


def _now() -> str:
    return iso(datetime.now(UTC)) or ""


def _user_event(
    event: str, *, telegram_id: int | None = 4242
) -> tuple[str, dict[str, Any]]:
    state = PanelState()
    user = state.create_user(
        {
            "username": "hook_user",
            "expire_at": datetime.now(UTC) + timedelta(days=1),
            "telegram_id": telegram_id,
        }
    )
    return event, state.user_json(user)


async def _send(
    client: httpx.AsyncClient,
    scope: str,
    event: str,
    data: dict[str, Any],
    *,
    timestamp: str | None = None,
    secret: str = WEBHOOK_SECRET,
) -> httpx.Response:
    body, headers = signed_delivery(secret, scope, event, timestamp or _now(), data)
    return await client.post(URL, content=body, headers=headers)


async def _rows(app: FastAPI, model: Any) -> list[Any]:
    async with app.state.container.session_factory() as session:
        return list(await session.scalars(select(model)))


async def test_signature_freshness_and_malformed_bodies(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    event, data = _user_event("user.modified")
    wrong = await _send(client, "user", event, data, secret="x" * 48)
    assert wrong.status_code == 401 and wrong.json()["code"] == "webhook_rejected"
    body, headers = signed_delivery(WEBHOOK_SECRET, "user", event, _now(), data)
    missing = await client.post(
        URL,
        content=body,
        headers={"X-Remnawave-Timestamp": headers["X-Remnawave-Timestamp"]},
    )
    assert missing.status_code == 401
    tampered = await client.post(
        URL, content=body.replace(b"hook_user", b"evil_user"), headers=headers
    )
    assert tampered.status_code == 401
    stale = await _send(
        client,
        "user",
        event,
        data,
        timestamp=iso(datetime.now(UTC) - timedelta(hours=1)),
    )
    assert stale.status_code == 401
    signed_garbage, garbage_headers = b"[1,2]", dict(headers)
    garbage_headers["X-Remnawave-Signature"] = sign(WEBHOOK_SECRET, signed_garbage)
    malformed = await client.post(URL, content=signed_garbage, headers=garbage_headers)
    assert malformed.status_code == 400

    rows = await _rows(app, WebhookDeliveryModel)
    assert sorted(r.outcome for r in rows) == ["rejected"] * 4
    assert all(r.payload is None for r in rows)


async def test_a_delivery_is_processed_once_and_secrets_are_redacted(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    event, data = _user_event("user.expired")
    timestamp = _now()
    answers = await asyncio.gather(
        *(_send(client, "user", event, data, timestamp=timestamp) for _ in range(10))
    )
    assert sorted(a.json()["status"] for a in answers) == ["duplicate"] * 9 + [
        "processed"
    ]
    later = await _send(client, "user", event, data, timestamp=timestamp)
    assert later.json()["status"] == "duplicate"

    # The VPN user is no customer's: its panel telegramId (4242) was never proved
    # to be its owner's chat, so nobody is messaged.
    assert await _rows(app, NotificationModel) == []
    processed = [
        r for r in await _rows(app, WebhookDeliveryModel) if r.outcome == "processed"
    ]
    assert len(processed) == 1
    stored = processed[0].payload["data"]
    assert stored["trojanPassword"] == "***" and stored["username"] == "hook_user"
    assert data["trojanPassword"] not in str(processed[0].payload)

    admin = bearer(
        (await staff_tokens(app, client, "ops@example.com", Role.ADMIN))["access_token"]
    )
    log = await client.get(f"{API}/admin/webhook-log?outcome=duplicate", headers=admin)
    assert log.status_code == 200 and log.json()["total"] == 10
    by_event = await client.get(
        f"{API}/admin/webhook-log?event=user.expired", headers=admin
    )
    assert by_event.json()["total"] == 11
    viewer = bearer(
        (await staff_tokens(app, client, "v@example.com", Role.VIEWER))["access_token"]
    )
    assert (
        await client.get(f"{API}/admin/webhook-log", headers=viewer)
    ).status_code == 403


async def test_events_alert_staff_and_never_an_unproved_chat(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    # VPN users no customer owns: their panel telegramId is not a proved chat.
    for name in (
        "user.limited",
        "user.expiration",
        "user.bandwidth_usage_threshold_reached",
        "user.expired",
    ):
        event, data = _user_event(name)
        assert (await _send(client, "user", event, data)).json()[
            "status"
        ] == "processed"
    node = PanelState().node_json(next(iter(PanelState().nodes.values())))
    for name in ("node.connection_lost", "node.connection_restored", "node.modified"):
        assert (await _send(client, "node", name, node)).status_code == 200

    templates = sorted(n.template for n in await _rows(app, NotificationModel))
    assert templates == ["node.connection_lost", "node.connection_restored"]
    staff = [n for n in await _rows(app, NotificationModel) if n.audience == "staff"]
    assert {n.payload["node_name"] for n in staff} == {"Frankfurt-1"}


async def test_notices_about_a_sold_vpn_user_reach_the_account_that_bought_it(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    # Provisioning sets no telegramId on the VPN user: the notice is routed through
    # the subscription that owns the VPN user to the account behind it.
    buyer = await verified_customer(app, client, "limited@example.com")
    assert (await client.post(f"{API}/trial", headers=buyer)).status_code == 201
    await run_jobs(app)
    me = await client.get(f"{API}/auth/me", headers=buyer)
    vpn_user = vpn_user_of(sandbox, me.json()["id"])
    assert vpn_user.telegram_id is None
    data = sandbox.user_json(vpn_user)
    for name in ("user.limited", "user.bandwidth_usage_threshold_reached"):
        answer = await _send(client, "user", name, data)
        assert answer.json()["status"] == "processed"

    notices = [
        n for n in await _rows(app, NotificationModel) if n.template.startswith("vpn.")
    ]
    assert sorted(n.template for n in notices) == [
        "vpn.limited",
        "vpn.traffic_threshold",
    ]
    assert {str(n.account_id) for n in notices} == {me.json()["id"]}
    assert {n.audience for n in notices} == {"customer"}


async def test_the_sandbox_panel_sends_signed_webhooks_for_what_it_does(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    operator = bearer(
        (await staff_tokens(app, client, "op@example.com", Role.OPERATOR))[
            "access_token"
        ]
    )
    created = await client.post(
        f"{API}/users",
        json={
            "username": "webhooked",
            "expire_at": (datetime.now(UTC) + timedelta(days=3)).isoformat(),
        },
        headers=operator,
    )
    assert created.status_code == 201
    await app.state.container.sandbox_webhooks.drain()
    rows = await _rows(app, WebhookDeliveryModel)
    assert [(r.event, r.outcome) for r in rows] == [("user.created", "processed")]


async def test_accepted_events_reach_the_live_monitoring_feed(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    # Redis pub/sub on PostgreSQL runs, the in-process feed on SQLite runs.
    feed = app.state.container.live_feed
    event, data = _user_event("user.limited")
    async with feed.subscription() as events:
        assert (await _send(client, "user", event, data)).status_code == 200
        published = await asyncio.wait_for(anext(events), timeout=2)
    assert published["event"] == "user.limited" and published["scope"] == "user"
    assert published["data"]["username"] == "hook_user"
    assert published["data"]["trojanPassword"] == "***"


async def test_a_slow_live_subscriber_drops_its_oldest_updates() -> None:
    feed = MemoryLiveFeed()
    async with feed.subscription() as events:
        for number in range(SUBSCRIBER_BACKLOG + 5):
            await feed.publish({"n": number})
        received = [await anext(events) for _ in range(SUBSCRIBER_BACKLOG)]
    assert received[0] == {"n": 5} and received[-1] == {"n": SUBSCRIBER_BACKLOG + 4}
