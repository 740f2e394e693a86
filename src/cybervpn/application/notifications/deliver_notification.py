"""Delivering one notification (the outbox handler of `notification.deliver`)."""

from typing import Any
from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.notifications.ports import Messenger
from cybervpn.application.notifications.templates import render
from cybervpn.domain.notifications.notification import (
    Audience,
    DeliveryError,
    Notification,
    NotificationStatus,
)


class DeliverNotification:
    """A customer notification goes to the account's Telegram chat, a staff alert to
    the staff chat. Sent or failed notifications are never sent again. A permanent
    failure (no chat, blocked bot) is recorded at once; a transient one is retried
    by the outbox and recorded as failed when the outbox gives up."""

    def __init__(
        self, *, messenger: Messenger, staff_chat_id: int | None, clock: Clock
    ) -> None:
        self._messenger = messenger
        self._staff_chat_id = staff_chat_id
        self._clock = clock

    async def handle(
        self, uow: UnitOfWork, payload: dict[str, Any], *, attempt: int
    ) -> None:
        notification = await self._pending(uow, payload)
        if notification is None:
            return
        notification.attempts = attempt
        chat_id = await self._chat_for(uow, notification)
        if chat_id is None:
            await self._fail(uow, notification, "no Telegram chat to deliver to")
            return
        try:
            await self._messenger.send(
                chat_id, render(notification.template, notification.payload)
            )
        except DeliveryError as error:
            if error.permanent:
                await self._fail(uow, notification, error.reason)
                return
            raise
        notification.status = NotificationStatus.SENT
        notification.sent_at = self._clock.now()
        notification.last_error = None
        await uow.notifications.save(notification)

    async def give_up(
        self, uow: UnitOfWork, payload: dict[str, Any], *, error: str, attempts: int
    ) -> None:
        notification = await self._pending(uow, payload)
        if notification is not None:
            notification.attempts = attempts
            await self._fail(uow, notification, error)

    @staticmethod
    async def _pending(uow: UnitOfWork, payload: dict[str, Any]) -> Notification | None:
        notification = await uow.notifications.get(UUID(payload["notification_id"]))
        if (
            notification is None
            or notification.status is not NotificationStatus.PENDING
        ):
            return None
        return notification

    async def _chat_for(
        self, uow: UnitOfWork, notification: Notification
    ) -> int | None:
        if notification.chat_id is not None:
            return notification.chat_id
        if notification.audience is Audience.STAFF:
            return self._staff_chat_id
        if notification.account_id is None:
            return None
        account = await uow.accounts.get(notification.account_id)
        return None if account is None else account.telegram_id

    @staticmethod
    async def _fail(uow: UnitOfWork, notification: Notification, reason: str) -> None:
        notification.status = NotificationStatus.FAILED
        notification.last_error = reason[:1000]
        await uow.notifications.save(notification)
