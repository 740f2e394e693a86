"""Paid payments not yet provisioned, indexed apart: the stalled-provisioning alert
and the metrics read them without scanning every paid payment.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 18:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNPROVISIONED = sa.text("status = 'paid' AND provisioned_at IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_payments_unprovisioned",
        "payments",
        ["paid_at"],
        unique=False,
        postgresql_where=UNPROVISIONED,
        sqlite_where=UNPROVISIONED,
    )


def downgrade() -> None:
    op.drop_index("ix_payments_unprovisioned", table_name="payments")
