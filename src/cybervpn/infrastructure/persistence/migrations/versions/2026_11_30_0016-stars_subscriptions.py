"""Telegram Stars subscriptions: payments bought as one (and the renewals they
bring), and the subscription each renews.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 23:45:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch_op:
        batch_op.add_column(
            sa.Column(
                "auto_renew", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(sa.Column("renews_payment_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_payments_renews_payment_id_payments"),
            "payments",
            ["renews_payment_id"],
            ["id"],
        )
    with op.batch_alter_table("subscriptions") as batch_op:
        batch_op.add_column(
            sa.Column("stars_charge_id", sa.String(length=255), nullable=True)
        )
        batch_op.add_column(sa.Column("stars_payer_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "auto_renew", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch_op:
        batch_op.drop_column("auto_renew")
        batch_op.drop_column("stars_payer_id")
        batch_op.drop_column("stars_charge_id")
    with op.batch_alter_table("payments") as batch_op:
        batch_op.drop_constraint(
            op.f("fk_payments_renews_payment_id_payments"), type_="foreignkey"
        )
        batch_op.drop_column("renews_payment_id")
        batch_op.drop_column("auto_renew")
