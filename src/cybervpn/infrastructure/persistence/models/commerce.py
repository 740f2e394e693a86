"""Plans, subscriptions and payments."""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from cybervpn.infrastructure.persistence.base import Base, Money


class PlanModel(Base):
    __tablename__ = "plans"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    description: Mapped[str] = mapped_column(Text)
    duration_days: Mapped[int] = mapped_column(Integer)
    traffic_limit_bytes: Mapped[int] = mapped_column(BigInteger)
    traffic_limit_strategy: Mapped[str] = mapped_column(String(16))
    device_limit: Mapped[int | None] = mapped_column(Integer)
    squad_uuids: Mapped[list[str]] = mapped_column(JSON)
    price: Mapped[Decimal] = mapped_column(Money(12, 2))
    price_stars: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, index=True)
    sort_order: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SubscriptionModel(Base):
    __tablename__ = "subscriptions"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), unique=True
    )
    plan_id: Mapped[UUID | None] = mapped_column(ForeignKey("plans.id"))
    expires_at: Mapped[datetime] = mapped_column(index=True)
    traffic_limit_bytes: Mapped[int] = mapped_column(BigInteger)
    traffic_limit_strategy: Mapped[str] = mapped_column(String(16))
    device_limit: Mapped[int | None] = mapped_column(Integer)
    squad_uuids: Mapped[list[str]] = mapped_column(JSON)
    is_trial: Mapped[bool] = mapped_column(Boolean)
    trial_started_at: Mapped[datetime | None]
    vpn_user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    vpn_short_uuid: Mapped[str | None] = mapped_column(String(64))
    subscription_url: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    provisioned_version: Mapped[int] = mapped_column(Integer)
    last_reminder: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # A Telegram Stars subscription renewing it: first charge, payer, whether on.
    stars_charge_id: Mapped[str | None] = mapped_column(String(255))
    stars_payer_id: Mapped[int | None] = mapped_column(BigInteger)
    auto_renew: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class PaymentModel(Base):
    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("provider", "invoice_id", name="uq_payments_invoice"),
        UniqueConstraint("telegram_charge_id", name="uq_payments_telegram_charge"),
        # Reconciliation and the stalled-provisioning alert scan by status.
        Index("ix_payments_status_created", "status", "created_at"),
        # Paid but not provisioned: the stalled-provisioning alert and the
        # metrics read only these few rows, however many payments there are.
        Index(
            "ix_payments_unprovisioned",
            "paid_at",
            postgresql_where=text("status = 'paid' AND provisioned_at IS NULL"),
            sqlite_where=text("status = 'paid' AND provisioned_at IS NULL"),
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="RESTRICT"), index=True
    )
    plan_id: Mapped[UUID] = mapped_column(
        ForeignKey("plans.id", ondelete="RESTRICT"), index=True
    )
    provider: Mapped[str] = mapped_column(String(32))
    invoice_id: Mapped[int | None] = mapped_column(BigInteger)
    pay_url: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(Money(12, 2))
    currency: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    promo_code_id: Mapped[UUID | None] = mapped_column(index=True)
    bonus_days: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    paid_asset: Mapped[str | None] = mapped_column(String(16))
    paid_amount: Mapped[Decimal | None] = mapped_column(Money(36, 18))
    provisioned_at: Mapped[datetime | None]
    provisioning_alerted_at: Mapped[datetime | None]
    flag: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    # Stars: the charge that paid it (a second payment with it is refused) and
    # the Telegram user who paid.
    telegram_charge_id: Mapped[str | None] = mapped_column(String(255))
    payer_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    refunded_at: Mapped[datetime | None]
    # Stars: a subscription link (renews monthly), and the payment a renewal renews.
    auto_renew: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    renews_payment_id: Mapped[UUID | None] = mapped_column(ForeignKey("payments.id"))


class PromoCodeModel(Base):
    __tablename__ = "promo_codes"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal] = mapped_column(Money(12, 2))
    valid_from: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    max_uses: Mapped[int | None] = mapped_column(Integer)
    max_uses_per_account: Mapped[int] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]


class ReferralCodeModel(Base):
    __tablename__ = "referral_codes"

    account_id: Mapped[UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(16), unique=True)


class ReferralModel(Base):
    __tablename__ = "referrals"

    referee_id: Mapped[UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    referrer_id: Mapped[UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]
    rewarded_at: Mapped[datetime | None]
    reward_days: Mapped[int] = mapped_column(Integer)
    applied_at: Mapped[datetime | None]


class TrialClaimModel(Base):
    """A verified contact (digest) that had the free trial."""

    __tablename__ = "trial_claims"

    contact_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    claimed_at: Mapped[datetime]
