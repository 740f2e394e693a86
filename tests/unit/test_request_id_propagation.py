"""One request id across the processes: outgoing calls carry it as X-Request-ID and
background jobs as a label the worker logs under."""

import asyncio
import contextvars
from typing import Any
from uuid import uuid4

import pytest
import respx
import structlog
from taskiq import InMemoryBroker

from cybervpn.infrastructure.jobs.broker import (
    PROCESS_TASK,
    JobContext,
    TaskiqDispatcher,
)
from cybervpn.infrastructure.remnawave.transport import create_http_client
from cybervpn.infrastructure.request_id import bind_request_id, current_request_id

pytestmark = pytest.mark.unit


@respx.mock
async def test_outgoing_calls_carry_the_request_id() -> None:
    route = respx.get("https://panel.example/api/users").respond(200, json={})
    client = create_http_client(
        base_url="https://panel.example",
        token="t",
        timeout_seconds=1,
        max_connections=1,
    )

    async def call(request_id: str | None) -> None:
        structlog.contextvars.clear_contextvars()
        if request_id:
            structlog.contextvars.bind_contextvars(request_id=request_id)
        await client.get("/api/users")

    async with client:
        await asyncio.create_task(call("req-42"))
        await asyncio.create_task(call(None))
    first, second = (c.request.headers.get("x-request-id") for c in route.calls)
    assert (first, second) == ("req-42", None)


async def test_a_job_is_kicked_with_the_request_id_as_a_label() -> None:
    broker = InMemoryBroker()
    seen: list[dict[str, Any]] = []

    @broker.task(task_name=PROCESS_TASK)
    async def record(message_ids: list[str], context: JobContext) -> None:
        seen.append(dict(context.message.labels))

    await broker.startup()

    async def dispatch_in_a_request() -> None:
        bind_request_id("req-7")
        await TaskiqDispatcher(broker).dispatch([uuid4()])

    # Its own context, as a request's: the job cannot inherit the id from it.
    await asyncio.create_task(dispatch_in_a_request(), context=contextvars.Context())
    await broker.wait_all()
    await broker.shutdown()
    assert seen and seen[0]["request_id"] == "req-7"


def test_a_job_logs_under_the_request_id_it_was_kicked_with() -> None:
    def run() -> tuple[str | None, str | None]:
        bind_request_id("req-9")
        with_id = current_request_id()
        bind_request_id(None)  # a job the sweep kicked, outside any request
        return with_id, current_request_id()

    assert contextvars.Context().run(run) == ("req-9", None)
