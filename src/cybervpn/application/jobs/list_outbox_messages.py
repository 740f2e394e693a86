"""Staff view of the outbox: what is pending and what failed for good."""

from collections.abc import Sequence

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.jobs.outbox import OutboxFilter, OutboxMessage


class ListOutboxMessages:
    """Any topic, filterable by status and topic, newest first."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, outbox_filter: OutboxFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[OutboxMessage], int]:
        return await self._uow.outbox.list(outbox_filter, limit=limit, offset=offset)
