"""When a payment was refunded.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 23:30:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch_op:
        batch_op.add_column(
            sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    # The old code knows no refunded payment; calling one paid would give back
    # what was refunded. Refuse instead.
    refunded = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM payments WHERE status = 'refunded'")
    )
    if refunded:
        raise RuntimeError(
            f"{refunded} payments are refunded; revision 0014 cannot hold them"
        )
    with op.batch_alter_table("payments") as batch_op:
        batch_op.drop_column("refunded_at")
