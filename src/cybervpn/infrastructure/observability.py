"""Tracing and error reporting, both optional extras, loaded only when configured."""

from importlib.metadata import version as package_version
from typing import TYPE_CHECKING, Protocol

from cybervpn.config import ConfigurationError, Environment, ObservabilitySettings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine
    from taskiq import TaskiqMiddleware


class Tracing(Protocol):
    """What the composition roots use of `tracing.Tracing` (importable without
    the extra)."""

    def fastapi_telemetry(self) -> dict[str, object]: ...
    def trace_engine(self, engine: "AsyncEngine") -> None: ...
    def taskiq_middleware(self) -> "TaskiqMiddleware": ...
    def shutdown(self) -> None: ...


def load_tracing(settings: ObservabilitySettings, service: str) -> Tracing | None:
    if not settings.tracing_enabled:
        return None
    try:
        from cybervpn.infrastructure.tracing import start_tracing  # noqa: PLC0415
    except ImportError as error:
        raise ConfigurationError(
            [
                "TRACING_ENABLED needs the tracing extra "
                f"(pip install 'cybervpn[tracing]'): {error.name} is missing"
            ]
        ) from error
    return start_tracing(service)


def start_error_reporting(
    settings: ObservabilitySettings, environment: Environment, service: str
) -> bool:
    """Sentry, when SENTRY_DSN is set: unhandled errors of the API, the worker and
    the scheduler, without personal data. True when it started."""
    if settings.sentry_dsn is None:
        return False
    try:
        import sentry_sdk  # noqa: PLC0415
    except ImportError as error:
        raise ConfigurationError(
            ["SENTRY_DSN needs the sentry extra (pip install 'cybervpn[sentry]')"]
        ) from error
    sentry_sdk.init(
        dsn=settings.sentry_dsn.get_secret_value(),
        environment=environment.value,
        release=f"cybervpn@{package_version('cybervpn')}",
        server_name=service,
        # Personal data (headers, cookies, users, IPs) stays out: the SDK's
        # default, so no option is set for it.
        traces_sample_rate=settings.sentry_traces_sample_rate,
    )
    sentry_sdk.set_tag("service", service)
    return True
