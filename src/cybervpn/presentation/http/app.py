"""The FastAPI application factory."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi_offline import FastAPIOffline
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from cybervpn.config import (
    AppSettings,
    CryptoBotSettings,
    Environment,
    HttpSettings,
    Settings,
    load_settings,
)
from cybervpn.infrastructure.observability import load_tracing
from cybervpn.presentation.http.audit.router import router as audit_router
from cybervpn.presentation.http.billing.promo_router import router as promo_router
from cybervpn.presentation.http.billing.referral_router import (
    router as referral_router,
)
from cybervpn.presentation.http.billing.router import router as billing_router
from cybervpn.presentation.http.billing.sandbox_router import (
    router as sandbox_payments_router,
)
from cybervpn.presentation.http.billing.stars_sandbox_router import (
    router as sandbox_stars_router,
)
from cybervpn.presentation.http.billing.telegram_webhook_router import (
    router as telegram_webhook_router,
)
from cybervpn.presentation.http.billing.webhook_router import (
    router as payment_webhook_router,
)
from cybervpn.presentation.http.catalog.router import router as catalog_router
from cybervpn.presentation.http.container import open_container
from cybervpn.presentation.http.errors import register_error_handlers
from cybervpn.presentation.http.flat_routes import include_flat
from cybervpn.presentation.http.fleet.devices_router import router as devices_router
from cybervpn.presentation.http.fleet.monitoring_router import (
    router as monitoring_router,
)
from cybervpn.presentation.http.fleet.routing_router import router as routing_router
from cybervpn.presentation.http.fleet.servers_router import router as servers_router
from cybervpn.presentation.http.fleet.vpn_users_router import (
    router as vpn_users_router,
)
from cybervpn.presentation.http.health.router import router as health_router
from cybervpn.presentation.http.identity.admin_router import router as accounts_router
from cybervpn.presentation.http.identity.auth_router import router as auth_router
from cybervpn.presentation.http.identity.bot_router import router as bot_router
from cybervpn.presentation.http.identity.email_router import (
    router as email_router,
)
from cybervpn.presentation.http.identity.identities_router import (
    router as identities_router,
)
from cybervpn.presentation.http.identity.my_data_router import (
    router as my_data_router,
)
from cybervpn.presentation.http.identity.oauth_router import (
    router as oauth_router,
)
from cybervpn.presentation.http.identity.sandbox_router import (
    router as sandbox_telegram_router,
)
from cybervpn.presentation.http.identity.service_tokens_router import (
    router as service_tokens_router,
)
from cybervpn.presentation.http.identity.telegram_router import (
    router as telegram_auth_router,
)
from cybervpn.presentation.http.identity.two_factor_router import (
    router as two_factor_router,
)
from cybervpn.presentation.http.jobs.router import router as jobs_router
from cybervpn.presentation.http.metrics.requests import flushed_every_second
from cybervpn.presentation.http.metrics.router import router as metrics_router
from cybervpn.presentation.http.middleware import EdgeMiddleware, OnlyCorsRequests
from cybervpn.presentation.http.monitoring.router import router as live_feed_router
from cybervpn.presentation.http.notifications.sandbox_mail_router import (
    router as sandbox_mail_router,
)
from cybervpn.presentation.http.openapi import build_document, operation_id
from cybervpn.presentation.http.subscriptions.my_access_router import (
    router as my_access_router,
)
from cybervpn.presentation.http.subscriptions.router import (
    router as subscriptions_router,
)
from cybervpn.presentation.http.webhooks.router import router as webhooks_router

API_PREFIX = "/api/v1"
DOCS_STATIC_URL = "/docs/static"
CORS_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
CORS_HEADERS = ["Authorization", "Content-Type", "X-Request-ID"]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    tracing = load_tracing(settings.observability, "api")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            async with (
                open_container(settings, app, tracing) as container,
                flushed_every_second(),
            ):
                app.state.container = container
                # Everything built so far lives as long as the process: move it
                # out of the collector's reach, so full collections under load stay
                # short (p99 latency).
                gc.freeze()
                yield
        finally:
            if tracing is not None:
                tracing.shutdown()

    options: dict[str, Any] = {
        "title": "CyberVPN API",
        "version": "0.1.0",
        "lifespan": lifespan,
        # FastAPI's own OpenTelemetry, on only with TRACING_ENABLED: otherwise it
        # looks for providers on every request.
        "telemetry": (
            tracing.fastapi_telemetry()
            if tracing is not None
            else {"tracing": False, "metrics": False, "logs": False}
        ),
        "generate_unique_id_function": operation_id,
    }
    if settings.docs_enabled:
        # Swagger UI and ReDoc from the package's own files: the docs work
        # offline, and their Content-Security-Policy names no other host.
        app = FastAPIOffline(
            **options,
            static_url=DOCS_STATIC_URL,
            favicon_url="data:,",
        )
    else:
        app = FastAPI(**options, docs_url=None, redoc_url=None, openapi_url=None)
    register_error_handlers(app)
    app.openapi = lambda: build_document(app)  # type: ignore[method-assign]

    # Each context's routes are copied onto the app (flat_routes.py says why).
    # Routes are matched in order: the probes, then the busiest routes (the paid
    # webhooks, then the authenticated caller's own routes), and the interactive
    # docs, which FastAPI added first, last.
    docs_routes = list(app.router.routes)
    app.router.routes.clear()
    include_flat(app, health_router)
    include_flat(app, metrics_router)
    for router in (
        payment_webhook_router,
        telegram_webhook_router,
        webhooks_router,
        auth_router,
        email_router,
        my_data_router,
        telegram_auth_router,
        oauth_router,
        identities_router,
        bot_router,
        two_factor_router,
        accounts_router,
        service_tokens_router,
        audit_router,
        vpn_users_router,
        devices_router,
        servers_router,
        monitoring_router,
        routing_router,
        jobs_router,
        live_feed_router,
        catalog_router,
        subscriptions_router,
        my_access_router,
        billing_router,
        promo_router,
        referral_router,
        *_sandbox_routers(settings),
    ):
        include_flat(app, router, prefix=API_PREFIX)
    app.router.routes.extend(docs_routes)

    # add_middleware wraps: the last added runs first. Order on the way in: CORS
    # (answers preflights before anything else), trusted proxy headers (so the
    # client IP is right for everything after), then the edge (middleware.py).
    app.add_middleware(
        EdgeMiddleware,
        hsts=settings.app.environment is not Environment.DEVELOPMENT,
        max_body_bytes=settings.http.max_request_body_bytes,
        rate_limit=(
            (settings.rate_limit.requests, settings.rate_limit.window)
            if settings.rate_limit.enabled
            else None
        ),
    )
    if settings.http.trusted_proxies:
        app.add_middleware(
            ProxyHeadersMiddleware, trusted_hosts=settings.http.trusted_proxies
        )
    app.add_middleware(
        OnlyCorsRequests,
        allow_origins=settings.http.cors_origins,
        allow_methods=CORS_METHODS,
        allow_headers=CORS_HEADERS,
        expose_headers=["X-Request-ID", "Retry-After"],
        allow_credentials=True,
        max_age=600,
    )
    return app


def _sandbox_routers(settings: Settings) -> list[APIRouter]:
    """The development sandboxes' own endpoints, for what runs without its real
    service."""
    if not settings.app.is_development:
        return []
    routers = [sandbox_telegram_router]
    if settings.cryptobot.token is None:
        routers.append(sandbox_payments_router)
    if settings.telegram.bot_token is None:
        routers.append(sandbox_stars_router)
    if settings.mail.host is None:
        routers.append(sandbox_mail_router)
    return routers


def contract_document() -> dict[str, Any]:
    """The OpenAPI document of the embedded default (`docs/openapi.json`), the same
    whatever the environment it is generated in."""
    settings = Settings(
        app=AppSettings(environment=Environment.DEVELOPMENT),
        cryptobot=CryptoBotSettings(token=None),
        http=HttpSettings(docs_enabled=True),
    )
    return create_app(settings).openapi()
