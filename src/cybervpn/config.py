"""Settings, read from the environment (and `.env`), one model per concern.

Development runs with nothing configured: an SQLite file, in-memory rate limiting and
secrets generated once into a local file. Production refuses every such shortcut and
names, in one error, each setting that is missing or unsafe.
"""

import json
import os
import re
import secrets
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

from cryptography.fernet import Fernet
from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url

WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
PLACEHOLDER_MARKERS = ("your_", "change", "example", "placeholder", "secret_here")
MIN_SECRET_LENGTH = 32
OWASP_MIN_MEMORY_KIB = 19_456
OWASP_MIN_TIME_COST = 2


class Environment(StrEnum):
    DEVELOPMENT = "development"
    STAGING = "staging"
    PRODUCTION = "production"


# Every section reads the environment and `.env` alike. `populate_by_name` is
# spelled out in each class (not here) so the type checker sees that code may pass
# fields by name, as the tests do.
_ENV = SettingsConfigDict(
    env_file=".env",
    env_file_encoding="utf-8",
    extra="ignore",
    env_ignore_empty=True,
    # A directory of files named after the settings (JWT_SECRET, ...), such as the
    # /run/secrets of Docker secrets: secrets never sit in the environment.
    secrets_dir=os.environ.get("CYBERVPN_SECRETS_DIR") or None,
)


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


CsvList = Annotated[list[str], NoDecode]


class AppSettings(BaseSettings):
    model_config = SettingsConfigDict(**_ENV, populate_by_name=True)

    environment: Environment = Environment.DEVELOPMENT
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # API processes of `cybervpn serve`; more than one needs every piece of state
    # outside the process (see multi_process_problems).
    workers: int = Field(default=1, ge=1, le=64, validation_alias="WEB_CONCURRENCY")
    data_dir: Path = Field(
        default=Path(".cybervpn"), validation_alias="CYBERVPN_DATA_DIR"
    )

    @property
    def is_development(self) -> bool:
        return self.environment is Environment.DEVELOPMENT

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value


class DatabaseSettings(BaseSettings):
    model_config = SettingsConfigDict(
        **_ENV, env_prefix="DATABASE_", populate_by_name=True
    )

    url: str = ""
    # From a secret file (DATABASE_PASSWORD) rather than inside DATABASE_URL.
    password: SecretStr | None = None
    pool_size: int = Field(default=20, ge=1)
    max_overflow: int = Field(default=20, ge=0)
    # A round trip per checkout (ADR 0006): after a failover or a database restart
    # no request fails on a dead pooled connection.
    pool_pre_ping: bool = True
    # The API's own pool for its hot paths: the session check on every authenticated
    # request, the password login's read and write (PostgreSQL; ADR 0003).
    lookup_pool_size: int = Field(default=20, ge=1)

    @model_validator(mode="after")
    def _password_into_url(self) -> "DatabaseSettings":
        if self.password is not None and self.url:
            url = make_url(self.url).set(password=self.password.get_secret_value())
            self.url = url.render_as_string(hide_password=False)
            self.password = None
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def connections_per_process(self) -> int:
        """The most one process may open: both pools full (only the API opens the
        hot paths' pool; counted for every service, to be safe)."""
        return self.pool_size + self.max_overflow + self.lookup_pool_size


class RedisSettings(BaseSettings):
    model_config = SettingsConfigDict(
        **_ENV, env_prefix="REDIS_", populate_by_name=True
    )

    url: str | None = None


