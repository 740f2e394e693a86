"""When an account's e-mail was proved to be its owner's.

A sign-in with GitHub or Google whose verified e-mail matches an account links to
it only when that account's e-mail is verified too. Every existing e-mail was typed
in at sign-up, so none starts verified.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 22:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.add_column(
            sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.drop_column("email_verified_at")
