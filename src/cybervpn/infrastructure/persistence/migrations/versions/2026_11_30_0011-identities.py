"""Linked identities (Telegram, GitHub, Google); accounts without e-mail or password;
Telegram ids given at sign-up kept apart as unverified.

`accounts.telegram_id` now holds only a Telegram id the customer proved (a signed
Telegram login); the ids typed in at sign-up move to `unverified_telegram_id` and are
never messaged.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 19:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.add_column(
            sa.Column("unverified_telegram_id", sa.BigInteger(), nullable=True)
        )
        batch_op.alter_column("email", existing_type=sa.String(320), nullable=True)
        batch_op.alter_column(
            "password_hash", existing_type=sa.String(255), nullable=True
        )
    op.execute(
        "UPDATE accounts SET unverified_telegram_id = telegram_id, telegram_id = NULL"
    )
    op.create_table(
        "identities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("provider_user_id", sa.String(length=255), nullable=False),
        sa.Column("username", sa.String(length=255), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("email_verified", sa.Boolean(), nullable=False),
        sa.Column("language_code", sa.String(length=16), nullable=True),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_identities_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identities")),
        sa.UniqueConstraint(
            "provider", "provider_user_id", name="uq_identities_provider_user"
        ),
        sa.UniqueConstraint(
            "account_id", "provider", name="uq_identities_account_provider"
        ),
    )


def downgrade() -> None:
    # The old schema cannot hold a Telegram-only or OAuth-only customer: refuse
    # rather than delete paying customers.
    without_login = op.get_bind().scalar(
        sa.text(
            "SELECT count(*) FROM accounts WHERE email IS NULL OR password_hash IS NULL"
        )
    )
    if without_login:
        raise RuntimeError(
            f"{without_login} accounts have no e-mail or password; "
            "revision 0010 cannot hold them"
        )
    op.drop_table("identities")
    op.execute(
        "UPDATE accounts SET telegram_id = unverified_telegram_id "
        "WHERE telegram_id IS NULL AND unverified_telegram_id IS NOT NULL "
        "AND unverified_telegram_id NOT IN "
        "(SELECT telegram_id FROM accounts WHERE telegram_id IS NOT NULL)"
    )
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.alter_column(
            "password_hash", existing_type=sa.String(255), nullable=False
        )
        batch_op.alter_column("email", existing_type=sa.String(320), nullable=False)
        batch_op.drop_column("unverified_telegram_id")
