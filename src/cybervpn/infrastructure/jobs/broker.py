"""TaskIQ: the broker and our two tasks.

Production uses a Redis list queue shared by every api, worker and scheduler
process. Development uses TaskIQ's in-memory broker: a kicked task runs in the api
process itself, and the api runs the sweep on a timer (see `InProcessSweeper`).
"""

import asyncio
import contextlib
import itertools
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any
from uuid import UUID

import structlog
from taskiq import AsyncBroker, Context, InMemoryBroker, TaskiqDepends
from taskiq.kicker import AsyncKicker
from taskiq_redis import ListQueueBroker

from cybervpn.application.jobs.process_outbox_message import Outcome
from cybervpn.config import Settings
from cybervpn.domain.billing.payment import (
    PROVIDER_CRYPTOBOT,
    PROVIDER_TELEGRAM_STARS,
)
from cybervpn.infrastructure.jobs.runtime import JobRuntime
from cybervpn.infrastructure.metrics.instruments import (
    OUTBOX_PROCESSED,
    PAYMENTS,
    RECONCILED_AT,
)
from cybervpn.infrastructure.request_id import LABEL as REQUEST_ID_LABEL
from cybervpn.infrastructure.request_id import bind_request_id, current_request_id

log = structlog.get_logger("cybervpn.jobs")
JobContext = Annotated[Context, TaskiqDepends()]

PROCESS_TASK = "cybervpn.outbox.process_many"
# Messages per kick: one Redis push carries a committed batch's messages (two per
# paid webhook), and a worker runs them in order, so several kicks spread a big
# batch over the workers.
MESSAGES_PER_KICK = 8
SWEEP_TASK = "cybervpn.outbox.sweep"
RECONCILE_TASK = "cybervpn.billing.reconcile"


def create_broker(settings: Settings) -> AsyncBroker:
    broker: AsyncBroker
    if settings.redis.url:
        broker = ListQueueBroker(
            settings.redis.url, queue_name=settings.jobs.queue_name
        )
    else:
        broker = InMemoryBroker()

    @broker.task(task_name=PROCESS_TASK)
    async def process_outbox_messages(
        message_ids: list[str], context: JobContext
    ) -> list[str]:
        runtime: JobRuntime = context.state.runtime
        bind_request_id(context.message.labels.get(REQUEST_ID_LABEL))
        outcomes = []
        for message_id in message_ids:
            try:
                outcome = await runtime.processor.execute(UUID(message_id))
            except Exception:  # noqa: BLE001 - the others still run; the sweep retries
                log.exception("outbox message not processed", message_id=message_id)
                outcomes.append("error")
                continue
            if outcome in (Outcome.RETRY, Outcome.DEAD):
                log.warning(
                    "outbox message failed", message_id=message_id, outcome=outcome
                )
            outcomes.append(outcome.value)
        for outcome_name in outcomes:
            OUTBOX_PROCESSED.labels(outcome_name).inc()
        return outcomes

    @broker.task(
        task_name=SWEEP_TASK,
        schedule=[{"interval": settings.jobs.outbox_sweep_seconds}],
    )
    async def sweep_outbox(context: JobContext) -> dict[str, int]:
        runtime: JobRuntime = context.state.runtime
        report = await runtime.sweeper.execute()
        if report.released or report.outcomes:
            log.info(
                "outbox swept",
                released=report.released,
                **{k.value: v for k, v in report.outcomes.items()},
            )
        return {"released": report.released}

    @broker.task(
        task_name=RECONCILE_TASK,
        schedule=[{"interval": settings.cryptobot.reconcile_seconds}],
    )
    async def reconcile_payments(context: JobContext) -> dict[str, int]:
        runtime: JobRuntime = context.state.runtime
        return await run_commerce_checks(runtime)

    return broker