class JwtSettings(BaseSettings):
    """Access tokens. Several keys may verify; the first of JWT_SECRET signs."""

    model_config = SettingsConfigDict(**_ENV, populate_by_name=True)

    secret: SecretStr | None = Field(default=None, validation_alias="JWT_SECRET")
    previous_secrets: CsvList = Field(
        default_factory=list, validation_alias="JWT_PREVIOUS_SECRETS"
    )
    algorithm: str = Field(default="HS256", validation_alias="JWT_ALGORITHM")
    issuer: str = Field(default="cybervpn", validation_alias="JWT_ISSUER")
    audience: str = Field(default="cybervpn-api", validation_alias="JWT_AUDIENCE")
    access_token_expire_minutes: int = Field(
        default=15, ge=1, le=60, validation_alias="ACCESS_TOKEN_EXPIRE_MINUTES"
    )
    refresh_token_expire_days: int = Field(
        default=7, ge=1, le=90, validation_alias="REFRESH_TOKEN_EXPIRE_DAYS"
    )
    session_max_age_days: int = Field(
        default=30, ge=1, le=365, validation_alias="SESSION_MAX_AGE_DAYS"
    )

    _split = field_validator("previous_secrets", mode="before")(_split_csv)

    @field_validator("algorithm")
    @classmethod
    def _hmac_only(cls, value: str) -> str:
        if value not in {"HS256", "HS384", "HS512"}:
            raise ValueError("must be HS256, HS384 or HS512")
        return value


class SecuritySettings(BaseSettings):
    model_config = SettingsConfigDict(**_ENV, populate_by_name=True)

    encryption_key: SecretStr | None = Field(
        default=None, validation_alias="ENCRYPTION_KEY"
    )
    previous_encryption_keys: CsvList = Field(
        default_factory=list, validation_alias="ENCRYPTION_PREVIOUS_KEYS"
    )
    totp_issuer: str = Field(default="CyberVPN", validation_alias="TOTP_ISSUER")
    staff_require_2fa: bool | None = Field(
        default=None, validation_alias="STAFF_REQUIRE_2FA"
    )
    password_hash_time_cost: int = Field(
        default=3, ge=1, validation_alias="PASSWORD_HASH_TIME_COST"
    )
    password_hash_memory_kib: int = Field(
        default=65_536, ge=1_024, validation_alias="PASSWORD_HASH_MEMORY_KIB"
    )
    password_hash_parallelism: int = Field(
        default=4, ge=1, validation_alias="PASSWORD_HASH_PARALLELISM"
    )
    password_hash_workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        validation_alias="PASSWORD_HASH_WORKERS",
    )
    password_hash_queue_limit: int = Field(
        default=64, ge=0, validation_alias="PASSWORD_HASH_QUEUE_LIMIT"
    )

    _split = field_validator("previous_encryption_keys", mode="before")(_split_csv)


class HttpSettings(BaseSettings):
    model_config = SettingsConfigDict(**_ENV, populate_by_name=True)

    cors_origins: CsvList = Field(default_factory=list, validation_alias="CORS_ORIGINS")
    trusted_proxies: CsvList = Field(
        default_factory=list, validation_alias="TRUSTED_PROXIES"
    )
    docs_enabled: bool | None = Field(default=None, validation_alias="DOCS_ENABLED")
    max_request_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        le=64 * 1024 * 1024,
        validation_alias="MAX_REQUEST_BODY_BYTES",
    )

    _split = field_validator("cors_origins", "trusted_proxies", mode="before")(
        _split_csv
    )


class RateLimitSettings(BaseSettings):
    model_config = SettingsConfigDict(
        **_ENV, env_prefix="RATE_LIMIT_", populate_by_name=True
    )

    enabled: bool = True
    requests: int = Field(default=100, ge=1)
    window: int = Field(default=60, ge=1)
    auth_requests: int = Field(
        default=5, ge=1, validation_alias="AUTH_RATE_LIMIT_REQUESTS"
    )


