"""The transactional outbox on the real database: written with its change, claimed
once, retried with backoff, dead-lettered, and recovered after a crash."""

import asyncio
from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.jobs.ports import OutboxHandler
from cybervpn.application.jobs.process_outbox_message import (
    Outcome,
    ProcessOutboxMessage,
)
from cybervpn.application.jobs.sweep_outbox import SweepOutbox
from cybervpn.domain.audit.entry import AuditAction, AuditEntry, AuditOrigin
from cybervpn.domain.identity.roles import Role
from cybervpn.domain.jobs.outbox import OutboxMessage, OutboxStatus
from cybervpn.infrastructure.jobs.runtime import unit_of_work_factory
from cybervpn.infrastructure.persistence.models.audit import AuditLogModel
from cybervpn.infrastructure.persistence.unit_of_work import SqlUnitOfWork
from tests.helpers import API, bearer, staff_tokens
from tests.unit.fakes import FakeClock

pytestmark = pytest.mark.integration
TOPIC = "test.effect"
LEASE = timedelta(seconds=60)


class EffectHandler:
    """Writes one audit row per run: the database effect that must happen once."""

    def __init__(self) -> None:
        self.crash_next = False
        self.fail_always = False
        self.gave_up: list[str] = []

    async def handle(
        self, uow: UnitOfWork, payload: dict[str, Any], *, attempt: int
    ) -> None:
        await uow.audit_log.add(
            AuditEntry(
                action=AuditAction.OUTBOX_RETRIED,
                occurred_at=FakeClock().now(),
                actor_id=None,
                entity_type="effect",
                entity_id=payload["key"],
                origin=AuditOrigin(),
            )
        )
        if self.crash_next:
            self.crash_next = False
            raise asyncio.CancelledError  # the worker is killed mid-way
        if self.fail_always:
            raise ValueError("the far side is down")

    async def give_up(
        self, uow: UnitOfWork, payload: dict[str, Any], *, error: str, attempts: int
    ) -> None:
        self.gave_up.append(error)


class Recorder:
    def __init__(self) -> None:
        self.dispatched: list[UUID] = []

    async def dispatch(self, message_ids: Sequence[UUID]) -> None:
        self.dispatched.extend(message_ids)


def _processor(
    app: FastAPI, clock: FakeClock, handler: OutboxHandler
) -> tuple[ProcessOutboxMessage, SweepOutbox]:
    uow_factory = unit_of_work_factory(app.state.container.session_factory, None)
    processor = ProcessOutboxMessage(
        uow_factory=uow_factory, handlers={TOPIC: handler}, clock=clock, lease=LEASE
    )
    return processor, SweepOutbox(
        uow_factory=uow_factory, processor=processor, clock=clock
    )


async def _enqueue(
    app: FastAPI, clock: FakeClock, key: str, *, max_attempts: int = 8
) -> UUID:
    message = OutboxMessage.new(
        TOPIC, {"key": key}, now=clock.now(), max_attempts=max_attempts
    )
    async with app.state.container.session_factory() as session:
        uow = SqlUnitOfWork(session)
        uow.outbox.add(message)
        await uow.commit()
    return message.id


async def _effects(app: FastAPI, key: str) -> int:
    async with app.state.container.session_factory() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(AuditLogModel)
            .where(AuditLogModel.entity_id == key)
        )
    return int(count or 0)


async def _message(app: FastAPI, message_id: UUID) -> OutboxMessage:
    async with app.state.container.session_factory() as session:
        found = await SqlUnitOfWork(session).outbox.get(message_id)
    assert found is not None
    return found


async def test_messages_are_dispatched_only_after_their_commit(app: FastAPI) -> None:
    recorder = Recorder()
    clock = FakeClock()
    async with app.state.container.session_factory() as session:
        uow = SqlUnitOfWork(session, recorder.dispatch)
        uow.outbox.add(OutboxMessage.new(TOPIC, {"key": "r"}, now=clock.now()))
        await uow.rollback()
        assert recorder.dispatched == []
        kept = OutboxMessage.new(TOPIC, {"key": "c"}, now=clock.now())
        uow.outbox.add(kept)
        assert recorder.dispatched == []
        await uow.commit()
    assert recorder.dispatched == [kept.id]
    assert (await _message(app, kept.id)).status is OutboxStatus.PENDING


