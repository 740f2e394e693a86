"""Notifications: queued with their cause, delivered through the Telegram Bot API
(faked at the HTTP level), retried on transient failures, recorded when they fail."""

from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
import respx
from fastapi import FastAPI

from cybervpn.application.jobs.process_outbox_message import (
    Outcome,
    ProcessOutboxMessage,
)
from cybervpn.application.notifications.deliver_notification import (
    DeliverNotification,
)
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.config import TelegramSettings
from cybervpn.domain.identity.roles import Role
from cybervpn.domain.jobs.outbox import OutboxFilter, OutboxStatus
from cybervpn.domain.notifications.notification import (
    DELIVER_TOPIC,
    Audience,
    DeliveryError,
    Notification,
    NotificationFilter,
    NotificationStatus,
    Template,
)
from cybervpn.infrastructure.jobs.runtime import unit_of_work_factory
from cybervpn.infrastructure.mail.smtp import SmtpMailer
from cybervpn.infrastructure.persistence.unit_of_work import SqlUnitOfWork
from cybervpn.infrastructure.telegram.connection import connect_telegram
from tests.conftest import STAFF_CHAT_ID
from tests.helpers import API, bearer, create_staff, staff_tokens
from tests.mail_server import MailServer
from tests.unit.fakes import FakeClock

pytestmark = pytest.mark.integration
BOT_API = "https://bot-api.example.com"
TOKEN = "123456:TEST-token"  # noqa: S105 - a test value
SEND = f"{BOT_API}/bot{TOKEN}/sendMessage"


@pytest.fixture
async def processor(app: FastAPI, mail_server: MailServer) -> Any:
    connection = connect_telegram(
        TelegramSettings(bot_token=TOKEN, admin_chat_id=STAFF_CHAT_ID, api_url=BOT_API),
        sandbox_token="unused",  # noqa: S106 - a real token is given
    )
    clock = FakeClock()
    handler = DeliverNotification(
        messenger=connection.messenger,
        mailer=SmtpMailer(mail_server.settings()),
        links=app.state.container.cipher,
        web_app_url="https://app.cybervpn.test",
        staff_chat_id=STAFF_CHAT_ID,
        clock=clock,
    )
    yield (
        ProcessOutboxMessage(
            uow_factory=unit_of_work_factory(app.state.container.session_factory, None),
            handlers={DELIVER_TOPIC: handler},
            clock=clock,
            lease=timedelta(seconds=30),
        ),
        clock,
    )
    await connection.aclose()


async def _queue(app: FastAPI, notification: Notification) -> UUID:
    async with app.state.container.session_factory() as session:
        uow = SqlUnitOfWork(session)
        enqueue_notification(uow, notification)
        message_id = uow.outbox.added_ids()[0]
        await uow.commit()
    return message_id


async def _stored(app: FastAPI, notification_id: UUID) -> Notification:
    async with app.state.container.session_factory() as session:
        found = await SqlUnitOfWork(session).notifications.get(notification_id)
    assert found is not None
    return found


async def _account_id(
    app: FastAPI, email: str, telegram_id: int | None, *, verified: bool = False
) -> UUID:
    await create_staff(app, email, Role.CUSTOMER)
    async with app.state.container.session_factory() as session:
        uow = SqlUnitOfWork(session)
        account = await uow.accounts.get_by_email(email)
        assert account is not None
        account.telegram_id = telegram_id
        account.email_verified_at = account.created_at if verified else None
        await uow.accounts.update(account)
        await uow.commit()
        return account.id


def _customer_notice(account_id: UUID, clock: FakeClock) -> Notification:
    return Notification(
        audience=Audience.CUSTOMER,
        account_id=account_id,
        template=Template.VPN_EXPIRED,
        payload={"username": "alice_vpn"},
        created_at=clock.now(),
    )


