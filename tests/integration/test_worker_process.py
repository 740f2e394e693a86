"""`cybervpn worker` as a real process: it takes jobs from the Redis queue and runs
them against the shared database."""

import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from typer.testing import CliRunner

from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.config import ConfigurationError, JobsSettings, RedisSettings
from cybervpn.domain.notifications.notification import (
    Audience,
    Notification,
    NotificationStatus,
    Template,
)
from cybervpn.infrastructure.jobs.broker import (
    RECONCILE_TASK,
    SWEEP_TASK,
    TaskiqDispatcher,
    create_broker,
)
from cybervpn.infrastructure.jobs.worker import create_scheduler
from cybervpn.infrastructure.persistence.unit_of_work import SqlUnitOfWork
from cybervpn.presentation.cli import app as cli
from tests.conftest import STAFF_CHAT_ID, TEST_REDIS_URL, make_settings

pytestmark = pytest.mark.integration
QUEUE = "cybervpn:test-worker-jobs"


def test_the_worker_needs_redis(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["worker"], env={"REDIS_URL": "", "DATA_DIR": str(tmp_path)}
    )
    assert result.exit_code == 2
    assert "REDIS_URL is required" in result.output


async def test_a_worker_process_delivers_a_queued_notification(
    app: FastAPI, database_url: str, redis: Redis, tmp_path: Path
) -> None:
    settings = make_settings(
        database_url,
        tmp_path,
        redis=RedisSettings(url=TEST_REDIS_URL),
        jobs=JobsSettings(queue_name=QUEUE),
    )
    env = {
        **os.environ,
        "ENVIRONMENT": "development",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": database_url,
        "REDIS_URL": TEST_REDIS_URL,
        "JOBS_QUEUE": QUEUE,
        "TELEGRAM_ADMIN_CHAT_ID": str(STAFF_CHAT_ID),
        "TELEGRAM_BOT_TOKEN": "",
    }
    worker = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "cybervpn"),
        "worker",
        "--processes",
        "1",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    broker = create_broker(settings)
    await broker.startup()
    try:
        alert = Notification(
            audience=Audience.STAFF,
            template=Template.NODE_CONNECTION_RESTORED,
            payload={"node_name": "Amsterdam-1", "address": "ams1.example.com"},
            created_at=datetime.now(UTC),
        )
        async with app.state.container.session_factory() as session:
            uow = SqlUnitOfWork(session, TaskiqDispatcher(broker).dispatch)
            enqueue_notification(uow, alert)
            await uow.commit()

        status = NotificationStatus.PENDING
        for _ in range(150):  # up to 15 s for the worker to start and deliver
            async with app.state.container.session_factory() as session:
                stored = await SqlUnitOfWork(session).notifications.get(alert.id)
            assert stored is not None
            status = stored.status
            if (
                status is not NotificationStatus.PENDING
                or worker.returncode is not None
            ):
                break
            await asyncio.sleep(0.1)
        assert status is NotificationStatus.SENT, worker.returncode
    finally:
        await broker.shutdown()
        if worker.returncode is None:
            worker.terminate()
        await asyncio.wait_for(worker.communicate(), timeout=20)


def test_the_scheduler_enqueues_the_sweep_and_reconciliation(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("REDIS_URL", TEST_REDIS_URL)
    monkeypatch.setenv("OUTBOX_SWEEP_SECONDS", "7")
    monkeypatch.setenv("CRYPTOBOT_RECONCILE_SECONDS", "45")
    source = create_scheduler().sources[0]

    async def collected() -> list[Any]:
        await source.startup()  # as `run_scheduler` does
        return await source.get_schedules()

    schedules = asyncio.run(collected())
    assert sorted((s.task_name, s.interval) for s in schedules) == [
        (RECONCILE_TASK, 45),
        (SWEEP_TASK, 7),
    ]

    monkeypatch.setenv("REDIS_URL", "")
    with pytest.raises(ConfigurationError):
        create_scheduler()
    refused = CliRunner().invoke(cli, ["scheduler"], env={"REDIS_URL": ""})
    assert refused.exit_code == 2 and "REDIS_URL is required" in refused.output
