"""Links by e-mail, through a real SMTP server on localhost: verifying an address,
a forgotten password, changing the address. On both backends."""

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from cybervpn.config import MailSettings
from cybervpn.infrastructure.persistence.models.identity import (
    AccountModel,
    EmailTokenModel,
)
from cybervpn.infrastructure.persistence.models.jobs import NotificationModel
from cybervpn.infrastructure.sandbox.telegram.login import mini_app_init_data
from tests.commerce import run_jobs
from tests.helpers import (
    API,
    PASSWORD,
    bearer,
    enable_two_factor,
    login,
    register,
    signed_up_tokens,
)
from tests.mail_server import MailServer

pytestmark = pytest.mark.integration
NEW_PASSWORD = "a brand new passphrase"  # noqa: S105 - a test value


async def _link_token(app: FastAPI, mail_server: MailServer, to: str) -> str:
    await run_jobs(app)
    mail = (await mail_server.wait_for(to))[-1]
    [link] = mail.links
    assert link.startswith("https://app.cybervpn.test/")
    return parse_qs(urlparse(link).query)["token"][0]


async def test_an_address_is_verified_through_the_mailed_link_once(
    app: FastAPI, client: httpx.AsyncClient, mail_server: MailServer
) -> None:
    headers = bearer(
        (await signed_up_tokens(client, "prove@example.com"))["access_token"]
    )
    asked = await client.post(f"{API}/auth/email/verify/request", headers=headers)
    assert asked.status_code == 202
    token = await _link_token(app, mail_server, "prove@example.com")
    assert "/verify-email?token=" in mail_server.to("prove@example.com")[-1].text

    async with app.state.container.session_factory() as session:
        digests = list(await session.scalars(select(EmailTokenModel.digest)))
        payloads = list(await session.scalars(select(NotificationModel.payload)))
    assert token not in digests  # only a digest is kept
    assert all(token not in str(p) and "sealed_token" not in p for p in payloads)

    verified = await client.post(f"{API}/auth/email/verify", json={"token": token})
    assert verified.status_code == 204
    me = (await client.get(f"{API}/auth/me", headers=headers)).json()
    assert me["email_verified_at"] is not None
    again = await client.post(f"{API}/auth/email/verify", json={"token": token})
    assert (again.status_code, again.json()["code"]) == (400, "invalid_token")
    done = await client.post(f"{API}/auth/email/verify/request", headers=headers)
    assert done.json()["code"] == "email_already_verified"


async def test_forgot_password_tells_nothing_and_a_reset_ends_every_session(
    app: FastAPI, client: httpx.AsyncClient, mail_server: MailServer
) -> None:
    tokens = await signed_up_tokens(client, "forgot@example.com")
    answers = [
        await client.post(f"{API}/auth/password/forgot", json={"email": address})
        for address in ("Forgot@Example.com", "nobody@example.com")
    ]
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].json() == answers[1].json()
    token = await _link_token(app, mail_server, "forgot@example.com")
    assert mail_server.to("nobody@example.com") == []

    weak = await client.post(
        f"{API}/auth/password/reset", json={"token": token, "new_password": "short"}
    )
    assert weak.status_code == 422
    reset = await client.post(
        f"{API}/auth/password/reset",
        json={"token": token, "new_password": NEW_PASSWORD},
    )
    assert reset.status_code == 204, reset.text
    old_session = bearer(tokens["access_token"])
    assert (await client.get(f"{API}/auth/me", headers=old_session)).status_code == 401
    assert (await login(client, "forgot@example.com")).status_code == 401
    assert (await login(client, "forgot@example.com", NEW_PASSWORD)).status_code == 200
    reused = await client.post(
        f"{API}/auth/password/reset",
        json={"token": token, "new_password": "yet another passphrase"},
    )
    assert reused.json()["code"] == "invalid_token"
    await run_jobs(app)
    assert (
        "password was reset"
        in (await mail_server.wait_for("forgot@example.com", 2))[-1].text
    )


async def test_a_reset_link_expires_and_a_new_one_retires_the_old(
    app: FastAPI, client: httpx.AsyncClient, mail_server: MailServer
) -> None:
    await register(client, "late@example.com")
    for _ in range(2):
        await client.post(
            f"{API}/auth/password/forgot", json={"email": "late@example.com"}
        )
        await run_jobs(app)
    first, second = [
        parse_qs(urlparse(m.links[0]).query)["token"][0]
        for m in await mail_server.wait_for("late@example.com", 2)
    ]
    body = {"token": first, "new_password": NEW_PASSWORD}
    retired = await client.post(f"{API}/auth/password/reset", json=body)
    assert retired.json()["code"] == "invalid_token"
    async with app.state.container.session_factory() as session:
        await session.execute(
            update(EmailTokenModel).values(
                expires_at=datetime.now(UTC) - timedelta(seconds=1)
            )
        )
        await session.commit()
    body["token"] = second
    expired = await client.post(f"{API}/auth/password/reset", json=body)
    assert expired.json()["code"] == "invalid_token"


