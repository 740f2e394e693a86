"""The `cybervpn worker` and `cybervpn scheduler` processes (production: Redis)."""

from contextlib import AsyncExitStack

from taskiq import (
    AsyncBroker,
    InMemoryBroker,
    TaskiqEvents,
    TaskiqScheduler,
    TaskiqState,
)
from taskiq.schedule_sources import LabelScheduleSource

from cybervpn.config import ConfigurationError, Settings, load_settings
from cybervpn.infrastructure.clock import SystemClock
from cybervpn.infrastructure.cryptobot.factory import connect_payments
from cybervpn.infrastructure.jobs.broker import TaskiqDispatcher, create_broker
from cybervpn.infrastructure.jobs.runtime import build_job_runtime
from cybervpn.infrastructure.mail.connection import connect_mail
from cybervpn.infrastructure.observability import load_tracing
from cybervpn.infrastructure.persistence.database import (
    create_engine,
    create_session_factory,
)
from cybervpn.infrastructure.remnawave.factory import connect_panel
from cybervpn.infrastructure.security.cipher import FernetCipher
from cybervpn.infrastructure.telegram.connection import (
    connect_telegram,
    development_bot_token,
)
from cybervpn.infrastructure.telegram.stars import TelegramStars


def _shared_broker(settings: Settings) -> AsyncBroker:
    broker = create_broker(settings)
    if isinstance(broker, InMemoryBroker):
        raise ConfigurationError(
            [
                "REDIS_URL is required for a separate worker or scheduler; "
                "in development jobs run inside `cybervpn serve`"
            ]
        )
    return broker


def create_worker_broker() -> AsyncBroker:
    """The worker's broker: it builds the job runtime when the worker starts."""
    settings = load_settings()
    broker = _shared_broker(settings)
    tracing = load_tracing(settings.observability, "worker")
    if tracing is not None:  # continues the trace the api started
        broker.add_middlewares(tracing.taskiq_middleware())

    @broker.on_event(TaskiqEvents.WORKER_STARTUP)
    async def start(state: TaskiqState) -> None:
        # Whatever opened before a failing step is closed again; a close that
        # fails at shutdown does not skip the others.
        async with AsyncExitStack() as stack:
            engine = create_engine(settings.database)
            stack.push_async_callback(engine.dispose)
            if tracing is not None:
                tracing.trace_engine(engine)
                stack.callback(tracing.shutdown)
            telegram = connect_telegram(
                settings.telegram, sandbox_token=development_bot_token()
            )
            stack.push_async_callback(telegram.aclose)
            panel = connect_panel(settings.remnawave)
            stack.push_async_callback(panel.transport.aclose)
            payments = connect_payments(settings.cryptobot)
            stack.push_async_callback(payments.provider.aclose)
            mail = connect_mail(settings.mail)
            state.runtime = build_job_runtime(
                settings=settings,
                session_factory=create_session_factory(engine),
                clock=SystemClock(),
                messenger=telegram.messenger,
                mailer=mail.mailer,
                cipher=FernetCipher.from_settings(settings.security),
                panel=panel.panel.users,
                payments=payments.provider,
                stars=TelegramStars(telegram.bot_api),
                dispatcher=TaskiqDispatcher(broker),
            )
            state.resources = stack.pop_all()

    @broker.on_event(TaskiqEvents.WORKER_SHUTDOWN)
    async def stop(state: TaskiqState) -> None:
        await state.resources.aclose()

    return broker


def create_scheduler() -> TaskiqScheduler:
    """Enqueues the outbox sweep every OUTBOX_SWEEP_SECONDS and payment
    reconciliation every CRYPTOBOT_RECONCILE_SECONDS. Run exactly one."""
    broker = _shared_broker(load_settings())
    return TaskiqScheduler(broker=broker, sources=[LabelScheduleSource(broker)])