async def run_commerce_checks(runtime: JobRuntime) -> dict[str, int]:
    """Reconcile pending payments with the providers (Crypto Pay, Telegram Stars),
    alert staff of paid payments still waiting for provisioning, and remind
    customers of expiring access."""
    report = await runtime.reconciler.execute()
    _count_reconciliation(PROVIDER_CRYPTOBOT, report.outcomes)
    stars = await runtime.stars_reconciler.execute()
    _count_reconciliation(PROVIDER_TELEGRAM_STARS, stars.outcomes)
    if not any("provider_unavailable" in r.outcomes for r in (report, stars)):
        RECONCILED_AT.set_to_current_time()
    stalled = await runtime.stalled_provisioning.execute()
    reminded = await runtime.expiry_reminders.execute()
    if report.checked or stars.checked or stalled or reminded:
        log.info(
            "commerce checks",
            checked=report.checked,
            stars_checked=stars.checked,
            stalled=stalled,
            reminded=reminded,
            **report.outcomes,
            **{f"stars_{k}": v for k, v in stars.outcomes.items()},
        )
    return {
        "checked": report.checked + stars.checked,
        "stalled": stalled,
        "reminded": reminded,
    }


# What reconciliation found, as payment outcomes (`credited` there is `paid` here:
# the webhook missed it and reconciliation credited it).
_RECONCILED_AS = {"credited": "paid", "flagged": "flagged", "expired": "expired"}


def _count_reconciliation(provider: str, outcomes: dict[str, int]) -> None:
    for found, count in outcomes.items():
        if found in _RECONCILED_AS:
            PAYMENTS.labels(provider, _RECONCILED_AS[found]).inc(count)


class TaskiqDispatcher:
    """Kicks the processing task for committed messages. A broker that cannot take
    the kick loses nothing: the message is in the outbox and the sweep finds it."""

    def __init__(self, broker: AsyncBroker) -> None:
        self._broker = broker

    async def dispatch(self, message_ids: Sequence[UUID]) -> None:
        task = self._broker.find_task(PROCESS_TASK)
        if task is None:  # pragma: no cover - registered by create_broker
            return
        kicker = task.kicker()
        request_id = current_request_id()
        if request_id is not None:  # the worker logs under the request's id
            kicker = kicker.with_labels(**{REQUEST_ID_LABEL: request_id})
        # The kicks go out together: a batch of paid webhooks answers only once its
        # messages are kicked, and one after another they were a tenth of its time.
        await asyncio.gather(
            *(
                _kick(kicker, chunk)
                for chunk in itertools.batched(
                    message_ids, MESSAGES_PER_KICK, strict=False
                )
            )
        )


async def _kick(kicker: AsyncKicker[..., Any], chunk: Sequence[UUID]) -> None:
    try:
        await kicker.kiq([str(message_id) for message_id in chunk])
    except Exception as error:  # noqa: BLE001 - the sweep is the fallback
        log.warning(
            "job dispatch failed; the sweep will pick it up",
            messages=len(chunk),
            error=type(error).__name__,
        )


class InProcessSweeper:
    """Development only: the periodic jobs (outbox sweep, payment reconciliation)
    on timers inside the api process, because the embedded default runs no
    scheduler."""

    def __init__(
        self,
        runtime: JobRuntime,
        sweep_seconds: float,
        reconcile_seconds: float,
    ) -> None:
        self._runtime = runtime
        self._periods = {"outbox-sweep": sweep_seconds, "reconcile": reconcile_seconds}
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        jobs: dict[str, Callable[[], Awaitable[object]]] = {
            "outbox-sweep": self._runtime.sweeper.execute,
            "reconcile": lambda: run_commerce_checks(self._runtime),
        }
        self._tasks = [
            asyncio.create_task(self._every(self._periods[name], job), name=name)
            for name, job in jobs.items()
        ]

    @staticmethod
    async def _every(seconds: float, job: Callable[[], Awaitable[object]]) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await job()
            except Exception:  # noqa: BLE001 - the next run tries again
                log.exception("periodic job failed")

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
