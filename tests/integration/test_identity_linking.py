"""Linking Telegram to a signed-in account, listing and unlinking sign-ins: only a
chat its owner proved becomes one we message, nobody takes over another's sign-in,
and no account is left without a way in."""

import asyncio
import time
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI

from cybervpn.domain.audit.repositories import AuditFilter
from cybervpn.domain.identity.roles import Role
from cybervpn.domain.notifications.notification import NotificationFilter
from cybervpn.infrastructure.persistence.unit_of_work import SqlUnitOfWork
from cybervpn.infrastructure.sandbox.telegram.login import mini_app_init_data
from cybervpn.infrastructure.telegram.login import sign, widget_key
from tests.helpers import API, bearer, signed_up_tokens, staff_tokens

pytestmark = pytest.mark.integration


def _init_data(app: FastAPI, telegram_id: int, username: str = "ann") -> str:
    token = app.state.container.telegram_login_token
    return mini_app_init_data(token, telegram_id=telegram_id, username=username)


def _widget(app: FastAPI, telegram_id: int) -> dict[str, Any]:
    fields: dict[str, Any] = {"id": telegram_id, "auth_date": int(time.time())}
    key = widget_key(app.state.container.telegram_login_token)
    return fields | {"hash": sign(key, {k: str(v) for k, v in fields.items()})}


async def _link(
    client: httpx.AsyncClient, access_token: str, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(
        f"{API}/auth/identities/telegram", json=body, headers=bearer(access_token)
    )


async def _me(client: httpx.AsyncClient, access_token: str) -> dict[str, Any]:
    me: dict[str, Any] = (
        await client.get(f"{API}/auth/me", headers=bearer(access_token))
    ).json()
    return me


async def _audit_actions(app: FastAPI, account_id: str) -> list[str]:
    async with app.state.container.session_factory() as session:
        entries, _ = await SqlUnitOfWork(session).audit_log.list(
            AuditFilter(entity_id=account_id), limit=50, offset=0
        )
    return [entry.action.value for entry in entries]


async def _notices(app: FastAPI, account_id: str) -> list[tuple[str, int | None]]:
    async with app.state.container.session_factory() as session:
        found, _ = await SqlUnitOfWork(session).notifications.list(
            NotificationFilter(account_id=UUID(account_id)), limit=50, offset=0
        )
    return sorted((n.template.value, n.chat_id) for n in found)


async def test_a_customer_links_telegram_and_then_signs_in_with_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    tokens = await signed_up_tokens(client, "link@example.com")
    access = tokens["access_token"]
    linked = await _link(client, access, {"init_data": _init_data(app, 7770001)})
    assert linked.status_code == 200, linked.text
    assert linked.json()["provider"] == "telegram"
    assert linked.json()["provider_user_id"] == "7770001"
    me = await _me(client, access)
    assert me["telegram_id"] == 7770001  # proved: now the chat we message
    listed = await client.get(f"{API}/auth/identities", headers=bearer(access))
    assert [i["username"] for i in listed.json()] == ["ann"]
    # Linking the same Telegram again only refreshes it.
    again = await _link(client, access, {"init_data": _init_data(app, 7770001, "a2")})
    assert again.status_code == 200 and again.json()["username"] == "a2"
    assert (await _audit_actions(app, me["id"])).count("identity.linked") == 1
    assert await _notices(app, me["id"]) == [("identity.linked", None)]

    sign_in = await client.post(
        f"{API}/auth/telegram/miniapp", json={"init_data": _init_data(app, 7770001)}
    )
    assert sign_in.status_code == 200 and sign_in.json()["created"] is False
    assert (await _me(client, sign_in.json()["access_token"]))["id"] == me["id"]


async def test_nobody_takes_over_a_telegram_linked_elsewhere(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    owner = await client.post(
        f"{API}/auth/telegram/miniapp", json={"init_data": _init_data(app, 7770002)}
    )
    assert owner.json()["created"] is True
    squatter = (await signed_up_tokens(client, "squat@example.com"))["access_token"]
    taken = await _link(client, squatter, {"init_data": _init_data(app, 7770002)})
    assert taken.status_code == 409 and taken.json()["code"] == "identity_taken"
    assert (await _me(client, squatter))["telegram_id"] is None
    # A forged signature is refused like a bad sign-in, before anything else.
    forged = _widget(app, 7770002) | {"hash": "0" * 64}
    refused = await _link(client, squatter, forged)
    assert refused.status_code == 401
    assert refused.json()["code"] == "telegram_auth_invalid"


async def test_a_widget_link_is_accepted_once_and_one_telegram_per_account(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    access = (await signed_up_tokens(client, "widget@example.com"))["access_token"]
    login = _widget(app, 7770003)
    assert (await _link(client, access, login)).status_code == 200
    replay = await _link(client, access, login)
    assert replay.status_code == 401
    second = await _link(client, access, {"init_data": _init_data(app, 7770004)})
    assert second.status_code == 409
    assert second.json()["code"] == "provider_already_linked"


async def test_staff_link_no_sign_in(app: FastAPI, client: httpx.AsyncClient) -> None:
    staff = await staff_tokens(app, client, "ops@example.com", Role.OPERATOR)
    answer = await _link(
        client, staff["access_token"], {"init_data": _init_data(app, 7770005)}
    )
    assert answer.status_code == 403 and answer.json()["code"] == "staff_account"


async def test_unlinking_keeps_a_way_in_and_stops_messages_to_the_chat(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    only_telegram = await client.post(
        f"{API}/auth/telegram/miniapp", json={"init_data": _init_data(app, 7770006)}
    )
    lone = only_telegram.json()["access_token"]
    refused = await client.delete(
        f"{API}/auth/identities/telegram", headers=bearer(lone)
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "last_login_method"

    access = (await signed_up_tokens(client, "unlink@example.com"))["access_token"]
    assert (
        await _link(client, access, {"init_data": _init_data(app, 7770007)})
    ).status_code == 200
    me = await _me(client, access)
    gone = await client.delete(
        f"{API}/auth/identities/telegram", headers=bearer(access)
    )
    assert gone.status_code == 204
    assert (await _me(client, access))["telegram_id"] is None
    assert (
        await client.get(f"{API}/auth/identities", headers=bearer(access))
    ).json() == []
    assert "identity.unlinked" in await _audit_actions(app, me["id"])
    # The chat is told once that it was unlinked, and is not messaged after.
    assert ("identity.unlinked", 7770007) in await _notices(app, me["id"])
    missing = await client.delete(
        f"{API}/auth/identities/telegram", headers=bearer(access)
    )
    assert missing.status_code == 404
    unknown = await client.delete(
        f"{API}/auth/identities/myspace", headers=bearer(access)
    )
    assert unknown.status_code == 422


async def test_two_accounts_linking_one_telegram_at_once_get_one_link(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    first = (await signed_up_tokens(client, "race1@example.com"))["access_token"]
    second = (await signed_up_tokens(client, "race2@example.com"))["access_token"]
    body = {"init_data": _init_data(app, 7770008)}
    answers = await asyncio.gather(
        _link(client, first, body), _link(client, second, body)
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    chats = [(await _me(client, t))["telegram_id"] for t in (first, second)]
    assert sorted(chats, key=str) == [7770008, None]
