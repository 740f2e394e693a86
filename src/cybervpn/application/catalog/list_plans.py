"""Listing plans: the shop window and the staff catalog."""

from collections.abc import Sequence

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.catalog.plan import Plan


class ListPlans:
    """Customers see the active plans; staff see every plan."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, *, active_only: bool) -> Sequence[Plan]:
        return await self._uow.plans.list(active_only=active_only)
