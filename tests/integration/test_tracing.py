"""With TRACING_ENABLED, one request is one trace: FastAPI's server span, and the
database statements under it. Off by default."""

from collections.abc import Callable
from typing import Any

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind

from cybervpn.config import ObservabilitySettings
from cybervpn.infrastructure import tracing
from tests.helpers import register

pytestmark = pytest.mark.integration


async def test_a_request_is_one_trace_with_its_database_statements(
    client_factory: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    exporter = InMemorySpanExporter()
    monkeypatch.setattr(tracing, "default_exporter", lambda: exporter)
    observability = ObservabilitySettings(tracing_enabled=True)
    async with client_factory(observability=observability) as (_app, client):
        response = await register(client, "traced@example.com")
        assert response.status_code == 201
    spans = exporter.get_finished_spans()  # flushed when the app stopped
    [server] = [s for s in spans if s.kind is SpanKind.SERVER]
    assert server.attributes is not None
    assert server.attributes.get("http.route") == "/api/v1/auth/register"
    assert server.resource.attributes["service.name"] == "cybervpn-api"
    statements = [
        s
        for s in spans
        if s.kind is SpanKind.CLIENT and s.attributes and "db.system" in s.attributes
    ]
    assert statements, [s.name for s in spans]
    assert {s.context.trace_id for s in statements} == {server.context.trace_id}


async def test_tracing_is_off_unless_enabled(
    client_factory: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    exporter = InMemorySpanExporter()
    monkeypatch.setattr(tracing, "default_exporter", lambda: exporter)
    async with client_factory() as (_app, client):
        assert (await client.get("/api/v1/plans")).status_code == 200
    assert exporter.get_finished_spans() == ()
