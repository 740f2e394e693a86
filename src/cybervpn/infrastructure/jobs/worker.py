"""The `cybervpn worker` and `cybervpn scheduler` processes (production: Redis)."""

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
from cybervpn.infrastructure.persistence.database import (
    create_engine,
    create_session_factory,
)
from cybervpn.infrastructure.remnawave.factory import connect_panel
from cybervpn.infrastructure.telegram.messenger import connect_messenger


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

    @broker.on_event(TaskiqEvents.WORKER_STARTUP)
    async def start(state: TaskiqState) -> None:
        engine = create_engine(settings.database)
        messenger = connect_messenger(settings.telegram)
        panel = connect_panel(settings.remnawave)
        payments = connect_payments(settings.cryptobot)
        state.engine, state.messenger = engine, messenger
        state.panel, state.payments = panel, payments
        state.runtime = build_job_runtime(
            settings=settings,
            session_factory=create_session_factory(engine),
            clock=SystemClock(),
            messenger=messenger.messenger,
            panel=panel.panel,
            payments=payments.provider,
            dispatcher=TaskiqDispatcher(broker),
        )

    @broker.on_event(TaskiqEvents.WORKER_SHUTDOWN)
    async def stop(state: TaskiqState) -> None:
        await state.payments.provider.aclose()
        await state.panel.transport.aclose()
        await state.messenger.aclose()
        await state.engine.dispose()

    return broker


def create_scheduler() -> TaskiqScheduler:
    """Enqueues the outbox sweep every OUTBOX_SWEEP_SECONDS and payment
    reconciliation every CRYPTOBOT_RECONCILE_SECONDS. Run exactly one."""
    broker = _shared_broker(load_settings())
    return TaskiqScheduler(broker=broker, sources=[LabelScheduleSource(broker)])
