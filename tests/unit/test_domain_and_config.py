"""Roles, password-independent rules, settings validation and security adapters."""

import asyncio
import json
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
import structlog
from cryptography.fernet import Fernet

from cybervpn.application.common.errors import ServiceBusyError
from cybervpn.config import (
    AppSettings,
    ConfigurationError,
    CryptoBotSettings,
    DatabaseSettings,
    Environment,
    HttpSettings,
    JwtSettings,
    MailSettings,
    ObservabilitySettings,
    RedisSettings,
    RemnawaveSettings,
    SecuritySettings,
    Settings,
    TelegramSettings,
    apply_development_defaults,
    load_settings,
    production_problems,
)
from cybervpn.domain.identity.roles import Permission, Role, has_permission
from cybervpn.domain.notifications.notification import language_of
from cybervpn.infrastructure.logs import configure_logging
from cybervpn.infrastructure.persistence.base import UtcDateTime
from cybervpn.infrastructure.security.bounded_executor import BoundedExecutor
from cybervpn.infrastructure.security.opaque_tokens import SecureOpaqueTokens

pytestmark = pytest.mark.unit


def test_permissions_grow_with_rank() -> None:
    ranks = [Role.VIEWER, Role.SUPPORT, Role.OPERATOR, Role.ADMIN, Role.SUPER_ADMIN]
    for lower, higher in zip(ranks, ranks[1:], strict=False):
        for permission in Permission:
            if has_permission(lower, permission):
                assert has_permission(higher, permission)
    assert not any(has_permission(Role.CUSTOMER, p) for p in Permission)
    assert has_permission(Role.SUPER_ADMIN, Permission.ADMINISTRATORS_MANAGE)
    assert not has_permission(Role.ADMIN, Permission.ADMINISTRATORS_MANAGE)


def _production(**sections: object) -> Settings:
    good: dict[str, object] = {
        "app": AppSettings(environment=Environment.PRODUCTION),
        "database": DatabaseSettings(url="postgresql+asyncpg://u:p@db/cybervpn"),
        "redis": RedisSettings(url="redis://cache:6379/0"),
        "jwt": JwtSettings(secret="k" * 48, previous_secrets=[]),
        "security": SecuritySettings(encryption_key=Fernet.generate_key().decode()),
        "http": HttpSettings(cors_origins=["https://app.cybervpn.example"]),
        "remnawave": RemnawaveSettings(
            url="https://panel.example",
            token="rw-token-value",
            webhook_secret="w" * 40,
        ),
        "cryptobot": CryptoBotSettings(
            token="123:AAbb",
        ),
        "telegram": TelegramSettings(
            bot_token="123:AAbbCC", admin_chat_id=-100123, webhook_secret="s" * 40
        ),
        "observability": ObservabilitySettings(metrics_token="m" * 40),
        "mail": MailSettings(
            host="smtp.cybervpn.example", web_app_url="https://app.cybervpn.example"
        ),
    }
    good.update(sections)
    return Settings(**good)


def test_a_complete_production_configuration_has_no_problems() -> None:
    assert production_problems(_production()) == []


def test_production_refuses_weak_secrets_and_embedded_parts() -> None:
    problems = production_problems(
        _production(
            jwt=JwtSettings(
                secret="change-me-please-change-me-please!!", previous_secrets=["short"]
            ),
            security=SecuritySettings(
                encryption_key="not-a-fernet-key", password_hash_memory_kib=4096
            ),
            redis=RedisSettings(url=None),
            telegram=TelegramSettings(bot_token=None, admin_chat_id=None),
            remnawave=RemnawaveSettings(
                url="https://panel.example", token="rw-token", webhook_secret="short"
            ),
            observability=ObservabilitySettings(metrics_token=None),
            mail=MailSettings(host=None, web_app_url="http://app.example"),
        )
    )
    text = "\n".join(problems)
    assert "SMTP_HOST is required" in text
    assert "WEB_APP_URL must be" in text
    assert "METRICS_TOKEN is required" in text
    assert "TELEGRAM_BOT_TOKEN is required" in text
    assert "TELEGRAM_ADMIN_CHAT_ID is required" in text
    assert "REMNAWAVE_WEBHOOK_SECRET is required" in text
    assert "JWT_SECRET must be" in text
    assert "JWT_PREVIOUS_SECRETS" in text
    assert "ENCRYPTION_KEY must be a Fernet key" in text
    assert "PASSWORD_HASH_*" in text
    assert "REDIS_URL is required" in text


def test_load_settings_raises_one_error_listing_everything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir("/")
    monkeypatch.setenv("ENVIRONMENT", "production")
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    assert len(raised.value.problems) >= 5
    assert str(raised.value).startswith("Configuration is not valid:")


