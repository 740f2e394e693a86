"""The outbox and the notification queue."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cybervpn.infrastructure.persistence.base import Base


class OutboxMessageModel(Base):
    __tablename__ = "outbox_messages"
    # The sweeper's scans: due pending rows, and processing rows by lease.
    __table_args__ = (
        Index("ix_outbox_messages_status_available", "status", "available_at"),
        Index("ix_outbox_messages_status_locked", "status", "locked_until"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    max_attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    available_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
    processed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class NotificationModel(Base):
    __tablename__ = "notifications"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    audience: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[UUID | None] = mapped_column(index=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    template: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(index=True)
    sent_at: Mapped[datetime | None]
    channel: Mapped[str | None] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(320))
