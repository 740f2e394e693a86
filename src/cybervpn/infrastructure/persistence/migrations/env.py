"""Alembic environment: async engine, URL from the settings, batch mode for SQLite."""

import asyncio
from typing import Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection

from cybervpn.config import DatabaseSettings, load_settings
from cybervpn.infrastructure.persistence import models  # noqa: F401 - registers tables
from cybervpn.infrastructure.persistence.base import Base, Money, UtcDateTime
from cybervpn.infrastructure.persistence.database import create_engine

config = context.config
target_metadata = Base.metadata


def _database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or load_settings().database.url


def _render_item(
    kind: str, obj: object, _context: AutogenContext
) -> str | Literal[False]:
    # Migrations spell out plain SQLAlchemy types instead of importing our own.
    if kind == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    if kind == "type" and isinstance(obj, Money):
        return (
            f"sa.Numeric({obj.precision}, {obj.scale})"
            '.with_variant(sa.String(48), "sqlite")'
        )
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_engine(DatabaseSettings(url=_database_url()))
    async with engine.connect() as connection:
        await connection.run_sync(_configure)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_database_url(), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
