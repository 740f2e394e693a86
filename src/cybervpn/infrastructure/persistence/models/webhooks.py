"""The webhook log (inbox)."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cybervpn.infrastructure.persistence.base import Base


class WebhookDeliveryModel(Base):
    __tablename__ = "webhook_deliveries"
    # One processed delivery per natural key; rejected and duplicate rows have none.
    __table_args__ = (
        UniqueConstraint("provider", "dedupe_key", name="uq_webhook_deliveries_key"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(32), index=True)
    event: Mapped[str | None] = mapped_column(String(96), index=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(255))
    outcome: Mapped[str] = mapped_column(String(16), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(index=True)
