"""Telegram Stars: plans' Stars prices; payments' Telegram charge (unique) and
payer.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 23:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch_op:
        batch_op.add_column(sa.Column("price_stars", sa.Integer(), nullable=True))
    with op.batch_alter_table("payments") as batch_op:
        batch_op.add_column(
            sa.Column("telegram_charge_id", sa.String(length=255), nullable=True)
        )
        batch_op.add_column(
            sa.Column("payer_telegram_id", sa.BigInteger(), nullable=True)
        )
        batch_op.create_unique_constraint(
            "uq_payments_telegram_charge", ["telegram_charge_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch_op:
        batch_op.drop_constraint("uq_payments_telegram_charge", type_="unique")
        batch_op.drop_column("payer_telegram_id")
        batch_op.drop_column("telegram_charge_id")
    with op.batch_alter_table("plans") as batch_op:
        batch_op.drop_column("price_stars")
