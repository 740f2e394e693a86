"""The periodic sweep: recover stuck messages and run every due one."""

from collections import Counter
from dataclasses import dataclass

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWorkFactory
from cybervpn.application.jobs.process_outbox_message import (
    Outcome,
    ProcessOutboxMessage,
)

SWEEP_BATCH = 200


@dataclass(frozen=True, slots=True)
class SweepReport:
    released: int
    outcomes: dict[Outcome, int]


class SweepOutbox:
    """Messages whose dispatch was lost (a kick that never arrived, a worker that
    died) are found here: expired leases go back to pending, then every due message
    is processed, a batch at a time."""

    def __init__(
        self,
        *,
        uow_factory: UnitOfWorkFactory,
        processor: ProcessOutboxMessage,
        clock: Clock,
    ) -> None:
        self._uow_factory = uow_factory
        self._processor = processor
        self._clock = clock

    async def execute(self) -> SweepReport:
        async with self._uow_factory() as uow:
            released = await uow.outbox.release_expired(now=self._clock.now())
            due = await uow.outbox.due_ids(now=self._clock.now(), limit=SWEEP_BATCH)
            await uow.commit()
        outcomes: Counter[Outcome] = Counter()
        for message_id in due:
            outcomes[await self._processor.execute(message_id)] += 1
        return SweepReport(released=released, outcomes=dict(outcomes))
