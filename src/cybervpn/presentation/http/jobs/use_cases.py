"""The jobs context's use cases (outbox and notifications), one dependency each."""

from typing import Annotated

from fastapi import Depends

from cybervpn.application.jobs.list_outbox_messages import ListOutboxMessages
from cybervpn.application.jobs.retry_outbox_message import RetryOutboxMessage
from cybervpn.application.notifications.list_notifications import ListNotifications
from cybervpn.presentation.http.dependencies import ContainerDep, UowDep


async def get_list_outbox_messages(uow: UowDep) -> ListOutboxMessages:
    return ListOutboxMessages(uow)


async def get_retry_outbox_message(uow: UowDep, c: ContainerDep) -> RetryOutboxMessage:
    return RetryOutboxMessage(uow=uow, clock=c.clock, dispatcher=c.dispatcher)


async def get_list_notifications(uow: UowDep) -> ListNotifications:
    return ListNotifications(uow)


ListOutboxMessagesDep = Annotated[ListOutboxMessages, Depends(get_list_outbox_messages)]
RetryOutboxMessageDep = Annotated[RetryOutboxMessage, Depends(get_retry_outbox_message)]
ListNotificationsDep = Annotated[ListNotifications, Depends(get_list_notifications)]