class RemnawaveSettings(BaseSettings):
    """The VPN panel. No URL in development means the in-process sandbox panel."""

    model_config = SettingsConfigDict(**_ENV, populate_by_name=True)

    url: str | None = Field(default=None, validation_alias="REMNAWAVE_URL")
    token: SecretStr | None = Field(default=None, validation_alias="REMNAWAVE_TOKEN")
    timeout_seconds: float = Field(
        default=10.0, gt=0, le=120, validation_alias="REMNAWAVE_TIMEOUT_SECONDS"
    )
    max_connections: int = Field(
        default=20, ge=1, validation_alias="REMNAWAVE_MAX_CONNECTIONS"
    )
    retry_attempts: int = Field(
        default=3, ge=1, le=10, validation_alias="REMNAWAVE_RETRY_ATTEMPTS"
    )
    breaker_threshold: int = Field(
        default=5, ge=1, validation_alias="REMNAWAVE_BREAKER_THRESHOLD"
    )
    breaker_reset_seconds: float = Field(
        default=30.0, gt=0, validation_alias="REMNAWAVE_BREAKER_RESET_SECONDS"
    )
    cache_seconds: float = Field(
        default=5.0, ge=0, le=300, validation_alias="REMNAWAVE_CACHE_SECONDS"
    )
    webhook_secret: SecretStr | None = Field(
        default=None, validation_alias="REMNAWAVE_WEBHOOK_SECRET"
    )
    webhook_max_age_seconds: int = Field(
        default=300,
        ge=10,
        le=3600,
        validation_alias="REMNAWAVE_WEBHOOK_MAX_AGE_SECONDS",
    )


class TelegramSettings(BaseSettings):
    """Notifications and sign-in with Telegram. No bot token in development means a
    log sink, and sign-in data signed with a token made up for the process (the
    sandbox signs it: POST /api/v1/sandbox/telegram/init-data)."""

    model_config = SettingsConfigDict(**_ENV, populate_by_name=True)

    bot_token: SecretStr | None = Field(
        default=None, validation_alias="TELEGRAM_BOT_TOKEN"
    )
    admin_chat_id: int | None = Field(
        default=None, validation_alias="TELEGRAM_ADMIN_CHAT_ID"
    )
    api_url: str = Field(
        default="https://api.telegram.org", validation_alias="TELEGRAM_API_URL"
    )
    timeout_seconds: float = Field(
        default=10.0, gt=0, le=60, validation_alias="TELEGRAM_TIMEOUT_SECONDS"
    )
    # How old signed Telegram sign-in data may be (Mini App and Login Widget).
    auth_max_age_seconds: int = Field(
        default=3600, ge=60, le=86_400, validation_alias="TELEGRAM_AUTH_MAX_AGE_SECONDS"
    )
    # The secret_token given to setWebhook: Telegram sends it with every update
    # (X-Telegram-Bot-Api-Secret-Token); an update without it is refused.
    webhook_secret: SecretStr | None = Field(
        default=None, validation_alias="TELEGRAM_WEBHOOK_SECRET"
    )
    # How long a Stars invoice link may be paid.
    stars_invoice_expires_seconds: int = Field(
        default=3600,
        ge=60,
        le=2_678_400,
        validation_alias="TELEGRAM_STARS_INVOICE_EXPIRES_SECONDS",
    )

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and -.
        if value is not None and not WEBHOOK_SECRET_PATTERN.fullmatch(
            value.get_secret_value()
        ):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET: 1-256 of A-Z a-z 0-9 _ -")
        return value