@respx.mock
async def test_a_customer_notification_reaches_their_chat(
    app: FastAPI, processor: Any
) -> None:
    run, clock = processor
    account_id = await _account_id(app, "tg@example.com", telegram_id=777)
    notice = _customer_notice(account_id, clock)
    message_id = await _queue(app, notice)
    sent = respx.post(SEND).respond(200, json={"ok": True, "result": {}})

    assert await run.execute(message_id) is Outcome.DONE
    body = sent.calls.last.request.read().decode()
    assert '"chat_id":777' in body and "alice_vpn has expired" in body
    stored = await _stored(app, notice.id)
    assert stored.status is NotificationStatus.SENT and stored.attempts == 1
    assert await run.execute(message_id) is Outcome.SKIPPED
    assert sent.call_count == 1


@respx.mock
async def test_transient_failures_retry_and_permanent_ones_are_recorded(
    app: FastAPI, processor: Any
) -> None:
    run, clock = processor
    account_id = await _account_id(app, "blocked@example.com", telegram_id=555)
    notice = _customer_notice(account_id, clock)
    message_id = await _queue(app, notice)
    respx.post(SEND).mock(
        side_effect=[
            httpx.Response(502),
            httpx.Response(
                403,
                json={"ok": False, "description": "Forbidden: bot was blocked"},
            ),
        ]
    )
    assert await run.execute(message_id) is Outcome.RETRY
    assert (await _stored(app, notice.id)).status is NotificationStatus.PENDING
    clock.advance(timedelta(seconds=5))
    assert await run.execute(message_id) is Outcome.DONE
    stored = await _stored(app, notice.id)
    assert stored.status is NotificationStatus.FAILED and stored.attempts == 2
    assert stored.last_error == "Telegram answered 403: Forbidden: bot was blocked"


@respx.mock
async def test_no_chat_fails_at_once_and_staff_alerts_use_the_staff_chat(
    app: FastAPI, client: httpx.AsyncClient, processor: Any
) -> None:
    run, clock = processor
    account_id = await _account_id(app, "nochat@example.com", telegram_id=None)
    orphan = _customer_notice(account_id, clock)
    assert await run.execute(await _queue(app, orphan)) is Outcome.DONE
    assert (await _stored(app, orphan.id)).last_error == "no verified channel"

    sent = respx.post(SEND).respond(200, json={"ok": True, "result": {}})
    alert = Notification(
        audience=Audience.STAFF,
        template=Template.NODE_CONNECTION_LOST,
        payload={"node_name": "Frankfurt-1", "address": "fra1.example.com"},
        created_at=clock.now(),
    )
    assert await run.execute(await _queue(app, alert)) is Outcome.DONE
    body = sent.calls.last.request.read().decode()
    assert f'"chat_id":{STAFF_CHAT_ID}' in body
    assert "Frankfurt-1 (fra1.example.com) lost its connection" in body

    admin = bearer(
        (await staff_tokens(app, client, "ops@example.com", Role.ADMIN))["access_token"]
    )
    failed = await client.get(f"{API}/admin/notifications?status=failed", headers=admin)
    assert [n["id"] for n in failed.json()["items"]] == [str(orphan.id)]


@respx.mock
async def test_a_delivery_that_never_succeeds_is_recorded_as_failed(
    app: FastAPI, processor: Any
) -> None:
    run, clock = processor
    account_id = await _account_id(app, "down@example.com", telegram_id=42)
    notice = _customer_notice(account_id, clock)
    message_id = await _queue(app, notice)
    respx.post(SEND).mock(side_effect=httpx.ConnectError("refused"))
    outcome = Outcome.RETRY
    for _ in range(8):
        outcome = await run.execute(message_id)
        clock.advance(timedelta(hours=1))
    assert outcome is Outcome.DEAD
    stored = await _stored(app, notice.id)
    assert stored.status is NotificationStatus.FAILED and stored.attempts == 8
    assert stored.last_error is not None
    assert "ConnectError" in stored.last_error and TOKEN not in stored.last_error
    async with app.state.container.session_factory() as session:
        message = await SqlUnitOfWork(session).outbox.get(message_id)
    assert message is not None and message.status is OutboxStatus.DEAD


async def test_without_a_bot_token_messages_go_to_the_sandbox_bot_api() -> None:
    connection = connect_telegram(TelegramSettings(), sandbox_token="0:dev")  # noqa: S106
    await connection.messenger.send(42, "hello")
    assert connection.sandbox is not None
    assert connection.sandbox.messages == [(42, "hello")]
    await connection.aclose()


