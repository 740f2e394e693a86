"""Delivering one notification (the outbox handler of `notification.deliver`)."""

from typing import Any
from uuid import UUID

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.application.notifications.ports import (
    Mail,
    Mailer,
    Messenger,
    SealedLinks,
)
from cybervpn.application.notifications.templates import render, subject
from cybervpn.domain.identity.account import Account
from cybervpn.domain.notifications.notification import (
    LINK_PATH,
    SEALED_TOKEN,
    Audience,
    Channel,
    DeliveryError,
    Notification,
    NotificationStatus,
)


class DeliverNotification:
    """Business rules:
    - a staff alert goes to the staff chat; a customer notification goes to every
      channel the customer proved is theirs (the Telegram chat they signed in
      with, the e-mail address they verified), each as a row of its own, so one
      channel failing never sends another twice;
    - a link (verification, password reset) goes to the address it names, and
      its token is stored encrypted and dropped once sent;
    - sent or failed notifications are never sent again; a permanent failure (no
      channel, blocked bot, refused address) is recorded at once, a transient one
      is retried by the outbox and recorded as failed when the outbox gives up.
    """

    def __init__(
        self,
        *,
        messenger: Messenger,
        mailer: Mailer,
        links: SealedLinks,
        web_app_url: str,
        staff_chat_id: int | None,
        clock: Clock,
    ) -> None:
        self._messenger = messenger
        self._mailer = mailer
        self._links = links
        self._web_app_url = web_app_url.rstrip("/")
        self._staff_chat_id = staff_chat_id
        self._clock = clock

    async def handle(
        self, uow: UnitOfWork, payload: dict[str, Any], *, attempt: int
    ) -> None:
        notification = await self._pending(uow, payload)
        if notification is None:
            return
        notification.attempts = attempt
        account = (
            None
            if notification.account_id is None
            else await uow.accounts.get(notification.account_id)
        )
        if notification.channel is None:
            channels = self._channels(notification, account)
            if not channels:
                await self._fail(uow, notification, "no verified channel")
                return
            notification.channel = channels[0]
            for other in channels[1:]:
                enqueue_notification(uow, notification.copy_for(other))
        try:
            if notification.channel is Channel.EMAIL:
                await self._mail(notification, account)
            else:
                await self._message(notification, account)
        except DeliveryError as error:
            if error.permanent:
                await self._fail(uow, notification, error.reason)
                return
            raise
        notification.payload.pop(SEALED_TOKEN, None)
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

    def _channels(
        self, notification: Notification, account: Account | None
    ) -> list[Channel]:
        if notification.email is not None:
            return [Channel.EMAIL]
        if notification.chat_id is not None or notification.audience is Audience.STAFF:
            return [Channel.TELEGRAM]
        if account is None:
            return []
        channels = []
        if account.telegram_id is not None:
            channels.append(Channel.TELEGRAM)
        if account.email is not None and account.email_verified_at is not None:
            channels.append(Channel.EMAIL)
        return channels

    async def _message(
        self, notification: Notification, account: Account | None
    ) -> None:
        chat_id = notification.chat_id
        if chat_id is None:
            chat_id = (
                self._staff_chat_id
                if notification.audience is Audience.STAFF
                else None
                if account is None
                else account.telegram_id
            )
        if chat_id is None:
            raise DeliveryError("no Telegram chat to deliver to", permanent=True)
        await self._messenger.send(chat_id, self._text(notification, account))

    async def _mail(self, notification: Notification, account: Account | None) -> None:
        address = notification.email
        if address is None and account is not None and account.email_verified_at:
            address = account.email
        if address is None:
            raise DeliveryError("no verified e-mail address", permanent=True)
        await self._mailer.send(
            Mail(
                to=address,
                subject=subject(notification.template, _language(account)),
                text=self._text(notification, account),
                message_id=f"<{notification.id}@cybervpn>",
            )
        )

    def _text(self, notification: Notification, account: Account | None) -> str:
        payload = dict(notification.payload)
        sealed = payload.pop(SEALED_TOKEN, None)
        if isinstance(sealed, str):
            token = self._links.decrypt(sealed)
            payload["link"] = (
                f"{self._web_app_url}{payload.get(LINK_PATH)}?token={token}"
            )
        return render(notification.template, payload, _language(account))

    @staticmethod
    async def _pending(uow: UnitOfWork, payload: dict[str, Any]) -> Notification | None:
        notification = await uow.notifications.get(UUID(payload["notification_id"]))
        if (
            notification is None
            or notification.status is not NotificationStatus.PENDING
        ):
            return None
        return notification

    @staticmethod
    async def _fail(uow: UnitOfWork, notification: Notification, reason: str) -> None:
        notification.payload.pop(SEALED_TOKEN, None)
        notification.status = NotificationStatus.FAILED
        notification.last_error = reason[:1000]
        await uow.notifications.save(notification)


def _language(account: Account | None) -> str | None:
    return None if account is None else account.language
