"""The `cybervpn` command: run the service and operate it."""

import asyncio
import json
from importlib.metadata import version as package_version
from typing import Annotated

import typer
import uvicorn
from fastapi import FastAPI

from cybervpn.application.identity.create_account import CreateAccount
from cybervpn.application.identity.dtos import AccountView
from cybervpn.config import ConfigurationError, Settings, load_settings
from cybervpn.domain.audit.entry import AuditOrigin
from cybervpn.domain.common.errors import DomainError
from cybervpn.domain.identity.password_policy import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
)
from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.logs import configure_logging
from cybervpn.infrastructure.metrics.worker_endpoint import serve_metrics
from cybervpn.infrastructure.observability import start_error_reporting
from cybervpn.infrastructure.persistence import migrator
from cybervpn.infrastructure.persistence.database import connection_limit
from cybervpn.infrastructure.persistence.unit_of_work import SqlUnitOfWork
from cybervpn.presentation.http.app import create_app
from cybervpn.presentation.http.container import open_container

app = typer.Typer(help="CyberVPN backend.", no_args_is_help=True)
# The most of the server's connections one service's pools may take; the rest is
# for the other services, migrations and an operator's psql.
CONNECTION_SHARE = 0.8


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"cybervpn {package_version('cybervpn')}")
        raise typer.Exit


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """CyberVPN backend."""


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigurationError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(code=2) from None


def api_process_app() -> FastAPI:
    """The app of one of several API processes (uvicorn imports it by name)."""
    settings = load_settings()
    _configure_logging(settings, "api")
    return create_app(settings)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (PORT, else 8000)")] = None,
) -> None:
    """Run the API, in WEB_CONCURRENCY processes. In development the embedded
    database is migrated first."""
    settings = _settings()
    _configure_logging(settings, "api")
    if settings.app.is_development:
        migrator.upgrade(settings.database.url)
    workers = settings.app.workers
    uvicorn.run(
        create_app(settings)
        if workers == 1
        else "cybervpn.presentation.cli:api_process_app",
        factory=workers > 1,
        workers=workers,
        host=host or settings.app.host,
        port=port or settings.app.port,
        loop="uvloop",
        http="httptools",
        proxy_headers=False,  # the app applies TRUSTED_PROXIES itself
        access_log=False,
        server_header=False,
        log_config=None,
        timeout_graceful_shutdown=20,
        # A process takes seconds to start on a small machine; the default of 5 s
        # had it killed and restarted while it was still starting.
        timeout_worker_healthcheck=30,
    )


def _configure_logging(settings: Settings, service: str) -> None:
    """Logs, and error reports when SENTRY_DSN is set, for a long-running process."""
    configure_logging(
        settings.app.log_level, json=not settings.app.is_development, service=service
    )
    start_error_reporting(settings.observability, settings.app.environment, service)


def _start_job_process(service: str) -> Settings:
    """A worker or scheduler shares the Redis queue with the api; without Redis
    there is nothing to share, so it refuses before it starts."""
    settings = _settings()
    if not settings.redis.url:
        typer.echo(
            "REDIS_URL is required for a separate worker or scheduler; "
            "in development jobs run inside `cybervpn serve`.",
            err=True,
        )
        raise typer.Exit(code=2)
    _configure_logging(settings, service)
    return settings


@app.command()
def worker(
    processes: Annotated[int, typer.Option(help="Worker processes")] = 2,
) -> None:
    """Run background jobs from the Redis queue (outbox, notifications)."""
    from taskiq.cli.worker.args import WorkerArgs
    from taskiq.cli.worker.run import run_worker

    settings = _start_job_process("worker")
    observability = settings.observability
    if observability.worker_metrics_port is not None:
        token = observability.metrics_token
        serve_metrics(
            observability.worker_metrics_host,
            observability.worker_metrics_port,
            token.get_secret_value() if token else None,
        )
    args = WorkerArgs.from_cli(
        [
            "cybervpn.infrastructure.jobs.worker:create_worker_broker",
            "--workers",
            str(processes),
            "--no-configure-logging",
        ]
    )
    raise typer.Exit(code=run_worker(args) or 0)


@app.command()
def scheduler() -> None:
    """Enqueue periodic jobs (the outbox sweep). Run exactly one per deployment."""
    from taskiq.cli.scheduler.args import SchedulerArgs
    from taskiq.cli.scheduler.run import run_scheduler

    from cybervpn.infrastructure.jobs.worker import create_scheduler

    _start_job_process("scheduler")
    schedule = create_scheduler()
    asyncio.run(
        run_scheduler(
            SchedulerArgs(scheduler=schedule, modules=[], configure_logging=False)
        )
    )