def test_development_defaults_reuse_the_generated_secrets(tmp_path: Path) -> None:
    first = apply_development_defaults(
        Settings(app=AppSettings(data_dir=tmp_path), jwt=JwtSettings(secret=None))
    )
    second = apply_development_defaults(
        Settings(app=AppSettings(data_dir=tmp_path), jwt=JwtSettings(secret=None))
    )
    assert first.jwt.secret == second.jwt.secret
    assert first.database.url.startswith("sqlite+aiosqlite:///")
    assert all("*" not in origin for origin in first.http.cors_origins)
    assert first.require_staff_2fa is False and first.docs_enabled is True
    # The sandbox panel signs its webhooks with a secret made for this process.
    assert first.remnawave.webhook_secret is not None
    assert len(first.remnawave.webhook_secret.get_secret_value()) >= 32


def test_staff_2fa_and_docs_default_on_and_off_in_production() -> None:
    settings = _production()
    assert settings.require_staff_2fa is True
    assert settings.docs_enabled is False


def test_settings_reject_bad_values() -> None:
    with pytest.raises(ValueError, match="HS256"):
        JwtSettings(algorithm="none")
    with pytest.raises(ValueError, match="DEBUG"):
        AppSettings(log_level="loud")
    assert AppSettings(log_level="debug").log_level == "DEBUG"
    assert HttpSettings(
        cors_origins="https://a.example, https://b.example"
    ).cors_origins == [
        "https://a.example",
        "https://b.example",
    ]


def test_naive_datetimes_are_never_stored() -> None:
    with pytest.raises(ValueError, match="naive"):
        UtcDateTime().process_bind_param(datetime(2026, 1, 1), dialect=None)  # type: ignore[arg-type]


def test_backup_codes_have_120_bits_in_dashed_groups() -> None:
    codes = SecureOpaqueTokens().new_backup_codes(10)
    assert len(set(codes)) == 10
    assert all(re.fullmatch(r"([A-Z2-7]{4}-){5}[A-Z2-7]{4}", code) for code in codes)


async def test_bounded_executor_refuses_work_beyond_its_capacity() -> None:
    refused: list[bool] = []
    executor = BoundedExecutor(
        workers=1, queue_limit=1, name="test", on_refused=lambda: refused.append(True)
    )
    release = threading.Event()
    running = [asyncio.create_task(executor.run(release.wait, 5)) for _ in range(2)]
    await asyncio.sleep(0)
    assert executor.in_flight == 2
    with pytest.raises(ServiceBusyError):
        await executor.run(release.wait, 5)
    assert refused == [True]  # counted for the saturation metric
    release.set()
    assert await asyncio.gather(*running) == [True, True]
    assert executor.in_flight == 0
    executor.shutdown()


def test_request_urls_of_outside_clients_stay_out_of_the_log() -> None:
    """The Telegram Bot API carries the bot token in its URLs; httpx logs request
    lines at INFO."""
    with _logging_configured("DEBUG", json=True, service="api"):
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING


@contextmanager
def _logging_configured(level: str, *, json: bool, service: str) -> Iterator[None]:
    """configure_logging for one test; the suite's own configuration after it."""
    root = logging.getLogger()
    handlers, root_level = root.handlers[:], root.level
    previous = structlog.get_config()
    try:
        configure_logging(level, json=json, service=service)
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(root_level)
        logging.getLogger("httpx").setLevel(logging.NOTSET)
        structlog.configure(**previous)


def test_our_lines_and_the_libraries_share_fields_and_tracebacks_are_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with _logging_configured("INFO", json=True, service="worker"):
        try:
            raise ValueError("boom")
        except ValueError:
            structlog.get_logger("cybervpn.jobs").exception("job failed")
            logging.getLogger("taskiq.receiver").exception("task failed")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [line["logger"] for line in lines] == ["cybervpn.jobs", "taskiq.receiver"]
    for line in lines:
        assert line["service"] == "worker" and line["level"] == "error"
        trace = line["exception"]
        assert isinstance(trace, list) and trace[0]["exc_type"] == "ValueError"
        assert "locals" not in str(trace)


def test_several_api_processes_need_all_state_outside_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("DATABASE_URL", "REDIS_URL", "REMNAWAVE_URL", "CRYPTOBOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ENVIRONMENT", "development")
    monkeypatch.setenv("CYBERVPN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    with pytest.raises(ConfigurationError) as raised:
        load_settings()  # the embedded default: SQLite, memory, sandboxes
    assert len(raised.value.problems) == 4
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://db/cybervpn")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    monkeypatch.setenv("REMNAWAVE_URL", "https://panel.example")
    monkeypatch.setenv("CRYPTOBOT_TOKEN", "123:AAbb")
    assert load_settings().app.workers == 2
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    monkeypatch.delenv("DATABASE_URL")
    assert load_settings().database.is_sqlite


def test_a_language_code_maps_to_one_we_write_in() -> None:
    assert [language_of(c) for c in ("ru", "ru-RU", "RU_ru", "en-GB")] == [
        "ru",
        "ru",
        "ru",
        "en",
    ]
    assert [language_of(c) for c in (None, "", "de", "uk")] == [None] * 4