@respx.mock
async def test_a_telegram_id_typed_at_sign_up_is_never_messaged(
    app: FastAPI, processor: Any
) -> None:
    run, clock = processor
    account_id = await _account_id(app, "typed@example.com", telegram_id=None)
    async with app.state.container.session_factory() as session:
        uow = SqlUnitOfWork(session)
        account = await uow.accounts.get(account_id)
        assert account is not None
        account.unverified_telegram_id = 888  # typed in, never proved
        await uow.accounts.update(account)
        await uow.commit()
    notice = _customer_notice(account_id, clock)
    message_id = await _queue(app, notice)
    sent = respx.post(SEND).respond(200, json={"ok": True, "result": {}})

    assert await run.execute(message_id) is Outcome.DONE
    assert sent.call_count == 0
    stored = await _stored(app, notice.id)
    assert stored.status is NotificationStatus.FAILED


class _UnusedMessenger:
    async def send(self, chat_id: int, text: str) -> None:
        raise AssertionError("an e-mail-only customer gets no Telegram message")


async def _rows_of(app: FastAPI, account_id: UUID) -> list[Notification]:
    async with app.state.container.session_factory() as session:
        found, _ = await SqlUnitOfWork(session).notifications.list(
            NotificationFilter(account_id=account_id), limit=10, offset=0
        )
    return list(found)


@respx.mock
async def test_a_notification_reaches_every_verified_channel_once(
    app: FastAPI, processor: Any, mail_server: MailServer
) -> None:
    run, clock = processor
    account_id = await _account_id(app, "both@example.com", 778, verified=True)
    notice = _customer_notice(account_id, clock)
    first_job = await _queue(app, notice)
    sent = respx.post(SEND).respond(200, json={"ok": True, "result": {}})

    assert await run.execute(first_job) is Outcome.DONE
    rows = await _rows_of(app, account_id)
    assert sorted(r.channel for r in rows if r.channel) == ["email", "telegram"]
    [mail_copy] = [r for r in rows if r.id != notice.id]
    assert mail_copy.status is NotificationStatus.PENDING  # its own job
    async with app.state.container.session_factory() as session:
        jobs = await SqlUnitOfWork(session).outbox.list(
            OutboxFilter(topic=DELIVER_TOPIC), limit=10, offset=0
        )
    [mail_job] = [j.id for j in jobs[0] if j.status is OutboxStatus.PENDING]
    assert await run.execute(mail_job) is Outcome.DONE
    assert sent.call_count == 1  # Telegram once, whatever happens to the mail
    [mail] = mail_server.to("both@example.com")
    assert mail.subject.startswith("CyberVPN") and "alice_vpn has expired" in mail.text
    assert mail.message["Message-ID"] == f"<{mail_copy.id}@cybervpn>"
    assert {r.status for r in await _rows_of(app, account_id)} == {
        NotificationStatus.SENT
    }


async def test_mail_to_a_refused_address_fails_at_once_a_down_server_is_retried(
    app: FastAPI, processor: Any, mail_server: MailServer
) -> None:
    run, clock = processor
    refused = await _account_id(app, "ghost@refused.example", None, verified=True)
    notice = _customer_notice(refused, clock)
    assert await run.execute(await _queue(app, notice)) is Outcome.DONE
    stored = await _stored(app, notice.id)
    assert stored.status is NotificationStatus.FAILED
    assert stored.last_error is not None and "refused" in stored.last_error

    down = DeliverNotification(
        messenger=_UnusedMessenger(),
        mailer=SmtpMailer(mail_server.settings(port=1)),  # nothing listens there
        links=app.state.container.cipher,
        web_app_url="https://app.cybervpn.test",
        staff_chat_id=None,
        clock=clock,
    )
    waiting = await _account_id(app, "later@example.com", None, verified=True)
    later = _customer_notice(waiting, clock)
    await _queue(app, later)
    async with app.state.container.session_factory() as session:
        uow = SqlUnitOfWork(session)
        with pytest.raises(DeliveryError) as transient:
            await down.handle(uow, {"notification_id": str(later.id)}, attempt=1)
    assert transient.value.permanent is False
    assert mail_server.to("later@example.com") == []