class OAuthSettings(BaseSettings):
    """Sign-in with GitHub (OAuth App) and Google (OpenID Connect). A provider is
    on when its client id is set. Its URLs are settings so a test can stand in for
    it; the defaults are the real ones."""

    model_config = SettingsConfigDict(**_ENV, populate_by_name=True)

    # The only places a provider may send the browser back to with a code.
    redirect_uris: CsvList = Field(
        default_factory=list, validation_alias="OAUTH_REDIRECT_URIS"
    )
    timeout_seconds: float = Field(
        default=10.0, gt=0, le=60, validation_alias="OAUTH_TIMEOUT_SECONDS"
    )
    github_client_id: str | None = Field(
        default=None, validation_alias="GITHUB_CLIENT_ID"
    )
    github_client_secret: SecretStr | None = Field(
        default=None, validation_alias="GITHUB_CLIENT_SECRET"
    )
    github_authorize_url: str = Field(
        default="https://github.com/login/oauth/authorize",
        validation_alias="GITHUB_AUTHORIZE_URL",
    )
    github_token_url: str = Field(
        default="https://github.com/login/oauth/access_token",
        validation_alias="GITHUB_TOKEN_URL",
    )
    github_api_url: str = Field(
        default="https://api.github.com", validation_alias="GITHUB_API_URL"
    )
    google_client_id: str | None = Field(
        default=None, validation_alias="GOOGLE_CLIENT_ID"
    )
    google_client_secret: SecretStr | None = Field(
        default=None, validation_alias="GOOGLE_CLIENT_SECRET"
    )
    google_authorize_url: str = Field(
        default="https://accounts.google.com/o/oauth2/v2/auth",
        validation_alias="GOOGLE_AUTHORIZE_URL",
    )
    google_token_url: str = Field(
        default="https://oauth2.googleapis.com/token",
        validation_alias="GOOGLE_TOKEN_URL",
    )
    google_jwks_url: str = Field(
        default="https://www.googleapis.com/oauth2/v3/certs",
        validation_alias="GOOGLE_JWKS_URL",
    )

    _split = field_validator("redirect_uris", mode="before")(_split_csv)

    def problems(self) -> list[str]:
        """What makes a configured provider unusable (any environment)."""
        found = []
        for name, client_id, secret in (
            ("GITHUB", self.github_client_id, self.github_client_secret),
            ("GOOGLE", self.google_client_id, self.google_client_secret),
        ):
            if client_id and secret is None:
                found.append(f"{name}_CLIENT_SECRET is required with {name}_CLIENT_ID")
        configured = self.github_client_id or self.google_client_id
        if configured and not self.redirect_uris:
            found.append("OAUTH_REDIRECT_URIS is required for GitHub or Google sign-in")
        return found


class JobsSettings(BaseSettings):
    """Background jobs: TaskIQ on Redis (production) or in process (development)."""

    model_config = SettingsConfigDict(**_ENV, populate_by_name=True)

    outbox_lease_seconds: float = Field(
        default=120.0, ge=5, le=3600, validation_alias="OUTBOX_LEASE_SECONDS"
    )
    outbox_sweep_seconds: int = Field(
        default=10, ge=1, le=3600, validation_alias="OUTBOX_SWEEP_SECONDS"
    )
    queue_name: str = Field(default="cybervpn:jobs", validation_alias="JOBS_QUEUE")


class ObservabilitySettings(BaseSettings):
    """Metrics for Prometheus, traces for OpenTelemetry, errors for Sentry."""

    model_config = SettingsConfigDict(**_ENV, populate_by_name=True)

    # Bearer token of GET /metrics (and the worker's endpoint); open without one
    # in development only.
    metrics_token: SecretStr | None = Field(
        default=None, validation_alias="METRICS_TOKEN"
    )
    # The worker serves no HTTP but its metrics; no port, no endpoint.
    worker_metrics_port: int | None = Field(
        default=None, ge=1, le=65535, validation_alias="WORKER_METRICS_PORT"
    )
    worker_metrics_host: str = Field(
        default="127.0.0.1", validation_alias="WORKER_METRICS_HOST"
    )
    # Off by default: the hot path pays nothing for tracing it does not do. The
    # exporter reads the standard OTEL_EXPORTER_OTLP_* variables.
    tracing_enabled: bool = Field(default=False, validation_alias="TRACING_ENABLED")
    sentry_dsn: SecretStr | None = Field(default=None, validation_alias="SENTRY_DSN")
    sentry_traces_sample_rate: float = Field(
        default=0.0, ge=0, le=1, validation_alias="SENTRY_TRACES_SAMPLE_RATE"
    )


