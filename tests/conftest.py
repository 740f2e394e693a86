"""Shared fixtures.

The suite runs twice: on PostgreSQL + Redis (TEST_BACKEND=postgresql, the default) and
on the embedded configuration (TEST_BACKEND=sqlite: SQLite file, in-memory limits).
Each run creates its own database, migrates it with Alembic and drops it at the end;
every test starts from empty tables.
"""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import pytest_asyncio
import structlog
from asgi_lifespan import LifespanManager
from cryptography.fernet import Fernet
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine
from taskiq import InMemoryBroker

from cybervpn.config import (
    AppSettings,
    CryptoBotSettings,
    DatabaseSettings,
    Environment,
    HttpSettings,
    JobsSettings,
    JwtSettings,
    ObservabilitySettings,
    RateLimitSettings,
    RedisSettings,
    RemnawaveSettings,
    SecuritySettings,
    Settings,
    TelegramSettings,
)
from cybervpn.infrastructure.persistence import migrator, models  # noqa: F401
from cybervpn.infrastructure.persistence.base import Base
from cybervpn.infrastructure.persistence.database import create_engine
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from cybervpn.presentation.http.app import create_app
from tests.hang_guard import hang_guard_loop, pytest_runtest_protocol  # noqa: F401
from tests.mail_server import MailServer, mail_server  # noqa: F401 - a fixture
from tests.oauth_provider import SETTINGS as OAUTH_SETTINGS

# structlog's default renders tracebacks with every frame's locals (seconds for a
# deep stack); the tests read plain ones. The default logger factory stays, so each
# line goes to whatever sys.stdout is at that moment (pytest's capture).
structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.dev.ConsoleRenderer(
            colors=False, exception_formatter=structlog.dev.plain_traceback
        ),
    ]
)

BACKEND = os.environ.get("TEST_BACKEND", "postgresql")
POSTGRES_ADMIN_DSN = os.environ.get(
    "TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
)
STAFF_CHAT_ID = -1001234
TELEGRAM_WEBHOOK_SECRET = "telegram-webhook-secret-for-tests"  # noqa: S105
WEBHOOK_SECRET = "w3bh00k" * 6  # noqa: S105 - a test value
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# Children before parents, so SQLite's DELETEs respect the foreign keys; from the
# metadata, so a new table can never keep state between tests.
TABLES = tuple(table.name for table in reversed(Base.metadata.sorted_tables))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A fresh, migrated database for this test run."""
    if BACKEND == "sqlite":
        path = tmp_path_factory.mktemp("db") / "cybervpn.db"
        url = f"sqlite+aiosqlite:///{path}"
        migrator.upgrade(url)
        yield url
        return
    name = f"cybervpn_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin_sql(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "")
    url = f"postgresql+asyncpg://{base}/{name}"
    migrator.upgrade(url)
    yield url
    asyncio.run(_admin_sql(f'DROP DATABASE "{name}" WITH (FORCE)'))


async def _admin_sql(statement: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def make_settings(database_url: str, data_dir: Path, **sections: Any) -> Settings:
    """Test settings, independent of the developer's environment."""
    defaults: dict[str, Any] = {
        "app": AppSettings(environment=Environment.DEVELOPMENT, data_dir=data_dir),
        "database": DatabaseSettings(url=database_url, pool_size=5),
        "redis": RedisSettings(url=TEST_REDIS_URL if BACKEND == "postgresql" else None),
        "jwt": JwtSettings(secret="t" * 48, previous_secrets=[]),
        "security": SecuritySettings(
            encryption_key=Fernet.generate_key().decode(),
            previous_encryption_keys=[],
            # Cheap parameters keep the suite fast; production refuses them.
            password_hash_time_cost=1,
            password_hash_memory_kib=1024,
            password_hash_parallelism=1,
            password_hash_workers=2,
            staff_require_2fa=False,
        ),
        "http": HttpSettings(
            cors_origins=["https://app.example.test"], trusted_proxies=[]
        ),
        "rate_limit": RateLimitSettings(enabled=False),
        "remnawave": RemnawaveSettings(
            url=None, token=None, webhook_secret=WEBHOOK_SECRET
        ),
        "cryptobot": CryptoBotSettings(reconcile_seconds=3600),
        "telegram": TelegramSettings(
            bot_token=None,
            admin_chat_id=STAFF_CHAT_ID,
            webhook_secret=TELEGRAM_WEBHOOK_SECRET,
        ),
        # GitHub and Google stand-ins (tests/oauth_provider.py); no test leaves
        # the machine.
        "oauth": OAUTH_SETTINGS,
        "observability": ObservabilitySettings(
            metrics_token=None, tracing_enabled=False, sentry_dsn=None
        ),
        # Tests run the sweep themselves, on their own clock.
        "jobs": JobsSettings(
            outbox_sweep_seconds=3600, queue_name="cybervpn:test-jobs"
        ),
    }
    defaults.update(sections)
    return Settings(**defaults)


