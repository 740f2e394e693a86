"""Who had the free trial: one row per verified contact (a digest of the e-mail
address or the Telegram id), so a second account with the same contact gets none.

Accounts that already had a trial claim their verified contacts here.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 23:55:00.000000+00:00
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trial_claims",
        sa.Column("contact_digest", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_trial_claims_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contact_digest", name=op.f("pk_trial_claims")),
    )
    _claim_earlier_trials()


def _claim_earlier_trials() -> None:
    """The verified contacts of accounts that already had a trial (the digest as
    `trial_contacts` makes it, written out here: a migration never changes)."""
    had_trial = sa.text(
        "SELECT a.id, a.email, a.email_verified_at, a.telegram_id "
        "FROM accounts a JOIN subscriptions s ON s.account_id = a.id "
        "WHERE s.trial_started_at IS NOT NULL"
    )
    claims = sa.table(
        "trial_claims",
        sa.column("contact_digest", sa.String),
        sa.column("account_id", sa.Uuid),
        sa.column("claimed_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    rows, seen = [], set()
    for account_id, email, verified_at, telegram_id in op.get_bind().execute(had_trial):
        contacts = []
        if email is not None and verified_at is not None:
            contacts.append(f"email:{email}")
        if telegram_id is not None:
            contacts.append(f"telegram:{telegram_id}")
        for contact in contacts:
            digest = hashlib.sha256(contact.encode()).hexdigest()
            if digest not in seen:
                seen.add(digest)
                rows.append(
                    {
                        "contact_digest": digest,
                        "account_id": account_id,
                        "claimed_at": now,
                    }
                )
    if rows:
        op.bulk_insert(claims, rows)


def downgrade() -> None:
    op.drop_table("trial_claims")
