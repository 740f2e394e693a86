"""Migrations: each revision up, down and up again; models and schema agree."""

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from cybervpn.config import DatabaseSettings
from cybervpn.infrastructure.persistence import migrator, models  # noqa: F401
from cybervpn.infrastructure.persistence.base import Base
from cybervpn.infrastructure.persistence.database import create_engine
from tests.conftest import BACKEND, _admin_sql

pytestmark = pytest.mark.integration


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    if BACKEND == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'scratch.db'}"
        return
    name = f"cybervpn_migrate_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin_sql(f'CREATE DATABASE "{name}"'))
    yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    asyncio.run(_admin_sql(f'DROP DATABASE "{name}" WITH (FORCE)'))


def _tables(url: str) -> set[str]:
    async def read() -> set[str]:
        engine = create_engine(DatabaseSettings(url=url))
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda c: inspect(c).get_table_names())
        await engine.dispose()
        return set(names) - {"alembic_version"}

    return asyncio.run(read())


def _differences(url: str) -> list[object]:
    def compare(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async def run() -> list[object]:
        engine = create_engine(DatabaseSettings(url=url))
        async with engine.connect() as connection:
            diff = await connection.run_sync(compare)
        await engine.dispose()
        return diff

    return asyncio.run(run())


def _revisions() -> list[str]:
    """Every revision, oldest first."""
    scripts = ScriptDirectory.from_config(migrator.alembic_config("sqlite://"))
    return [r.revision for r in reversed(list(scripts.walk_revisions()))]


def test_every_revision_goes_up_down_and_up_again(scratch_url: str) -> None:
    # The stairway: a downgrade that forgets what its upgrade made fails at the
    # second upgrade of that very revision, not at some later one.
    previous = "base"
    for revision in _revisions():
        migrator.upgrade(scratch_url, revision)
        migrator.downgrade(scratch_url, previous)
        migrator.upgrade(scratch_url, revision)
        previous = revision
    assert _tables(scratch_url) == set(Base.metadata.tables)
    migrator.downgrade(scratch_url, "base")
    assert _tables(scratch_url) == set()


def test_models_and_migrations_agree(scratch_url: str) -> None:
    migrator.upgrade(scratch_url)
    assert _differences(scratch_url) == []


def test_migrating_a_given_url_creates_no_development_files(
    scratch_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With a URL in hand the migrations need no settings: no development secrets
    # file and no embedded database may appear as a side effect.
    data_dir = tmp_path / "data"
    monkeypatch.setenv("CYBERVPN_DATA_DIR", str(data_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    migrator.upgrade(scratch_url)
    assert "accounts" in _tables(scratch_url)
    assert not data_dir.exists()


async def _sql(url: str, statement: str) -> list[tuple[object, ...]]:
    engine = create_engine(DatabaseSettings(url=url))
    try:
        async with engine.begin() as connection:
            result = await connection.exec_driver_sql(statement)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        await engine.dispose()


def test_telegram_ids_typed_at_sign_up_become_unverified(scratch_url: str) -> None:
    migrator.upgrade(scratch_url, "0010")
    asyncio.run(
        _sql(
            scratch_url,
            "INSERT INTO accounts (id, email, password_hash, role, is_active, "
            "two_factor_enabled, telegram_id, created_at, updated_at) VALUES "
            "('6f1c1f0e-0000-4000-8000-000000000001', 'old@example.com', 'x', "
            "'customer', true, false, 4242, '2026-11-01 00:00:00+00', "
            "'2026-11-01 00:00:00+00')",
        )
    )
    migrator.upgrade(scratch_url)
    rows = asyncio.run(
        _sql(
            scratch_url,
            "SELECT email, telegram_id, unverified_telegram_id FROM accounts",
        )
    )
    # The account stays; its typed-in Telegram id is kept but never messaged.
    assert rows == [("old@example.com", None, 4242)]
