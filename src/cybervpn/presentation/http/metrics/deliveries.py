"""Webhook deliveries counted by source and outcome, refusals included."""

from collections.abc import Awaitable

from cybervpn.domain.common.errors import DomainError
from cybervpn.domain.webhooks.delivery import DeliveryOutcome
from cybervpn.infrastructure.metrics.instruments import WEBHOOK_DELIVERIES


async def counted_delivery(
    source: str, receiving: Awaitable[DeliveryOutcome]
) -> DeliveryOutcome:
    try:
        outcome = await receiving
    except DomainError:  # not authentic, stale or malformed: refused (4xx)
        WEBHOOK_DELIVERIES.labels(source, DeliveryOutcome.REJECTED.value).inc()
        raise
    WEBHOOK_DELIVERIES.labels(source, outcome.value).inc()
    return outcome
