"""The webhooks context's use cases, one dependency each."""

from datetime import timedelta
from typing import Annotated

from fastapi import Depends

from cybervpn.application.webhooks.list_webhook_log import ListWebhookLog
from cybervpn.application.webhooks.receive_panel_webhook import ReceivePanelWebhook
from cybervpn.presentation.http.dependencies import ContainerDep, UowDep


async def get_receive_panel_webhook(
    uow: UowDep, c: ContainerDep
) -> ReceivePanelWebhook:
    return ReceivePanelWebhook(
        uow=uow,
        clock=c.clock,
        feed=c.live_feed,
        freshness=timedelta(seconds=c.settings.remnawave.webhook_max_age_seconds),
    )


async def get_list_webhook_log(uow: UowDep) -> ListWebhookLog:
    return ListWebhookLog(uow)


ReceivePanelWebhookDep = Annotated[
    ReceivePanelWebhook, Depends(get_receive_panel_webhook)
]
ListWebhookLogDep = Annotated[ListWebhookLog, Depends(get_list_webhook_log)]
