"""The webhook log (inbox) with its deduplication key.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 12:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("event", sa.String(length=96), nullable=True),
        sa.Column("dedupe_key", sa.String(length=255), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint("provider", "dedupe_key", name="uq_webhook_deliveries_key"),
    )
    with op.batch_alter_table("webhook_deliveries") as batch_op:
        for column in ("provider", "event", "outcome", "received_at"):
            batch_op.create_index(
                batch_op.f(f"ix_webhook_deliveries_{column}"), [column], unique=False
            )


def downgrade() -> None:
    op.drop_table("webhook_deliveries")
