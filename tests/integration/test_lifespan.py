"""The app's lifespan closes what it opened, whatever fails on the way."""

from collections.abc import Callable
from typing import Any

import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy.ext.asyncio import AsyncEngine
from taskiq import AsyncBroker

from cybervpn.config import Settings
from cybervpn.infrastructure.group_commit import GroupCommit
from cybervpn.infrastructure.jobs import broker as broker_module
from cybervpn.presentation.http import container as container_module
from cybervpn.presentation.http.app import create_app

pytestmark = pytest.mark.integration


@pytest.fixture
def closed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of what was closed, in order: the engine and the crediting batches."""
    calls: list[str] = []

    def recording(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        async def close(self: Any, *args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return await original(self, *args, **kwargs)

        return close

    monkeypatch.setattr(
        AsyncEngine, "dispose", recording("engine", AsyncEngine.dispose)
    )
    monkeypatch.setattr(
        GroupCommit, "aclose", recording("crediting batch", GroupCommit.aclose)
    )
    return calls


def _broker_failing_at(step: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The job broker (Redis or in memory, by backend) fails at `step`."""
    original = broker_module.create_broker

    def create_broker(settings: Settings) -> AsyncBroker:
        broker = original(settings)

        async def broken() -> None:
            raise RuntimeError(f"broker cannot {step}")

        setattr(broker, step, broken)
        return broker

    monkeypatch.setattr(container_module, "create_broker", create_broker)


async def test_a_failing_start_closes_what_was_opened_before_it(
    settings: Settings, closed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _broker_failing_at("startup", monkeypatch)
    with pytest.raises(RuntimeError, match="broker cannot startup"):
        async with LifespanManager(create_app(settings)):
            pass  # pragma: no cover - never reached
    # Both crediting batches (Stars', opened last, closes first), then the engine.
    assert closed == ["crediting batch", "crediting batch", "engine"]


async def test_a_failing_close_does_not_skip_the_others(
    settings: Settings, closed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _broker_failing_at("shutdown", monkeypatch)
    with pytest.raises(RuntimeError, match="broker cannot shutdown"):
        async with LifespanManager(create_app(settings)):
            pass
    # Both crediting batches (Stars', opened last, closes first), then the engine.
    assert closed == ["crediting batch", "crediting batch", "engine"]
