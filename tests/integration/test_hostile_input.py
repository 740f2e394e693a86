"""Bad input is a 4xx naming what was wrong, never a 500, on both backends: values
past the columns, text PostgreSQL refuses, datetimes without a zone, non-ASCII
signatures, hostile structure and oversized bodies."""

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from fastapi import FastAPI

from cybervpn.config import ObservabilitySettings
from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.remnawave.webhook_signature import sign
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from cybervpn.infrastructure.telegram.login import mini_app_key
from cybervpn.infrastructure.telegram.login import sign as telegram_sign
from tests.commerce import admin_headers, create_plan, customer
from tests.conftest import WEBHOOK_SECRET
from tests.helpers import API, PASSWORD, bearer, register, staff_tokens

pytestmark = pytest.mark.integration
TOO_BIG = 2**63


def _refused_field(response: httpx.Response, *loc: str | int) -> None:
    assert response.status_code == 422, response.text
    assert [list(loc)] == [item["loc"] for item in response.json()["detail"]]


# --- integers past the columns ------------------------------------------------


async def test_integers_past_the_columns_are_refused(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    buyer = await customer(client, "offset@example.com")
    history = await client.get(
        f"{API}/payments/history", params={"offset": TOO_BIG}, headers=buyer
    )
    _refused_field(history, "query", "offset")
    admin = await admin_headers(app, client)
    accounts = await client.get(
        f"{API}/admin/accounts", params={"offset": TOO_BIG}, headers=admin
    )
    _refused_field(accounts, "query", "offset")
    promo = await client.post(
        f"{API}/admin/promo-codes",
        json={"code": "HUGE1", "kind": "percent", "value": "10", "max_uses": TOO_BIG},
        headers=admin,
    )
    _refused_field(promo, "body", "max_uses")


# --- text PostgreSQL refuses ---------------------------------------------------


async def test_nul_and_unpaired_surrogates_are_refused_everywhere(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    signup = await register(client, "nul@example.com", referral_code="AB\x00CD")
    _refused_field(signup, "body", "referral_code")
    # An unpaired surrogate cannot even be encoded for PostgreSQL.
    raw = json.dumps({"email": "s@example.com", "password": PASSWORD})
    raw = raw[:-1] + ', "referral_code": "AB\\ud800C"}'
    surrogate = await client.post(
        f"{API}/auth/register",
        content=raw.encode(),
        headers={"content-type": "application/json"},
    )
    _refused_field(surrogate, "body", "referral_code")

    admin = await admin_headers(app, client)
    plan = await create_plan(client, admin)
    buyer = await customer(client, "nulbuyer@example.com")
    validate = await client.post(
        f"{API}/promo/validate",
        json={"code": "X\x00Y", "plan_id": plan["id"]},
        headers=buyer,
    )
    _refused_field(validate, "body", "code")
    invoice = await client.post(
        f"{API}/payments/crypto/invoice",
        json={"plan_id": plan["id"], "promo_code": "X\x00Y"},
        headers=buyer,
    )
    _refused_field(invoice, "body", "promo_code")
    audit = await client.get(f"{API}/admin/audit-log?action=a%00b", headers=admin)
    _refused_field(audit, "query", "action")


# --- datetimes without a time zone ----------------------------------------------


async def test_datetimes_without_a_time_zone_are_refused(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    admin = await admin_headers(app, client)
    naive = (datetime.now(UTC) + timedelta(days=3)).replace(tzinfo=None).isoformat()
    promo = await client.post(
        f"{API}/admin/promo-codes",
        json={"code": "NAIVE1", "kind": "percent", "value": "10", "valid_from": naive},
        headers=admin,
    )
    _refused_field(promo, "body", "valid_from")
    user = await client.post(
        f"{API}/users",
        json={"username": "naive_user", "expire_at": naive},
        headers=admin,
    )
    _refused_field(user, "body", "expire_at")


# --- signatures and tokens ----------------------------------------------------


async def test_non_ascii_signature_headers_are_unauthorised(
    client: httpx.AsyncClient,
) -> None:
    body = b'{"update_id": 1}'
    for path, header in (
        ("/webhooks/cryptobot", b"crypto-pay-api-signature"),
        ("/webhooks/remnawave", b"x-remnawave-signature"),
    ):
        response = await client.post(
            f"{API}{path}",
            content=body,
            headers=[
                (header, b"\xff" * 64),
                (b"x-remnawave-timestamp", datetime.now(UTC).isoformat().encode()),
                (b"content-type", b"application/json"),
            ],
        )
        assert response.status_code == 401, (path, response.text)


def _depth_bomb(depth: int) -> str:
    return "[" * depth + "]" * depth


async def test_a_signed_depth_bomb_is_a_malformed_webhook(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    now = datetime.now(UTC).isoformat()
    envelope = {"scope": "user", "event": "user.expired", "timestamp": now}
    body = (
        json.dumps(envelope)[:-1] + ', "data": {"deep": ' + _depth_bomb(100_000) + "}}"
    ).encode()
    panel = await client.post(
        f"{API}/webhooks/remnawave",
        content=body,
        headers={
            "x-remnawave-signature": sign(WEBHOOK_SECRET, body),
            "x-remnawave-timestamp": now,
        },
    )
    assert panel.status_code == 400, panel.text
    assert panel.json()["code"] == "webhook_malformed"
    token = app.state.container.payments.token
    crypto_body = ('{"update_id": 1, "payload": ' + _depth_bomb(100_000) + "}").encode()
    key = hashlib.sha256(token.encode()).digest()
    crypto = await client.post(
        f"{API}/webhooks/cryptobot",
        content=crypto_body,
        headers={
            "crypto-pay-api-signature": hmac.new(
                key, crypto_body, hashlib.sha256
            ).hexdigest()
        },
    )
    assert crypto.status_code == 400, crypto.text
    assert crypto.json()["code"] == "webhook_malformed"


async def test_a_token_claim_of_the_wrong_type_is_an_invalid_token(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    tokens = await staff_tokens(app, client, "claims@example.com", Role.VIEWER)
    me = await client.get(f"{API}/auth/me", headers=bearer(tokens["access_token"]))
    keyring = app.state.container.access_tokens._keyring  # noqa: SLF001
    for sid in ({"$ne": None}, 12345, None):
        forged = keyring.sign(
            subject=me.json()["id"],
            token_type="access",
            ttl=timedelta(minutes=5),
            sid=sid,
        )
        response = await client.get(f"{API}/auth/me", headers=bearer(forged))
        assert response.status_code == 401, (sid, response.text)


# --- size -----------------------------------------------------------------------

TOO_LARGE = {"detail": "Request body too large", "code": "body_too_large"}


async def test_bodies_over_the_limit_are_refused_before_parsing(
    client: httpx.AsyncClient,
) -> None:
    padding = "x" * (1024 * 1024)
    declared = await client.post(
        f"{API}/auth/register",
        json={"email": "huge@example.com", "password": PASSWORD, "pad": padding},
    )
    assert declared.status_code == 413 and declared.json() == TOO_LARGE

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b" " * 65536  # JSON allows the whitespace, so only size refuses it

    streamed = await client.post(
        f"{API}/webhooks/cryptobot",
        content=chunks(),
        headers={"crypto-pay-api-signature": "0" * 64},
    )
    assert streamed.status_code == 413 and streamed.json() == TOO_LARGE
    fine = await register(client, "small@example.com")
    assert fine.status_code == 201


# --- the sandbox panel holds too --------------------------------------------------


async def test_the_sandbox_panel_refuses_an_expiry_past_the_calendar(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    admin = await admin_headers(app, client)
    created = await client.post(
        f"{API}/users",
        json={"username": "forever", "expire_at": "9999-12-31T00:00:00Z"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    extended = await client.post(
        f"{API}/users/{created.json()['id']}/extend", json={"days": 30}, headers=admin
    )
    assert extended.status_code < 500, extended.text
    assert extended.status_code in (400, 422)


# --- sign in with Telegram and the metrics scrape -------------------------------


def _signed_init_data(app: FastAPI, **fields: str) -> str:
    token = app.state.container.telegram_login_token
    data = {"auth_date": str(int(datetime.now(UTC).timestamp()))} | fields
    data["hash"] = telegram_sign(mini_app_key(token), data)
    return urlencode(data)


async def test_telegram_sign_in_refuses_hostile_input_with_a_4xx(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    miniapp, widget = f"{API}/auth/telegram/miniapp", f"{API}/auth/telegram/widget"
    now = int(datetime.now(UTC).timestamp())
    fields = {"id": 1, "auth_date": now, "hash": "ab"}
    _refused_field(
        await client.post(widget, json=fields | {"id": TOO_BIG}), "body", "id"
    )
    _refused_field(
        await client.post(widget, json=fields | {"auth_date": TOO_BIG}),
        "body",
        "auth_date",
    )
    _refused_field(
        await client.post(widget, json=fields | {"username": "a\x00b"}),
        "body",
        "username",
    )
    _refused_field(
        await client.post(miniapp, json={"init_data": "user=a\x00b"}),
        "body",
        "init_data",
    )
    _refused_field(
        await client.post(
            f"{API}/sandbox/telegram/init-data", json={"telegram_id": TOO_BIG}
        ),
        "body",
        "telegram_id",
    )
    foreign_hash = await client.post(widget, json=fields | {"hash": "\u00ff" * 64})
    assert foreign_hash.status_code == 401, foreign_hash.text
    deep = await client.post(
        miniapp,
        content=('{"init_data": ' + _depth_bomb(100_000) + "}").encode(),
        headers={"content-type": "application/json"},
    )
    assert 400 <= deep.status_code < 500, deep.text
    # Signed for our bot, yet unusable: a NUL in the name, an id or a date
    # past every column. Refused, never stored.
    for signed in (
        _signed_init_data(app, user=json.dumps({"id": 7, "username": "a\x00b"})),
        _signed_init_data(app, user=json.dumps({"id": TOO_BIG})),
        _signed_init_data(app, user=json.dumps({"id": 7}), auth_date=str(TOO_BIG)),
        _signed_init_data(app, user="[[[[[[[[]]]]]]]]"),
    ):
        answer = await client.post(miniapp, json={"init_data": signed})
        assert answer.status_code == 401, (signed, answer.text)
        assert answer.json()["code"] == "telegram_auth_invalid"


async def test_the_metrics_scrape_refuses_a_non_ascii_token(
    client_factory: Any,
) -> None:
    observability = ObservabilitySettings(metrics_token="m" * 40)
    async with client_factory(observability=observability) as (_app, client):
        response = await client.get(
            "/metrics", headers=[(b"authorization", b"Bearer \xff" * 20)]
        )
    assert response.status_code == 401, response.text


async def test_self_service_routes_refuse_hostile_input_with_a_4xx(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    buyer = await customer(client, "hostile-self@example.com")
    admin = await admin_headers(app, client)
    nul = "a\x00b"
    nul_in_path = "a%00b"
    bomb = "[" * 5000 + "]" * 5000
    calls: list[tuple[str, str, Any, dict[str, str]]] = [
        ("DELETE", f"{API}/subscriptions/me/devices/{nul_in_path}", None, buyer),
        ("GET", f"{API}/users/{TOO_BIG}/devices", None, admin),
        ("DELETE", f"{API}/users/1/devices/{nul_in_path}", None, admin),
        ("POST", f"{API}/auth/email/verify", {"token": nul}, {}),
        (
            "POST",
            f"{API}/auth/password/reset",
            {"token": nul, "new_password": nul * 8},
            {},
        ),
        ("POST", f"{API}/auth/password/forgot", {"email": f"x{nul}@example.com"}, {}),
        ("POST", f"{API}/auth/email/change", {"new_email": f"{nul}@x.com"}, buyer),
        ("PUT", f"{API}/auth/me/language", {"language": nul}, buyer),
        ("DELETE", f"{API}/auth/me", {"password": nul}, buyer),
        ("DELETE", f"{API}/auth/me", {"init_data": nul}, buyer),
        ("GET", f"{API}/subscriptions/me/qr?format={nul_in_path}", None, buyer),
    ]
    for method, url, body, headers in calls:
        answer = await client.request(method, url, json=body, headers=headers)
        assert 400 <= answer.status_code < 500, (method, url, answer.text)
    nested = await client.request(
        "DELETE",
        f"{API}/auth/me",
        content=bomb,
        headers=buyer | {"content-type": "application/json"},
    )
    assert 400 <= nested.status_code < 500
    me = await client.get(f"{API}/auth/me", headers=buyer)
    assert me.status_code == 200  # nothing above deleted the account
