"""Staff view of the webhook log."""

from collections.abc import Sequence

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.webhooks.delivery import WebhookDelivery, WebhookLogFilter


class ListWebhookLog:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, log_filter: WebhookLogFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[WebhookDelivery], int]:
        return await self._uow.webhook_log.list(log_filter, limit=limit, offset=offset)
