"""The sandbox panel's webhook emitter: deliveries in the background, and a drain
that waits for them (the tests before each reset, the app at shutdown)."""

import asyncio
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from cybervpn.infrastructure.sandbox.remnawave.webhooks import SandboxWebhookEmitter

pytestmark = pytest.mark.unit


@contextmanager
def fails_after(seconds: float) -> Iterator[None]:
    """A drain that never yields can't be timed out on the event loop it holds;
    a signal still reaches the main thread between two bytecodes."""

    def stuck(_signal: int, _frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _emitter_with_one_event() -> tuple[SandboxWebhookEmitter, list[bytes]]:
    received: list[bytes] = []

    async def panel_webhook_endpoint(request: httpx.Request) -> httpx.Response:
        received.append(request.content)
        return httpx.Response(200)

    state = PanelState()
    state.create_user(
        {"username": "drained", "expire_at": datetime.now(UTC) + timedelta(days=1)}
    )
    client = httpx.AsyncClient(
        transport=httpx.MockTransport(panel_webhook_endpoint), base_url="http://app"
    )
    return SandboxWebhookEmitter(state, "s" * 32, client), received


async def test_a_drain_that_starts_as_a_delivery_ends_waits_and_returns() -> None:
    emitter, received = _emitter_with_one_event()
    emitter.schedule()
    # The delivery runs and ends in the step before this test resumes, and the
    # loop's bookkeeping of its end is queued after this test's step.
    await asyncio.sleep(0)
    with fails_after(5):
        await emitter.drain()
    assert len(received) == 1
    await emitter.aclose()