class CryptoBotSettings(BaseSettings):
    """Crypto Pay. No token in development means the in-process sandbox provider.
    Testnet: https://testnet-pay.crypt.bot/api with a testnet app's token."""

    model_config = SettingsConfigDict(
        **_ENV, env_prefix="CRYPTOBOT_", populate_by_name=True
    )

    token: SecretStr | None = None
    api_url: str = "https://pay.crypt.bot/api"
    # Invoices are priced in USD; the customer pays in one of these assets.
    accepted_assets: CsvList = ["USDT", "TON", "BTC"]
    invoice_expires_seconds: int = Field(default=3600, ge=60, le=2_678_400)
    timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    reconcile_seconds: int = Field(default=60, ge=5, le=86_400)

    _split = field_validator("accepted_assets", mode="before")(_split_csv)


class MailSettings(BaseSettings):
    """E-mail over SMTP. No SMTP_HOST in development means the sandbox mailbox
    (`GET /api/v1/sandbox/mail`); links in mail point at WEB_APP_URL."""

    model_config = SettingsConfigDict(**_ENV, populate_by_name=True)

    host: str | None = Field(default=None, validation_alias="SMTP_HOST")
    port: int = Field(default=587, ge=1, le=65535, validation_alias="SMTP_PORT")
    username: str | None = Field(default=None, validation_alias="SMTP_USERNAME")
    password: SecretStr | None = Field(default=None, validation_alias="SMTP_PASSWORD")
    starttls: bool = Field(default=True, validation_alias="SMTP_STARTTLS")
    from_address: str = Field(
        default="CyberVPN <no-reply@localhost>", validation_alias="SMTP_FROM"
    )
    timeout_seconds: float = Field(
        default=10.0, gt=0, le=120, validation_alias="SMTP_TIMEOUT_SECONDS"
    )
    web_app_url: str = Field(
        default="http://localhost:8000", validation_alias="WEB_APP_URL"
    )


class CommerceSettings(BaseSettings):
    """The trial, the referral reward, and when staff hear of a paid payment still
    not provisioned."""

    model_config = SettingsConfigDict(**_ENV, populate_by_name=True)

    trial_days: int = Field(default=3, ge=1, le=90, validation_alias="TRIAL_DAYS")
    trial_traffic_limit_bytes: int = Field(
        default=5 * 1024**3, ge=0, validation_alias="TRIAL_TRAFFIC_LIMIT_BYTES"
    )
    trial_device_limit: int | None = Field(
        default=1, ge=1, validation_alias="TRIAL_DEVICE_LIMIT"
    )
    trial_squad_uuids: Annotated[list[UUID], NoDecode] = Field(
        default_factory=list, validation_alias="TRIAL_SQUAD_UUIDS"
    )
    referral_bonus_days: int = Field(
        default=7, ge=0, le=365, validation_alias="REFERRAL_BONUS_DAYS"
    )
    provisioning_alert_minutes: int = Field(
        default=15, ge=1, le=1440, validation_alias="PROVISIONING_ALERT_MINUTES"
    )

    _split = field_validator("trial_squad_uuids", mode="before")(_split_csv)


