"""Staff view of the notification queue (failed deliveries with their reasons)."""

from collections.abc import Sequence

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.notifications.notification import (
    Notification,
    NotificationFilter,
)


class ListNotifications:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, notification_filter: NotificationFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Notification], int]:
        return await self._uow.notifications.list(
            notification_filter, limit=limit, offset=offset
        )
