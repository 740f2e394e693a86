"""Running Alembic migrations from code (the CLI, development start-up, tests)."""

import asyncio
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Blocking: call it from a thread when an event loop is running."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


@dataclass(frozen=True, slots=True)
class SchemaState:
    current: tuple[str, ...]  # the database's revision(s); empty before the first
    head: str  # the code's

    @property
    def up_to_date(self) -> bool:
        return self.current == (self.head,)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Revisions the code does not know: the database is ahead of it."""
        return tuple(r for r in self.current if r not in _known_revisions())


def _known_revisions() -> set[str]:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {script.revision for script in scripts.walk_revisions()}


def schema_state(database_url: str) -> SchemaState:
    """Where the database stands against the code's migrations (blocking)."""
    from cybervpn.config import DatabaseSettings
    from cybervpn.infrastructure.persistence.database import create_engine

    def heads(connection: Connection) -> tuple[str, ...]:
        return tuple(MigrationContext.configure(connection).get_current_heads())

    async def read() -> tuple[str, ...]:
        engine = create_engine(DatabaseSettings(url=database_url))
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(heads)
        finally:
            await engine.dispose()

    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    return SchemaState(current=asyncio.run(read()), head=str(head))
