"""Sign in with Telegram: only data Telegram signed for our bot, with the right key,
fresh, and (for the Login Widget) once. init-data-py, an independent implementation
of Telegram's rules, is the oracle for what Telegram would sign."""

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
import init_data_py
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

from cybervpn.config import RateLimitSettings
from cybervpn.infrastructure.sandbox.telegram.login import mini_app_init_data
from cybervpn.infrastructure.telegram.login import mini_app_key, sign, widget_key
from tests.helpers import API, bearer, register

pytestmark = pytest.mark.integration
INVALID = {"detail": "Invalid Telegram login", "code": "telegram_auth_invalid"}


def _token(app: FastAPI) -> str:
    token: str = app.state.container.telegram_login_token
    return token


def _widget(app: FastAPI, key: bytes | None = None, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": 5550001,
        "first_name": "Ann",
        "username": "ann",
        "auth_date": int(time.time()),
    } | fields
    signed = {name: str(value) for name, value in data.items()}
    data["hash"] = sign(key or widget_key(_token(app)), signed)
    return data


async def _mini_app(client: httpx.AsyncClient, init_data: str) -> httpx.Response:
    return await client.post(
        f"{API}/auth/telegram/miniapp", json={"init_data": init_data}
    )


async def test_a_mini_app_user_gets_an_account_then_signs_in_to_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    made = await client.post(
        f"{API}/sandbox/telegram/init-data",
        json={"telegram_id": 5550002, "username": "bob"},
    )
    init_data = made.json()["init_data"]
    # Telegram's rules, implemented independently, accept what the sandbox signed.
    assert init_data_py.is_valid_by_hash(init_data, _token(app))

    first = await _mini_app(client, init_data)
    again = await _mini_app(client, init_data)  # a Mini App may sign in repeatedly
    assert first.status_code == again.status_code == 200, first.text
    assert first.json()["created"] is True and again.json()["created"] is False
    me = await client.get(
        f"{API}/auth/me", headers=bearer(again.json()["access_token"])
    )
    assert me.json()["email"] is None
    assert me.json()["telegram_id"] == 5550002  # proved: the chat we may message


async def test_data_signed_by_the_oracle_signs_in(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    user = json.dumps({"id": 5550003, "first_name": "Oracle"})
    init_data = init_data_py.sign(
        {"query_id": "AAE", "user": user}, _token(app), auth_date=int(time.time())
    )
    answer = await _mini_app(client, init_data)
    assert answer.status_code == 200, answer.text


def _tampered(init_data: str, **changes: str) -> str:
    fields = dict(parse_qsl(init_data)) | changes
    return urlencode(fields)


async def test_every_bad_sign_in_is_the_same_401(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    token = _token(app)
    now = int(time.time())
    good = mini_app_init_data(token, telegram_id=5550004)
    someone_else = _tampered(good, user=json.dumps({"id": 1, "first_name": "Eve"}))
    assert not init_data_py.is_valid_by_hash(someone_else, token)
    # Signed with the widget's key: a valid signature, for the other flow.
    fields = dict(parse_qsl(good))
    fields["hash"] = sign(widget_key(token), fields)
    other_key = urlencode(fields)
    stale = mini_app_init_data(token, telegram_id=5550004, auth_date=now - 7200)
    future = mini_app_init_data(token, telegram_id=5550004, auth_date=now + 600)
    other_bot = mini_app_init_data("123:other-bot", telegram_id=5550004)
    for init_data in (
        someone_else,
        other_key,
        stale,
        future,
        other_bot,
        "hash=abc",
        "not a query",
    ):
        answer = await _mini_app(client, init_data)
        assert (answer.status_code, answer.json()) == (401, INVALID), init_data
    widget_with_mini_app_key = _widget(app, key=mini_app_key(token))
    answer = await client.post(
        f"{API}/auth/telegram/widget", json=widget_with_mini_app_key
    )
    assert (answer.status_code, answer.json()) == (401, INVALID)


async def test_a_widget_login_is_accepted_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    signed_at = int(time.time())
    login = _widget(app, auth_date=signed_at)
    first = await client.post(f"{API}/auth/telegram/widget", json=login)
    replay = await client.post(f"{API}/auth/telegram/widget", json=login)
    assert first.status_code == 200 and first.json()["created"] is True
    assert (replay.status_code, replay.json()) == (401, INVALID)
    # A fresh login of the same user signs in to the same account.
    # (Signed a second apart from the first, whatever second the test runs in.)
    later = await client.post(
        f"{API}/auth/telegram/widget", json=_widget(app, auth_date=signed_at - 1)
    )
    assert later.status_code == 200 and later.json()["created"] is False


async def test_sign_up_no_longer_takes_a_telegram_id(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        f"{API}/auth/register",
        json={
            "email": "typed@example.com",
            "password": "a long passphrase",
            "telegram_id": 5550005,
        },
    )
    assert answer.status_code == 422
    assert (await register(client, "typed@example.com")).status_code == 201


def test_the_oracle_and_we_derive_different_keys_for_the_two_flows() -> None:
    token = "123:abc"
    assert (
        mini_app_key(token)
        == hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    )
    assert widget_key(token) == hashlib.sha256(token.encode()).digest()


async def test_sign_ins_are_limited_like_login_each_counted_once(
    client_factory: Any, redis: Redis
) -> None:
    limits = RateLimitSettings(enabled=True, requests=1000, window=60, auth_requests=5)
    async with client_factory(rate_limit=limits) as (app, client):
        token = _token(app)
        answers = [
            await _mini_app(client, mini_app_init_data(token, telegram_id=5560000 + n))
            for n in range(6)
        ]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
