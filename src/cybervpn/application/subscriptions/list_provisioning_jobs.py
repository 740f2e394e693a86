"""Staff see what provisioning waits on or failed."""

from collections.abc import Sequence

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.jobs.outbox import OutboxFilter, OutboxMessage, OutboxStatus
from cybervpn.domain.subscriptions.subscription import PROVISION_TOPIC


class ListProvisioningJobs:
    """Unfinished jobs by default (pending, processing, dead)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, status: OutboxStatus | None, *, limit: int, offset: int
    ) -> tuple[Sequence[OutboxMessage], int]:
        return await self._uow.outbox.list(
            OutboxFilter(
                status=status, topic=PROVISION_TOPIC, unfinished=status is None
            ),
            limit=limit,
            offset=offset,
        )