@app.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Only check: exit 1 when the database is behind or ahead of the code",
        ),
    ] = False,
) -> None:
    """Upgrade the database schema (run before starting new code)."""
    settings = _settings()
    if check:
        _check_schema(settings.database.url)
        return
    migrator.upgrade(settings.database.url, revision)
    typer.echo(f"Database migrated to {revision}.")


def _check_schema(database_url: str) -> None:
    state = migrator.schema_state(database_url)
    if state.up_to_date:
        typer.echo(f"Database is at {state.head}, as the code expects.")
        return
    if state.unknown:
        typer.echo(
            f"Database is at {', '.join(state.unknown)}, which this code does not "
            f"know (it expects {state.head}): it is ahead.",
            err=True,
        )
    else:
        at = ", ".join(state.current) or "no revision"
        typer.echo(
            f"Database is at {at}; the code expects {state.head}: run "
            "`cybervpn migrate`.",
            err=True,
        )
    raise typer.Exit(code=1)


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(help="Login e-mail")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="Password (prompted when omitted)",
        ),
    ],
    role: Annotated[Role, typer.Option(help="Staff role")] = Role.SUPER_ADMIN,
) -> None:
    """Create a staff account from the console (how the first admin is made)."""
    if not role.is_staff:
        typer.echo("Role must be a staff role.", err=True)
        raise typer.Exit(code=2)
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        typer.echo(
            f"Password must be {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} "
            "characters.",
            err=True,
        )
        raise typer.Exit(code=2)
    settings = _settings()
    if settings.app.is_development:
        migrator.upgrade(settings.database.url)
    try:
        account = asyncio.run(_create_account(settings, email, password, role))
    except DomainError as error:
        typer.echo(f"Not created: {error}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"Created {account.role.value} {account.email} ({account.id}).")


async def _create_account(
    settings: Settings, email: str, password: str, role: Role
) -> AccountView:
    async with (
        open_container(settings) as container,
        container.session_factory() as session,
    ):
        return await CreateAccount(
            uow=SqlUnitOfWork(session),
            hasher=container.password_hasher,
            clock=container.clock,
        ).execute(
            actor=None,
            email=email,
            password=password,
            role=role,
            origin=AuditOrigin(user_agent="cybervpn create-admin"),
        )


@app.command()
def openapi() -> None:
    """Print the OpenAPI document (the contract in docs/openapi.json)."""
    from cybervpn.presentation.http.app import contract_document

    typer.echo(json.dumps(contract_document(), indent=2, sort_keys=True))


@app.command()
def ping() -> None:
    """Exit 0 when the database (and Redis, when configured) answer: the health
    check of the worker and the scheduler, which serve no HTTP."""
    settings = _settings()
    try:
        asyncio.run(_ping(settings))
    except Exception as error:  # noqa: BLE001 - any failure means "unhealthy"
        typer.echo(f"Unhealthy: {type(error).__name__}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo("ok")


async def _ping(settings: Settings) -> None:
    from sqlalchemy import text

    from cybervpn.infrastructure.persistence.database import create_engine
    from cybervpn.infrastructure.redis.client import create_redis

    engine = create_engine(settings.database)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
    if settings.redis.url:
        redis = create_redis(settings.redis.url)
        try:
            await redis.ping()
        finally:
            await redis.aclose()


@app.command("check-config")
def check_config(
    processes: Annotated[
        int | None,
        typer.Option(
            help="Processes of the service these settings are for "
            "(default WEB_CONCURRENCY; the worker's --processes)",
            min=1,
        ),
    ] = None,
) -> None:
    """Validate the settings for the configured environment; non-zero if unfit.
    On PostgreSQL, also check that the service's pools fit the server's
    max_connections with margin."""
    settings = _settings()
    typer.echo(f"Configuration is valid for {settings.app.environment.value}.")
    if settings.database.is_sqlite:
        return
    database = settings.database
    planned = (processes or settings.app.workers) * database.connections_per_process
    try:
        available = asyncio.run(connection_limit(database))
    except Exception as error:  # noqa: BLE001 - any failure means "cannot check"
        typer.echo(
            f"Cannot read the database's max_connections: {type(error).__name__}",
            err=True,
        )
        raise typer.Exit(code=1) from None
    typer.echo(
        f"Database connections: this service may open {planned} of the "
        f"{available} the server allows (max_connections less its reserve); "
        "the other services' pools share the rest."
    )
    if planned > CONNECTION_SHARE * available:
        typer.echo(
            f"Too many: keep one service under {CONNECTION_SHARE:.0%} of them "
            "(processes x (DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW + "
            "DATABASE_LOOKUP_POOL_SIZE)).",
            err=True,
        )
        raise typer.Exit(code=1)