class Settings(BaseModel):
    app: AppSettings = Field(default_factory=AppSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    jwt: JwtSettings = Field(default_factory=JwtSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    http: HttpSettings = Field(default_factory=HttpSettings)
    rate_limit: RateLimitSettings = Field(default_factory=RateLimitSettings)
    remnawave: RemnawaveSettings = Field(default_factory=RemnawaveSettings)
    cryptobot: CryptoBotSettings = Field(default_factory=CryptoBotSettings)
    commerce: CommerceSettings = Field(default_factory=CommerceSettings)
    mail: MailSettings = Field(default_factory=MailSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    oauth: OAuthSettings = Field(default_factory=OAuthSettings)
    jobs: JobsSettings = Field(default_factory=JobsSettings)
    observability: ObservabilitySettings = Field(default_factory=ObservabilitySettings)

    model_config = {"arbitrary_types_allowed": True}

    @property
    def require_staff_2fa(self) -> bool:
        if self.security.staff_require_2fa is not None:
            return self.security.staff_require_2fa
        return not self.app.is_development

    @property
    def docs_enabled(self) -> bool:
        if self.http.docs_enabled is not None:
            return self.http.docs_enabled
        return self.app.is_development


class ConfigurationError(Exception):
    """The settings are not fit for the chosen environment."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"Configuration is not valid:\n{listing}")


def _is_weak(secret: str) -> bool:
    lowered = secret.lower()
    return len(secret) < MIN_SECRET_LENGTH or any(
        marker in lowered for marker in PLACEHOLDER_MARKERS
    )


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value else ""


def production_problems(settings: Settings) -> list[str]:
    """Every setting that is missing or unsafe outside development."""
    problems: list[str] = []
    if not settings.database.url:
        problems.append("DATABASE_URL is required")
    elif settings.database.is_sqlite:
        problems.append("DATABASE_URL must point to PostgreSQL, not SQLite")
    if not settings.redis.url:
        problems.append("REDIS_URL is required")
    jwt_secret = _secret(settings.jwt.secret)
    if not jwt_secret:
        problems.append("JWT_SECRET is required")
    elif _is_weak(jwt_secret):
        problems.append(
            f"JWT_SECRET must be at least {MIN_SECRET_LENGTH} random characters"
        )
    if any(_is_weak(s) for s in settings.jwt.previous_secrets):
        problems.append("JWT_PREVIOUS_SECRETS contains a weak or placeholder secret")
    encryption_key = _secret(settings.security.encryption_key)
    if not encryption_key:
        problems.append("ENCRYPTION_KEY is required (a Fernet key)")
    elif not _is_fernet_key(encryption_key):
        problems.append(
            "ENCRYPTION_KEY must be a Fernet key (32 url-safe base64 bytes)"
        )
    if not settings.remnawave.url:
        problems.append(
            "REMNAWAVE_URL is required (the sandbox panel is for development)"
        )
    remnawave_token = _secret(settings.remnawave.token)
    if not remnawave_token or _is_placeholder(remnawave_token):
        problems.append("REMNAWAVE_TOKEN is required")
    webhook_secret = _secret(settings.remnawave.webhook_secret)
    if not webhook_secret or _is_weak(webhook_secret):
        problems.append(
            "REMNAWAVE_WEBHOOK_SECRET is required: the panel's WEBHOOK_SECRET_HEADER "
            f"(at least {MIN_SECRET_LENGTH} random characters)"
        )
    telegram_token = _secret(settings.telegram.bot_token)
    if not telegram_token or _is_placeholder(telegram_token):
        problems.append(
            "TELEGRAM_BOT_TOKEN is required (the log sink is for development)"
        )
    if settings.telegram.admin_chat_id is None:
        problems.append("TELEGRAM_ADMIN_CHAT_ID is required for staff alerts")
    telegram_secret = _secret(settings.telegram.webhook_secret)
    if not telegram_secret or _is_weak(telegram_secret):
        problems.append(
            "TELEGRAM_WEBHOOK_SECRET is required: the bot's setWebhook secret_token "
            f"(at least {MIN_SECRET_LENGTH} random characters)"
        )
    if not settings.mail.host:
        problems.append(
            "SMTP_HOST is required: verification and password-reset mail must "
            "reach customers (the sandbox mailbox is for development)"
        )
    if not settings.mail.web_app_url.startswith("https://"):
        problems.append("WEB_APP_URL must be the https address of the web app")
    cryptobot_token = _secret(settings.cryptobot.token)
    if not cryptobot_token or _is_placeholder(cryptobot_token):
        problems.append("CRYPTOBOT_TOKEN is required")
    metrics_token = _secret(settings.observability.metrics_token)
    if not metrics_token or _is_weak(metrics_token):
        problems.append(
            "METRICS_TOKEN is required: Prometheus's bearer token for /metrics "
            f"(at least {MIN_SECRET_LENGTH} random characters)"
        )
    problems.extend(settings.oauth.problems())
    if any(not uri.startswith("https://") for uri in settings.oauth.redirect_uris):
        problems.append("OAUTH_REDIRECT_URIS must be https:// addresses")
    if not settings.http.cors_origins:
        problems.append("CORS_ORIGINS must list the allowed origins")
    elif any("*" in origin for origin in settings.http.cors_origins):
        problems.append("CORS_ORIGINS must not contain a wildcard")
    sec = settings.security
    if (
        sec.password_hash_memory_kib < OWASP_MIN_MEMORY_KIB
        or sec.password_hash_time_cost < OWASP_MIN_TIME_COST
    ):
        problems.append(
            "PASSWORD_HASH_* must be at least the OWASP minimum "
            f"(memory {OWASP_MIN_MEMORY_KIB} KiB, time cost {OWASP_MIN_TIME_COST})"
        )
    return problems


def _is_placeholder(value: str) -> bool:
    return any(marker in value.lower() for marker in PLACEHOLDER_MARKERS)


def _is_fernet_key(value: str) -> bool:
    try:
        Fernet(value.encode())
    except ValueError:
        return False
    return True


def _development_secrets(data_dir: Path) -> dict[str, str]:
    """Secrets generated on first run and kept in a private local file."""
    path = data_dir / "secrets.json"
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        return stored
    data_dir.mkdir(parents=True, exist_ok=True)
    generated = {
        "jwt_secret": secrets.token_urlsafe(48),
        "encryption_key": Fernet.generate_key().decode(),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(generated, handle)
    return generated


def apply_development_defaults(settings: Settings) -> Settings:
    """Fill what development may leave unset: the SQLite file, local secrets, CORS."""
    data_dir = settings.app.data_dir
    if not settings.database.url:
        settings.database.url = f"sqlite+aiosqlite:///{data_dir / 'cybervpn.db'}"
    if settings.jwt.secret is None or settings.security.encryption_key is None:
        generated = _development_secrets(data_dir)
        if settings.jwt.secret is None:
            settings.jwt.secret = SecretStr(generated["jwt_secret"])
        if settings.security.encryption_key is None:
            settings.security.encryption_key = SecretStr(generated["encryption_key"])
    if settings.remnawave.webhook_secret is None:
        # The sandbox panel signs with it; it lives as long as the process.
        settings.remnawave.webhook_secret = SecretStr(secrets.token_hex(24))
    if settings.telegram.webhook_secret is None:
        # The sandbox Bot API sends it with its updates; it lives as long as the
        # process.
        settings.telegram.webhook_secret = SecretStr(secrets.token_hex(24))
    if not settings.http.cors_origins:
        settings.http.cors_origins = [
            "http://localhost:3000",
            "http://localhost:5173",
            "http://127.0.0.1:3000",
            "http://127.0.0.1:5173",
        ]
    return settings


def multi_process_problems(settings: Settings) -> list[str]:
    """Several API processes share nothing in memory: the database, limits, jobs,
    tickets, the panel and the payment provider must all live outside them."""
    if settings.app.workers == 1:
        return []
    problems = []
    if settings.database.is_sqlite:
        problems.append("WEB_CONCURRENCY > 1 needs PostgreSQL (DATABASE_URL)")
    if not settings.redis.url:
        problems.append("WEB_CONCURRENCY > 1 needs REDIS_URL")
    if not settings.remnawave.url:
        problems.append("WEB_CONCURRENCY > 1 needs a real panel (REMNAWAVE_URL)")
    if settings.cryptobot.token is None:
        problems.append("WEB_CONCURRENCY > 1 needs CRYPTOBOT_TOKEN")
    return problems


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, checked for the chosen environment."""
    settings = Settings(**overrides)
    if settings.app.is_development:
        settings = apply_development_defaults(settings)
        problems = multi_process_problems(settings) + settings.oauth.problems()
    else:  # production demands all that several processes need, and more
        problems = production_problems(settings)
    if problems:
        raise ConfigurationError(problems)
    return settings