@pytest.fixture(scope="session")
def settings(
    database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    mail_server: MailServer,  # noqa: F811 - the fixture
) -> Settings:
    # Mail goes through a real SMTP server on localhost (tests/mail_server.py).
    return make_settings(
        database_url, tmp_path_factory.mktemp("data"), mail=mail_server.settings()
    )


# Apps running now: their background work (in-memory jobs, sandbox webhooks) is
# settled before a test's tables are emptied, so none of it lands in the next test.
RUNNING_APPS: set[FastAPI] = set()


async def settle_background_work(app: FastAPI) -> None:
    container = app.state.container
    # A job may send a panel webhook, whose handling may queue another job.
    for _ in range(3):
        if isinstance(container.broker, InMemoryBroker):
            await container.broker.wait_all()
        if container.sandbox_webhooks is not None:
            await container.sandbox_webhooks.drain()


@asynccontextmanager
async def running_client(
    settings: Settings, **transport_options: Any
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(
            app=manager.app, client=("203.0.113.10", 50000), **transport_options
        )
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver"
        ) as client:
            RUNNING_APPS.add(app)
            try:
                yield app, client
            finally:
                RUNNING_APPS.discard(app)


@pytest_asyncio.fixture(scope="session")
async def app_and_client(
    settings: Settings,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    async with running_client(settings) as pair:
        yield pair


@pytest.fixture
def app(app_and_client: tuple[FastAPI, httpx.AsyncClient]) -> FastAPI:
    return app_and_client[0]


@pytest.fixture
def client(app_and_client: tuple[FastAPI, httpx.AsyncClient]) -> httpx.AsyncClient:
    return app_and_client[1]


@pytest_asyncio.fixture
async def sandbox(app: FastAPI) -> AsyncIterator[PanelState]:
    """The app's sandbox panel, back to its seed, with nothing of it cached."""
    connection = app.state.container.vpn_panel
    state: PanelState = connection.sandbox
    state.reset()
    await connection.cache.clear()
    yield state
    await app.state.container.sandbox_webhooks.drain()
    state.reset()
    await connection.cache.clear()


@pytest.fixture
def client_factory(
    database_url: str, tmp_path: Path
) -> Callable[..., AbstractAsyncContextManager[tuple[FastAPI, httpx.AsyncClient]]]:
    """An app with its own settings (rate limits on, production rules, ...)."""

    def factory(
        transport_options: dict[str, Any] | None = None, **sections: Any
    ) -> AbstractAsyncContextManager[tuple[FastAPI, httpx.AsyncClient]]:
        settings = make_settings(database_url, tmp_path, **sections)
        return running_client(settings, **(transport_options or {}))

    return factory


@pytest_asyncio.fixture(autouse=True)
async def empty_tables(
    database_url: str,
    mail_server: MailServer,  # noqa: F811 - the fixture
) -> AsyncIterator[None]:
    yield
    for app in list(RUNNING_APPS):
        await settle_background_work(app)
    mail_server.received.clear()
    engine = create_engine(DatabaseSettings(url=database_url))
    async with engine.begin() as connection:
        if BACKEND == "sqlite":
            for table in TABLES:
                await connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608
        else:
            await connection.execute(text(f"TRUNCATE {', '.join(TABLES)} CASCADE"))
    await engine.dispose()


@pytest_asyncio.fixture
async def redis() -> AsyncIterator[Redis]:
    """The test Redis database, emptied before use."""
    client = Redis.from_url(TEST_REDIS_URL)
    await client.flushdb()
    yield client
    await client.flushdb()
    await client.aclose()


class StatementCounter:
    """The SQL statements the app runs inside `counting()`: on its engine, and on
    PostgreSQL the session check's own pool on the driver (data statements only:
    transaction control and SQLite pragmas are left out)."""

    DATA = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine.sync_engine
        self.statements: list[str] = []

    def _record(self, *args: Any) -> None:
        statement: str = args[2]
        if statement.lstrip().upper().startswith(self.DATA):
            self.statements.append(statement)

    @contextmanager
    def counting(self) -> Iterator[list[str]]:
        self.statements = []
        fetchrow = asyncpg.Pool.fetchrow

        async def recorded(pool: asyncpg.Pool, query: str, *args: Any) -> Any:
            self._record(None, None, query)
            return await fetchrow(pool, query, *args)

        event.listen(self._engine, "before_cursor_execute", self._record)
        asyncpg.Pool.fetchrow = recorded
        try:
            yield self.statements
        finally:
            asyncpg.Pool.fetchrow = fetchrow
            event.remove(self._engine, "before_cursor_execute", self._record)


@pytest.fixture
def statements(app: FastAPI) -> StatementCounter:
    return StatementCounter(app.state.container.engine)
