"""OpenTelemetry traces, when TRACING_ENABLED (the `tracing` extra): FastAPI's own
instrumentation for requests, SQLAlchemy, httpx (panel, Crypto Pay, Telegram),
Redis, and TaskIQ's middleware, which carries the trace from the api into the
worker. Spans go to an OTLP collector configured by the standard
OTEL_EXPORTER_OTLP_* variables.

Nothing here runs when tracing is off: the hot path stays as ADR 0003 measured it.
"""

from dataclasses import dataclass

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.redis import RedisInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from sqlalchemy.ext.asyncio import AsyncEngine
from taskiq import TaskiqMiddleware
from taskiq.middlewares.opentelemetry_middleware import OpenTelemetryMiddleware


def default_exporter() -> SpanExporter:
    return OTLPSpanExporter()


@dataclass(slots=True)
class Tracing:
    provider: TracerProvider

    def fastapi_telemetry(self) -> dict[str, object]:
        """FastAPI's native telemetry: request spans only (metrics are
        Prometheus's, logs are structlog's)."""
        return {
            "tracing": True,
            "metrics": False,
            "logs": False,
            "tracer_provider": self.provider,
        }

    def trace_engine(self, engine: AsyncEngine) -> None:
        SQLAlchemyInstrumentor().instrument(
            engine=engine.sync_engine,
            tracer_provider=self.provider,
            enable_commenter=False,
            # Its declared range stops below SQLAlchemy 2.1, whose engine events
            # it uses unchanged (the tracing test shows the statements' spans).
            skip_dep_check=True,
        )

    def taskiq_middleware(self) -> TaskiqMiddleware:
        return OpenTelemetryMiddleware(tracer_provider=self.provider)

    def shutdown(self) -> None:
        SQLAlchemyInstrumentor().uninstrument()
        HTTPXClientInstrumentor().uninstrument()
        RedisInstrumentor().uninstrument()
        self.provider.shutdown()


def start_tracing(service: str) -> Tracing:
    """Spans of this process, as `cybervpn-<service>`. Call before the HTTP and
    Redis clients are made: their instrumentation applies to new clients."""
    provider = TracerProvider(
        resource=Resource.create({"service.name": f"cybervpn-{service}"})
    )
    provider.add_span_processor(BatchSpanProcessor(default_exporter()))
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    RedisInstrumentor().instrument(tracer_provider=provider)
    return Tracing(provider)
