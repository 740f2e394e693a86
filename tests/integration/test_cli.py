"""The `cybervpn` command."""

import sqlite3
from contextlib import closing
from importlib.metadata import version as package_version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cybervpn.presentation.cli import app
from tests.conftest import BACKEND

pytestmark = pytest.mark.integration
runner = CliRunner()


def test_check_config_names_every_problem_in_production(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir("/")  # away from any .env
    result = runner.invoke(
        app,
        ["check-config"],
        env={
            "ENVIRONMENT": "production",
            "DATABASE_URL": "sqlite+aiosqlite:///x.db",
            "JWT_SECRET": "your_secret_here",
            "CORS_ORIGINS": "*",
            "REMNAWAVE_TOKEN": "",
        },
    )
    assert result.exit_code == 2
    for setting in (
        "DATABASE_URL must point to PostgreSQL",
        "REDIS_URL",
        "JWT_SECRET must be",
        "ENCRYPTION_KEY",
        "REMNAWAVE_URL",
        "CRYPTOBOT_TOKEN",
        "CORS_ORIGINS must not contain a wildcard",
    ):
        assert setting in result.output


def test_check_config_passes_in_development(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check-config"], env={"ENVIRONMENT": "development"})
    assert result.exit_code == 0
    assert "valid for development" in result.output
    secrets_file = tmp_path / ".cybervpn" / "secrets.json"
    assert secrets_file.stat().st_mode & 0o777 == 0o600


def test_migrate_then_create_admin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {
        "ENVIRONMENT": "development",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "PASSWORD_HASH_MEMORY_KIB": "1024",
        "PASSWORD_HASH_TIME_COST": "1",
    }
    assert runner.invoke(app, ["migrate"], env=env).exit_code == 0
    args = [
        "create-admin",
        "--email",
        "Root@Example.com",
        "--password",
        "a long password",
    ]
    created = runner.invoke(app, args, env=env)
    assert created.exit_code == 0, created.output
    assert "super_admin root@example.com" in created.output
    duplicate = runner.invoke(app, args, env=env)
    assert duplicate.exit_code == 1
    assert "already registered" in duplicate.output
    customer = runner.invoke(
        app,
        [*args[:-2], "--password", "a long password", "--role", "customer"],
        env=env,
    )
    assert customer.exit_code == 2


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"cybervpn {package_version('cybervpn')}"


def test_migrate_check_says_whether_the_schema_matches_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite+aiosqlite:///{tmp_path / 'check.db'}"
    env = {"ENVIRONMENT": "development", "DATABASE_URL": url}
    behind = runner.invoke(app, ["migrate", "--check"], env=env)
    assert behind.exit_code == 1 and "run `cybervpn migrate`" in behind.output
    assert runner.invoke(app, ["migrate", "0008"], env=env).exit_code == 0
    assert runner.invoke(app, ["migrate", "--check"], env=env).exit_code == 1
    assert runner.invoke(app, ["migrate"], env=env).exit_code == 0
    current = runner.invoke(app, ["migrate", "--check"], env=env)
    assert current.exit_code == 0 and "as the code expects" in current.output

    # A database migrated by newer code than this one.
    with closing(sqlite3.connect(tmp_path / "check.db")) as database:
        database.execute("UPDATE alembic_version SET version_num = '9999'")
        database.commit()
    ahead = runner.invoke(app, ["migrate", "--check"], env=env)
    assert ahead.exit_code == 1 and "ahead" in ahead.output


@pytest.mark.skipif(BACKEND == "sqlite", reason="SQLite has no connection limit")
def test_check_config_weighs_the_pools_against_the_servers_connections(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"ENVIRONMENT": "development", "DATABASE_URL": database_url}
    fits = runner.invoke(
        app,
        ["check-config", "--processes", "2"],
        env=env
        | {
            "DATABASE_POOL_SIZE": "10",
            "DATABASE_MAX_OVERFLOW": "5",
            "DATABASE_LOOKUP_POOL_SIZE": "5",
        },
    )
    assert fits.exit_code == 0, fits.output
    assert "this service may open 40 of the" in fits.output
    too_many = runner.invoke(
        app,
        ["check-config", "--processes", "8"],
        env=env | {"DATABASE_POOL_SIZE": "20", "DATABASE_MAX_OVERFLOW": "20"},
    )
    assert too_many.exit_code == 1
    assert "this service may open 480 of the" in too_many.output
    assert "Too many" in too_many.output
