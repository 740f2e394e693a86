"""The notification queue in SQL."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import ColumnElement, delete, insert
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.notifications.notification import (
    Audience,
    Channel,
    Notification,
    NotificationFilter,
    NotificationStatus,
    Template,
)
from cybervpn.infrastructure.persistence.models.jobs import NotificationModel
from cybervpn.infrastructure.persistence.repositories.pagination import paginate
from cybervpn.infrastructure.persistence.statements import table_of

N = NotificationModel


def _to_entity(row: NotificationModel) -> Notification:
    return Notification(
        id=row.id,
        audience=Audience(row.audience),
        account_id=row.account_id,
        chat_id=row.chat_id,
        template=Template(row.template),
        payload=row.payload,
        status=NotificationStatus(row.status),
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=row.created_at,
        sent_at=row.sent_at,
        channel=None if row.channel is None else Channel(row.channel),
        email=row.email,
    )


def _columns(notification: Notification) -> dict[str, object]:
    return {
        "id": notification.id,
        "audience": notification.audience.value,
        "account_id": notification.account_id,
        "chat_id": notification.chat_id,
        "template": notification.template.value,
        "payload": notification.payload,
        "status": notification.status.value,
        "attempts": notification.attempts,
        "last_error": notification.last_error,
        "created_at": notification.created_at,
        "sent_at": notification.sent_at,
        "channel": None if notification.channel is None else notification.channel.value,
        "email": notification.email,
    }


class SqlNotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, notification: Notification) -> None:
        self._session.add(N(**_columns(notification)))

    async def add_all(self, notifications: Sequence[Notification]) -> None:
        if notifications:
            await self._session.execute(
                insert(table_of(N)), [_columns(n) for n in notifications]
            )

    async def erase_for(self, account_id: UUID) -> None:
        await self._session.execute(
            delete(NotificationModel).where(NotificationModel.account_id == account_id)
        )

    async def get(self, notification_id: UUID) -> Notification | None:
        row = await self._session.get(N, notification_id, populate_existing=True)
        return None if row is None else _to_entity(row)

    async def save(self, notification: Notification) -> None:
        await self._session.merge(N(**_columns(notification)))

    async def list(
        self, notification_filter: NotificationFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Notification], int]:
        conditions: list[ColumnElement[bool]] = []
        if notification_filter.status is not None:
            conditions.append(N.status == notification_filter.status.value)
        if notification_filter.account_id is not None:
            conditions.append(N.account_id == notification_filter.account_id)
        return await paginate(
            self._session,
            N,
            conditions,
            newest_first=N.created_at,
            to_entity=_to_entity,
            limit=limit,
            offset=offset,
        )