async def test_two_factor_is_still_asked_after_a_reset(
    app: FastAPI, client: httpx.AsyncClient, mail_server: MailServer
) -> None:
    tokens = await signed_up_tokens(client, "second@example.com")
    await enable_two_factor(client, tokens["access_token"])
    await client.post(
        f"{API}/auth/password/forgot", json={"email": "second@example.com"}
    )
    token = await _link_token(app, mail_server, "second@example.com")
    await client.post(
        f"{API}/auth/password/reset",
        json={"token": token, "new_password": NEW_PASSWORD},
    )
    signed_in = await login(client, "second@example.com", NEW_PASSWORD)
    assert "challenge_token" in signed_in.json()


async def test_an_address_changes_only_once_the_new_one_is_verified(
    app: FastAPI, client: httpx.AsyncClient, mail_server: MailServer
) -> None:
    headers = bearer(
        (await signed_up_tokens(client, "old@example.com"))["access_token"]
    )
    await register(client, "taken@example.com")
    taken = await client.post(
        f"{API}/auth/email/change",
        json={"new_email": "taken@example.com", "password": PASSWORD},
        headers=headers,
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "email_taken")
    wrong = await client.post(
        f"{API}/auth/email/change",
        json={"new_email": "new@example.com", "password": "not it"},
        headers=headers,
    )
    assert wrong.json()["code"] == "wrong_password"

    asked = await client.post(
        f"{API}/auth/email/change",
        json={"new_email": "New@Example.com", "password": PASSWORD},
        headers=headers,
    )
    assert asked.status_code == 202
    token = await _link_token(app, mail_server, "new@example.com")
    [told] = await mail_server.wait_for("old@example.com")
    assert "new@example.com" in told.text and told.links == []
    me = (await client.get(f"{API}/auth/me", headers=headers)).json()
    assert me["email"] == "old@example.com"  # not before the new one is proved

    assert (
        await client.post(f"{API}/auth/email/verify", json={"token": token})
    ).status_code == 204
    me = (await client.get(f"{API}/auth/me", headers=headers)).json()
    assert (me["email"], me["email_verified_at"] is not None) == (
        "new@example.com",
        True,
    )
    assert (await login(client, "new@example.com")).status_code == 200
    assert (await login(client, "old@example.com")).status_code == 401


async def test_without_smtp_development_mail_waits_in_the_sandbox_mailbox(
    client: httpx.AsyncClient, client_factory: Any
) -> None:
    assert (await client.get(f"{API}/sandbox/mail")).status_code == 404  # SMTP set
    async with client_factory(mail=MailSettings()) as (app, local):
        await register(local, "dev@example.com")
        forgot = {"email": "dev@example.com"}
        await local.post(f"{API}/auth/password/forgot", json=forgot)
        await run_jobs(app)
        [kept] = (await local.get(f"{API}/sandbox/mail")).json()["items"]
    assert kept["to"] == "dev@example.com"
    assert kept["links"][0].startswith("http://localhost:8000/reset-password?token=")


async def test_messages_are_written_in_the_readers_language(
    app: FastAPI, client: httpx.AsyncClient, mail_server: MailServer
) -> None:
    await register(client, "ivan@example.com", language="ru")
    headers = bearer((await login(client, "ivan@example.com")).json()["access_token"])
    await client.post(f"{API}/auth/email/verify/request", headers=headers)
    await run_jobs(app)
    [russian] = await mail_server.wait_for("ivan@example.com")
    assert russian.subject == "CyberVPN: Подтвердите e-mail"
    assert "Подтвердите, что этот адрес ваш" in russian.text

    changed = await client.put(
        f"{API}/auth/me/language", json={"language": None}, headers=headers
    )
    assert changed.status_code == 204
    await client.post(f"{API}/auth/email/verify/request", headers=headers)
    await run_jobs(app)
    assert (await mail_server.wait_for("ivan@example.com", 2))[-1].subject.startswith(
        "CyberVPN: Confirm"
    )
    unknown = await client.put(
        f"{API}/auth/me/language", json={"language": "xx"}, headers=headers
    )
    assert unknown.status_code == 422

    token = app.state.container.telegram_login_token
    signed_in = await client.post(
        f"{API}/auth/telegram/miniapp",
        json={
            "init_data": mini_app_init_data(
                token, telegram_id=3330001, language_code="ru"
            )
        },
    )
    me = await client.get(
        f"{API}/auth/me", headers=bearer(signed_in.json()["access_token"])
    )
    assert me.json()["language"] == "ru"  # from Telegram's language_code


async def test_an_account_without_a_password_adds_an_address_only_fresh_from_sign_in(
    app: FastAPI, client: httpx.AsyncClient, mail_server: MailServer
) -> None:
    token = app.state.container.telegram_login_token
    signed_in = await client.post(
        f"{API}/auth/telegram/miniapp",
        json={"init_data": mini_app_init_data(token, telegram_id=3330002)},
    )
    headers = bearer(signed_in.json()["access_token"])
    change = {"new_email": "tg@example.com"}
    added = await client.post(f"{API}/auth/email/change", json=change, headers=headers)
    assert added.status_code == 202, added.text
    await run_jobs(app)
    assert await mail_server.wait_for("tg@example.com")  # the link to prove it

    async with app.state.container.session_factory() as session:
        await session.execute(
            update(AccountModel).values(
                last_login_at=datetime.now(UTC) - timedelta(minutes=11)
            )
        )
        await session.commit()
    stale = await client.post(f"{API}/auth/email/change", json=change, headers=headers)
    assert (stale.status_code, stale.json()["code"]) == (
        403,
        "reauthentication_required",
    )
