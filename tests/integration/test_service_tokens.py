"""Service tokens and the bot's session exchange: a super admin makes a token that
is shown once; the bot trades a Telegram id for that customer's access token; a
token without the scope, expired or revoked does nothing, and revoking one ends the
sessions it started."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI

from cybervpn.domain.audit.repositories import AuditFilter
from cybervpn.domain.identity.identity import Identity, IdentityProvider
from cybervpn.domain.identity.roles import Role
from cybervpn.domain.identity.service_token import ServiceToken
from cybervpn.infrastructure.persistence.unit_of_work import SqlUnitOfWork
from cybervpn.infrastructure.sandbox.telegram.login import mini_app_init_data
from tests.helpers import (
    API,
    bearer,
    enable_two_factor,
    signed_up_tokens,
    staff_tokens,
)

pytestmark = pytest.mark.integration
TOKENS = f"{API}/admin/service-tokens"
SESSIONS = f"{API}/bot/sessions"
SCOPE = ["telegram:sessions"]


async def _super_admin(app: FastAPI, client: httpx.AsyncClient) -> dict[str, str]:
    tokens = await staff_tokens(app, client, "root@example.com", Role.SUPER_ADMIN)
    return bearer(tokens["access_token"])


async def _make(
    client: httpx.AsyncClient, admin: dict[str, str], **fields: Any
) -> dict[str, Any]:
    made = await client.post(
        TOKENS, json={"name": "bot", "scopes": SCOPE} | fields, headers=admin
    )
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def _exchange(
    client: httpx.AsyncClient, token: str, telegram_id: int, **fields: Any
) -> httpx.Response:
    return await client.post(
        SESSIONS, json={"telegram_id": telegram_id} | fields, headers=bearer(token)
    )


async def _stored_token(app: FastAPI, token_id: str) -> ServiceToken:
    async with app.state.container.session_factory() as session:
        found = await SqlUnitOfWork(session).service_tokens.get(UUID(token_id))
    assert found is not None
    return found


async def _save(app: FastAPI, token: ServiceToken) -> None:
    async with app.state.container.session_factory() as session:
        uow = SqlUnitOfWork(session)
        await uow.service_tokens.save(token)
        await uow.commit()


async def test_a_super_admin_makes_a_token_shown_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await _super_admin(app, client)
    made = await _make(client, admin, name="telegram bot")
    assert made["token"].startswith("cvst_") and len(made["token"]) > 40
    listed = (await client.get(TOKENS, headers=admin)).json()
    assert [t["name"] for t in listed["items"]] == ["telegram bot"]
    assert made["token"] not in str(listed)  # neither the secret nor its digest
    assert "token_digest" not in listed["items"][0]
    stored = await _stored_token(app, made["id"])
    assert stored.token_digest != made["token"]
    async with app.state.container.session_factory() as session:
        entries, _ = await SqlUnitOfWork(session).audit_log.list(
            AuditFilter(entity_id=made["id"]), limit=5, offset=0
        )
    assert [e.action.value for e in entries] == ["service_token.created"]
    assert made["token"] not in str([e.after for e in entries])

    admin_only = await staff_tokens(app, client, "adm@example.com", Role.ADMIN)
    refused = await client.post(
        TOKENS,
        json={"name": "x", "scopes": SCOPE},
        headers=bearer(admin_only["access_token"]),
    )
    assert refused.status_code == 403
    past = datetime.now(UTC) - timedelta(minutes=1)
    stale = await client.post(
        TOKENS,
        json={"name": "x", "scopes": SCOPE, "expires_at": past.isoformat()},
        headers=admin,
    )
    assert stale.status_code == 422 and stale.json()["code"] == "expiry_in_the_past"


async def test_the_bot_acts_as_the_customer_it_names(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    token = (await _make(client, await _super_admin(app, client)))["token"]
    first = await _exchange(client, token, 8880001, username="carol")
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["created"] is True and body["token_type"] == "bearer"
    assert "refresh_token" not in body
    me = await client.get(f"{API}/auth/me", headers=bearer(body["access_token"]))
    assert me.json()["id"] == body["account_id"]
    assert me.json()["telegram_id"] == 8880001
    again = await _exchange(client, token, 8880001)
    assert again.json()["created"] is False
    assert again.json()["account_id"] == body["account_id"]
    # The same customer signs in to the same account from the Mini App.
    init_data = mini_app_init_data(
        app.state.container.telegram_login_token, telegram_id=8880001
    )
    mini_app = await client.post(
        f"{API}/auth/telegram/miniapp", json={"init_data": init_data}
    )
    assert mini_app.json()["created"] is False
    listed = (
        await client.get(TOKENS, headers=await _super_admin_again(app, client))
    ).json()
    assert listed["items"][0]["last_used_at"] is not None


async def _super_admin_again(app: FastAPI, client: httpx.AsyncClient) -> Any:
    login = await client.post(
        f"{API}/auth/login",
        json={"email": "root@example.com", "password": "correct horse battery staple"},
    )
    return bearer(login.json()["access_token"])


async def test_unknown_expired_and_scopeless_tokens_do_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await _super_admin(app, client)
    made = await _make(client, admin)
    for bad in ("cvst_unknown", "not-a-service-token", made["token"] + "x"):
        refused = await _exchange(client, bad, 8880002)
        assert refused.status_code == 401, bad
        assert refused.json()["code"] == "invalid_service_token"
    unsigned = await client.post(SESSIONS, json={"telegram_id": 8880002})
    assert unsigned.status_code == 401

    stored = await _stored_token(app, made["id"])
    stored.scopes = frozenset()  # a token made for other work
    await _save(app, stored)
    scopeless = await _exchange(client, made["token"], 8880002)
    assert scopeless.status_code == 403 and scopeless.json()["code"] == "scope_missing"

    expiring = await _make(client, admin)
    stored = await _stored_token(app, expiring["id"])
    stored.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    await _save(app, stored)
    expired = await _exchange(client, expiring["token"], 8880002)
    assert expired.status_code == 401
    # None of them opened an account.
    fresh = await _make(client, admin)
    assert (await _exchange(client, fresh["token"], 8880002)).json()["created"]


async def test_revoking_a_token_ends_it_and_the_sessions_it_started(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await _super_admin(app, client)
    made = await _make(client, admin)
    session = (await _exchange(client, made["token"], 8880003)).json()
    customer = bearer(session["access_token"])
    assert (await client.get(f"{API}/auth/me", headers=customer)).status_code == 200

    revoked = await client.delete(f"{TOKENS}/{made['id']}", headers=admin)
    assert revoked.status_code == 204
    assert (await _exchange(client, made["token"], 8880003)).status_code == 401
    assert (await client.get(f"{API}/auth/me", headers=customer)).status_code == 401
    again = await client.delete(f"{TOKENS}/{made['id']}", headers=admin)
    assert again.status_code == 204
    missing = await client.delete(f"{TOKENS}/{UUID(int=1)}", headers=admin)
    assert missing.status_code == 404


async def test_no_session_for_staff_deactivated_or_two_factor_accounts(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await _super_admin(app, client)
    token = (await _make(client, admin))["token"]
    staff = await staff_tokens(app, client, "ops@example.com", Role.OPERATOR)
    staff_me = await client.get(f"{API}/auth/me", headers=bearer(staff["access_token"]))
    async with app.state.container.session_factory() as session:
        uow = SqlUnitOfWork(session)
        await uow.identities.add(
            Identity(
                account_id=UUID(staff_me.json()["id"]),
                provider=IdentityProvider.TELEGRAM,
                provider_user_id="8880004",
                linked_at=datetime.now(UTC),
            )
        )
        await uow.commit()
    as_staff = await _exchange(client, token, 8880004)
    assert as_staff.status_code == 403 and as_staff.json()["code"] == "staff_account"

    customer = (await _exchange(client, token, 8880005)).json()
    deactivated = await client.patch(
        f"{API}/admin/accounts/{customer['account_id']}",
        json={"is_active": False},
        headers=admin,
    )
    assert deactivated.status_code == 200, deactivated.text
    refused = await _exchange(client, token, 8880005)
    assert refused.status_code == 403
    assert refused.json()["code"] == "account_deactivated"

    protected = (await signed_up_tokens(client, "2fa@example.com"))["access_token"]
    await enable_two_factor(client, protected)
    init_data = mini_app_init_data(
        app.state.container.telegram_login_token, telegram_id=8880006
    )
    linked = await client.post(
        f"{API}/auth/identities/telegram",
        json={"init_data": init_data},
        headers=bearer(protected),
    )
    assert linked.status_code == 200, linked.text
    with_2fa = await _exchange(client, token, 8880006)
    assert with_2fa.status_code == 403
    assert with_2fa.json()["code"] == "second_factor_account"
