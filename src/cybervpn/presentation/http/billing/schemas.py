"""Payment requests and responses. Amounts are decimal strings."""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from cybervpn.domain.billing.payment import PaymentStatus
from cybervpn.domain.webhooks.delivery import DeliveryOutcome
from cybervpn.presentation.http.bounds import TelegramId
from cybervpn.presentation.http.request_body import RequestBody


class InvoiceCreate(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "plan_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                    "promo_code": "WELCOME20",
                }
            ]
        },
    )

    plan_id: UUID
    promo_code: str | None = Field(default=None, min_length=1, max_length=64)


class StarsInvoiceCreate(InvoiceCreate):
    # A 30-day plan sold as a Stars subscription, charged again every 30 days.
    auto_renew: bool = False


class InvoiceResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "payment_id": "0b7c2c8e-8d8e-4a55-9a43-1f1b0f3f9a10",
                    "invoice_id": 1796055730697,
                    "pay_url": "https://t.me/CryptoBot?start=IVabcdef",
                    "amount": "3.99",
                    "currency": "USD",
                    "status": "pending",
                    "expires_at": "2026-12-01T12:00:00Z",
                }
            ]
        }
    )

    payment_id: UUID
    invoice_id: int
    pay_url: str
    amount: Decimal
    currency: str
    status: PaymentStatus
    expires_at: datetime | None


class PaymentResponse(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "0b7c2c8e-8d8e-4a55-9a43-1f1b0f3f9a10",
                    "account_id": "c4273ea1-af47-4613-9ee8-a0bcfa585a92",
                    "plan_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                    "provider": "cryptobot",
                    "invoice_id": 1796055730697,
                    "pay_url": "https://t.me/CryptoBot?start=IVabcdef",
                    "amount": "3.99",
                    "currency": "USD",
                    "status": "paid",
                    "created_at": "2026-12-01T11:00:00Z",
                    "expires_at": "2026-12-01T12:00:00Z",
                    "paid_at": "2026-12-01T11:02:13Z",
                    "paid_asset": "USDT",
                    "paid_amount": "3.99",
                    "provisioned_at": "2026-12-01T11:02:14Z",
                    "flag": None,
                }
            ]
        },
    )

    id: UUID
    account_id: UUID
    plan_id: UUID
    provider: str
    invoice_id: int | None
    pay_url: str | None
    amount: Decimal
    currency: str
    status: PaymentStatus
    created_at: datetime
    expires_at: datetime | None
    paid_at: datetime | None
    paid_asset: str | None
    paid_amount: Decimal | None
    provisioned_at: datetime | None
    flag: str | None
    # Stars: the charge that paid it, and the Telegram user who paid.
    telegram_charge_id: str | None = None
    payer_telegram_id: int | None = None
    refunded_at: datetime | None = None


class RefundRequest(RequestBody):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)


class StarsInvoiceResponse(BaseModel):
    """`invoice_link` opens in Telegram (`WebApp.openInvoice` in a Mini App)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "payment_id": "0b7c2c8e-8d8e-4a55-9a43-1f1b0f3f9a10",
                    "invoice_link": "https://t.me/$EgAAAHZ2",
                    "amount": 250,
                    "currency": "XTR",
                    "status": "pending",
                    "expires_at": "2026-12-01T12:00:00Z",
                }
            ]
        }
    )

    payment_id: UUID
    invoice_link: str
    amount: int  # whole Stars
    currency: str
    status: PaymentStatus
    expires_at: datetime | None


class SandboxStarsPaymentRequest(RequestBody):
    model_config = ConfigDict(extra="forbid")

    # Who pays in the sandbox: the customer's verified Telegram chat by default.
    telegram_id: TelegramId | None = None


class SandboxStarsPaymentResult(BaseModel):
    approved: bool  # our answer to Telegram's pre-checkout query
    refusal: str | None
    telegram_charge_id: str | None
    webhook_status: int | None
    webhook_outcome: DeliveryOutcome | None


class WebhookAck(BaseModel):
    status: DeliveryOutcome


class SandboxPaymentResult(BaseModel):
    invoice_id: int
    invoice_status: str
    webhook_status: int
    webhook_outcome: DeliveryOutcome | None


class AutoRenewRequest(RequestBody):
    model_config = ConfigDict(extra="forbid")

    enabled: bool


class AutoRenewResponse(BaseModel):
    auto_renew: bool