async def test_a_job_that_dies_mid_way_is_retried_and_done_once(app: FastAPI) -> None:
    clock, handler = FakeClock(), EffectHandler()
    processor, sweeper = _processor(app, clock, handler)
    message_id = await _enqueue(app, clock, "crash")

    handler.crash_next = True
    with pytest.raises(asyncio.CancelledError):
        await processor.execute(message_id)
    stuck = await _message(app, message_id)
    assert stuck.status is OutboxStatus.PROCESSING and stuck.attempts == 1
    assert await _effects(app, "crash") == 0  # the crash rolled the effect back

    report = await sweeper.execute()  # the lease still runs: nobody touches it
    assert report.released == 0 and report.outcomes == {}

    clock.advance(LEASE + timedelta(seconds=1))
    report = await sweeper.execute()
    assert report.released == 1 and report.outcomes == {Outcome.DONE: 1}
    done = await _message(app, message_id)
    assert done.status is OutboxStatus.DONE and done.attempts == 2
    assert await _effects(app, "crash") == 1

    assert (await sweeper.execute()).outcomes == {}
    assert await processor.execute(message_id) is Outcome.SKIPPED
    assert await _effects(app, "crash") == 1


async def test_concurrent_workers_claim_a_message_once(app: FastAPI) -> None:
    clock, handler = FakeClock(), EffectHandler()
    processor, _ = _processor(app, clock, handler)
    message_id = await _enqueue(app, clock, "race")
    outcomes = await asyncio.gather(*(processor.execute(message_id) for _ in range(5)))
    assert sorted(outcomes) == sorted([Outcome.DONE] + [Outcome.SKIPPED] * 4)
    assert await _effects(app, "race") == 1


async def test_failures_back_off_then_dead_letter_and_staff_can_retry(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    clock, handler = FakeClock(), EffectHandler()
    handler.fail_always = True
    processor, _ = _processor(app, clock, handler)
    message_id = await _enqueue(app, clock, "flaky", max_attempts=2)

    assert await processor.execute(message_id) is Outcome.RETRY
    waiting = await _message(app, message_id)
    assert waiting.status is OutboxStatus.PENDING
    assert waiting.available_at - clock.now() == timedelta(seconds=5)
    assert waiting.last_error == "ValueError: the far side is down"
    assert await processor.execute(message_id) is Outcome.SKIPPED  # not due yet

    clock.advance(timedelta(seconds=5))
    assert await processor.execute(message_id) is Outcome.DEAD
    assert (await _message(app, message_id)).status is OutboxStatus.DEAD
    assert handler.gave_up == ["ValueError: the far side is down"]
    assert await _effects(app, "flaky") == 0

    admin = bearer(
        (await staff_tokens(app, client, "ops@example.com", Role.ADMIN))["access_token"]
    )
    dead = await client.get(f"{API}/admin/outbox?status=dead", headers=admin)
    assert dead.status_code == 200
    assert [m["id"] for m in dead.json()["items"]] == [str(message_id)]
    assert dead.json()["items"][0]["last_error"].startswith("ValueError")

    retried = await client.post(f"{API}/admin/outbox/{message_id}/retry", headers=admin)
    assert retried.status_code == 200, retried.text
    # A fresh set of attempts; in development the kick may already have run it.
    assert retried.json()["max_attempts"] == 8
    assert retried.json()["status"] != "dead" and retried.json()["attempts"] <= 1
    again = await client.post(f"{API}/admin/outbox/{message_id}/retry", headers=admin)
    assert again.status_code == 404  # only a dead letter is retried
    missing = await client.post(f"{API}/admin/outbox/{uuid4()}/retry", headers=admin)
    assert missing.status_code == 404

    operator = bearer(
        (await staff_tokens(app, client, "op@example.com", Role.OPERATOR))[
            "access_token"
        ]
    )
    forbidden = await client.get(f"{API}/admin/outbox", headers=operator)
    assert forbidden.status_code == 403


async def test_an_unknown_topic_is_retried_and_dead_lettered(app: FastAPI) -> None:
    clock, handler = FakeClock(), EffectHandler()
    processor, _ = _processor(app, clock, handler)
    message = OutboxMessage.new("test.unknown", {}, now=clock.now(), max_attempts=1)
    async with app.state.container.session_factory() as session:
        uow = SqlUnitOfWork(session)
        uow.outbox.add(message)
        await uow.commit()
    assert await processor.execute(message.id) is Outcome.DEAD
    assert "no handler" in ((await _message(app, message.id)).last_error or "")
