"""Queueing a notification: the row and its delivery job in the caller's
transaction, so a committed change always gets its notification."""

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.jobs.outbox import OutboxMessage
from cybervpn.domain.notifications.notification import DELIVER_TOPIC, Notification


def enqueue_notification(uow: UnitOfWork, notification: Notification) -> None:
    uow.notifications.add(notification)
    uow.outbox.add(delivery_job(notification))


def delivery_job(notification: Notification) -> OutboxMessage:
    return OutboxMessage.new(
        DELIVER_TOPIC,
        {"notification_id": str(notification.id)},
        now=notification.created_at,
    )
