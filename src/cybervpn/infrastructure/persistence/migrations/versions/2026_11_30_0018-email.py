"""E-mail: links sent by mail, notifications per channel, the account's language.

`email_tokens` keeps a digest of each verification or password-reset link, with
when it expires and when it was used. A notification row now names its channel
(Telegram or e-mail) and, for mail to an address not yet verified, the address.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 23:40:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "email_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_email_tokens_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_tokens")),
        sa.UniqueConstraint("digest", name=op.f("uq_email_tokens_digest")),
    )
    op.create_index(op.f("ix_email_tokens_account_id"), "email_tokens", ["account_id"])
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.drop_column("email")
        batch_op.drop_column("channel")
    op.drop_index(op.f("ix_email_tokens_account_id"), table_name="email_tokens")
    op.drop_table("email_tokens")
