"""The webhook log in SQL. The first delivery of a key wins through the database's
unique constraint (INSERT ... ON CONFLICT DO NOTHING), also under concurrency."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import ColumnElement, update
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.webhooks.delivery import (
    DeliveryOutcome,
    WebhookDelivery,
    WebhookLogFilter,
)
from cybervpn.infrastructure.persistence.models.webhooks import WebhookDeliveryModel
from cybervpn.infrastructure.persistence.repositories.pagination import paginate
from cybervpn.infrastructure.persistence.statements import insert_or_skip, table_of

W = WebhookDeliveryModel
_KEY = ("provider", "dedupe_key")


def _values(delivery: WebhookDelivery) -> dict[str, object]:
    return {
        "id": delivery.id,
        "provider": delivery.provider,
        "event": delivery.event,
        "dedupe_key": delivery.dedupe_key,
        "outcome": delivery.outcome.value,
        "error": delivery.error,
        "payload": delivery.payload,
        "received_at": delivery.received_at,
    }


def _to_entity(row: WebhookDeliveryModel) -> WebhookDelivery:
    return WebhookDelivery(
        id=row.id,
        provider=row.provider,
        event=row.event,
        dedupe_key=row.dedupe_key,
        outcome=DeliveryOutcome(row.outcome),
        error=row.error,
        payload=row.payload,
        received_at=row.received_at,
    )


class SqlWebhookLogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record_first(self, delivery: WebhookDelivery) -> bool:
        return delivery.id in await self.record_firsts([delivery])

    async def record_firsts(self, deliveries: Sequence[WebhookDelivery]) -> set[UUID]:
        # Inserted in key order, so concurrent batches wait on each other's keys in
        # one order and never deadlock.
        ordered = sorted(deliveries, key=lambda delivery: delivery.dedupe_key or "")
        inserted = await self._session.scalars(
            insert_or_skip(self._session, table_of(W), conflict=_KEY).returning(
                table_of(W).c.id
            ),
            [_values(delivery) for delivery in ordered],
        )
        return set(inserted)

    def add(self, delivery: WebhookDelivery) -> None:
        self._session.add(W(**_values(delivery)))

    async def save(self, delivery: WebhookDelivery) -> None:
        await self._session.execute(
            update(W)
            .where(W.id == delivery.id)
            .values(outcome=delivery.outcome.value, error=delivery.error)
        )

    async def list(
        self, log_filter: WebhookLogFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[WebhookDelivery], int]:
        conditions: list[ColumnElement[bool]] = []
        if log_filter.provider is not None:
            conditions.append(W.provider == log_filter.provider)
        if log_filter.event is not None:
            conditions.append(W.event == log_filter.event)
        if log_filter.outcome is not None:
            conditions.append(W.outcome == log_filter.outcome.value)
        return await paginate(
            self._session,
            W,
            conditions,
            newest_first=W.received_at,
            to_entity=_to_entity,
            limit=limit,
            offset=offset,
        )
