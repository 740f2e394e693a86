"""The `cybervpn` command."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cybervpn.presentation.cli import app

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
