"""Service tokens (the bot's credentials), and the sessions they start.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 21:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "service_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["accounts.id"],
            name=op.f("fk_service_tokens_created_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_tokens")),
        sa.UniqueConstraint(
            "token_digest", name=op.f("uq_service_tokens_token_digest")
        ),
    )
    with op.batch_alter_table("auth_sessions") as batch_op:
        batch_op.add_column(sa.Column("service_token_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_auth_sessions_service_token_id_service_tokens"),
            "service_tokens",
            ["service_token_id"],
            ["id"],
        )
        batch_op.create_index(
            op.f("ix_auth_sessions_service_token_id"), ["service_token_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("auth_sessions") as batch_op:
        batch_op.drop_index(op.f("ix_auth_sessions_service_token_id"))
        batch_op.drop_constraint(
            op.f("fk_auth_sessions_service_token_id_service_tokens"),
            type_="foreignkey",
        )
        batch_op.drop_column("service_token_id")
    op.drop_table("service_tokens")
