"""What waits to be done, for the operators' metrics and alerts."""

from dataclasses import dataclass

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.common.backlog import Backlog
from cybervpn.domain.jobs.outbox import OutboxStatus


@dataclass(frozen=True, slots=True)
class OperationsBacklog:
    outbox: dict[OutboxStatus, Backlog]
    paid_unprovisioned: Backlog


class ReadBacklog:
    """Business rule: money must turn into access. Unfinished background jobs and
    payments paid but not yet provisioned are read together, so one scrape shows
    whether anything is stuck and since when."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self) -> OperationsBacklog:
        return OperationsBacklog(
            outbox=await self._uow.outbox.backlog(),
            paid_unprovisioned=await self._uow.payments.unprovisioned_backlog(),
        )
