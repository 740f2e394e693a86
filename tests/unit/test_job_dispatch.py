"""Dispatching outbox messages: several per kick, each run whatever the others do."""

from types import SimpleNamespace
from uuid import UUID, uuid4

import pytest
from taskiq import InMemoryBroker

from cybervpn.application.jobs.process_outbox_message import Outcome
from cybervpn.config import RedisSettings, Settings
from cybervpn.infrastructure.jobs.broker import (
    MESSAGES_PER_KICK,
    TaskiqDispatcher,
    create_broker,
)

pytestmark = pytest.mark.unit


class Processor:
    def __init__(self, failing: UUID) -> None:
        self.seen: list[UUID] = []
        self._failing = failing

    async def execute(self, message_id: UUID) -> Outcome:
        self.seen.append(message_id)
        if message_id == self._failing:
            raise ConnectionError("the database went away")
        return Outcome.DONE


async def test_a_failing_message_does_not_stop_the_rest_of_its_kick() -> None:
    broker = create_broker(Settings(redis=RedisSettings(url=None)))
    assert isinstance(broker, InMemoryBroker)
    ids = [uuid4() for _ in range(MESSAGES_PER_KICK + 2)]
    processor = Processor(failing=ids[1])
    broker.state.runtime = SimpleNamespace(processor=processor)
    await broker.startup()
    try:
        await TaskiqDispatcher(broker).dispatch(ids)
        await broker.wait_all()
    finally:
        await broker.shutdown()
    assert sorted(processor.seen) == sorted(ids)
