"""Engine and session factory for PostgreSQL (asyncpg) or SQLite (aiosqlite)."""

from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from cybervpn.config import DatabaseSettings
from cybervpn.infrastructure.metrics.pool import measure_pool
from cybervpn.infrastructure.persistence.integrity import translate_errors


def create_engine(settings: DatabaseSettings) -> AsyncEngine:
    engine = _engine_for(settings)
    translate_errors(engine.sync_engine)
    if not settings.is_sqlite:
        measure_pool(
            engine.sync_engine.pool,
            capacity=settings.pool_size + settings.max_overflow,
        )
    return engine


def _engine_for(settings: DatabaseSettings) -> AsyncEngine:
    url = make_url(settings.url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_async_engine(
        url,
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        pool_pre_ping=settings.pool_pre_ping,
        pool_recycle=3600,
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work during a write; foreign keys are off by default in SQLite.
    # The driver's own transaction handling is turned off for _sqlite_begin_immediate.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    # Take the write lock when the transaction starts: two deferred transactions that
    # both read and then write would otherwise fail with "database is locked" instead
    # of waiting for each other.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[Any]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def connection_limit(settings: DatabaseSettings) -> int:
    """Connections the PostgreSQL server allows clients like us: max_connections
    less those it reserves for superusers."""
    engine = create_async_engine(settings.url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            maximum = await connection.scalar(text("SHOW max_connections"))
            reserved = await connection.scalar(
                text("SHOW superuser_reserved_connections")
            )
    finally:
        await engine.dispose()
    return int(maximum) - int(reserved)
