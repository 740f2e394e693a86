"""Telling an account that a sign-in was linked to it or unlinked from it."""

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.identity import Identity
from cybervpn.domain.notifications.notification import (
    Audience,
    Notification,
    Template,
)


def notify_account(
    uow: UnitOfWork,
    clock: Clock,
    account: Account,
    template: Template,
    identity: Identity,
    *,
    chat_id: int | None = None,
) -> None:
    enqueue_notification(
        uow,
        Notification(
            audience=Audience.CUSTOMER,
            account_id=account.id,
            chat_id=chat_id,
            template=template,
            payload={
                "provider": identity.provider.value,
                "username": identity.username,
            },
            created_at=clock.now(),
        ),
    )
