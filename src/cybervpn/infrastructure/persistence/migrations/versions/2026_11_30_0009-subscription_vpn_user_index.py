"""Subscriptions found by their VPN user: panel notices reach the account.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 16:00:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subscriptions_vpn_user_id"), ["vpn_user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscriptions_vpn_user_id"))
