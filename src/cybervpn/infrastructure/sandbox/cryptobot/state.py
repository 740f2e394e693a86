"""The sandbox Crypto Pay's invoices, in memory."""

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter


class CryptoPayError(Exception):
    def __init__(self, status: int, name: str) -> None:
        super().__init__(name)
        self.status, self.name = status, name


@dataclass(slots=True, kw_only=True)
class Invoice:
    invoice_id: int
    hash: str
    fiat: str
    amount: Decimal
    accepted_assets: list[str]
    payload: str | None
    description: str | None
    created_at: datetime
    expiration_date: datetime | None
    status: str = "active"
    paid_at: datetime | None = None
    paid_asset: str | None = None
    paid_amount: Decimal | None = None


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


_INVOICES = TypeAdapter(dict[int, Invoice])


class CryptoPayState:
    invoices: dict[int, Invoice]

    def __init__(self) -> None:
        self.reset()

    def snapshot(self) -> bytes:
        return _INVOICES.dump_json(self.invoices)

    def restore(self, data: bytes) -> None:
        """Raises ValueError (pydantic's) for a file it cannot read."""
        self.invoices = _INVOICES.validate_json(data)

    def reset(self) -> None:
        self.outage = False  # tests: every request answers 503 while set
        self.invoices = {}
        # Invoices live in memory but payments in the database: ids start from the
        # clock so a restarted sandbox never reissues an id a payment already has.
        self._next_id = int(time.time() * 1000)

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

    def create_invoice(self, params: dict[str, Any]) -> Invoice:
        if params.get("currency_type") != "fiat" or not params.get("fiat"):
            raise CryptoPayError(400, "CURRENCY_TYPE_INVALID")
        try:
            amount = Decimal(str(params["amount"]))
        except (KeyError, ArithmeticError) as error:
            raise CryptoPayError(400, "AMOUNT_INVALID") from error
        if not amount.is_finite() or amount <= 0:
            raise CryptoPayError(400, "AMOUNT_INVALID")
        now = self.now()
        expires_in = params.get("expires_in")
        invoice = Invoice(
            invoice_id=self._next_id,
            hash=secrets.token_hex(6),
            fiat=str(params["fiat"]),
            amount=amount,
            accepted_assets=str(params.get("accepted_assets") or "USDT").split(","),
            payload=params.get("payload"),
            description=params.get("description"),
            created_at=now,
            expiration_date=(
                None if expires_in is None else now + timedelta(seconds=int(expires_in))
            ),
        )
        self._next_id += 1
        self.invoices[invoice.invoice_id] = invoice
        return invoice

    def refresh(self, invoice: Invoice) -> Invoice:
        """An active invoice past its expiration date is expired, as on Crypto Pay."""
        if (
            invoice.status == "active"
            and invoice.expiration_date is not None
            and invoice.expiration_date <= self.now()
        ):
            invoice.status = "expired"
        return invoice

    def find(self, invoice_ids: list[int]) -> list[Invoice]:
        return [
            self.refresh(self.invoices[i]) for i in invoice_ids if i in self.invoices
        ]

    def pay(self, invoice_id: int, asset: str | None = None) -> Invoice:
        invoice = self.invoices.get(invoice_id)
        if invoice is None:
            raise CryptoPayError(404, "INVOICE_NOT_FOUND")
        self.refresh(invoice)
        if invoice.status != "active":
            raise CryptoPayError(400, f"INVOICE_{invoice.status.upper()}")
        invoice.status, invoice.paid_at = "paid", self.now()
        invoice.paid_asset = asset or invoice.accepted_assets[0]
        invoice.paid_amount = invoice.amount  # the sandbox rate: 1 USD = 1 unit
        return invoice

    def expire(self, invoice_id: int) -> None:
        """Tests: the invoice's time runs out now."""
        self.invoices[invoice_id].expiration_date = self.now()

    def invoice_json(self, invoice: Invoice) -> dict[str, Any]:
        url = f"https://t.me/CryptoTestnetBot?start={invoice.hash}"
        body: dict[str, Any] = {
            "invoice_id": invoice.invoice_id,
            "hash": invoice.hash,
            "currency_type": "fiat",
            "fiat": invoice.fiat,
            "amount": str(invoice.amount),
            "accepted_assets": invoice.accepted_assets,
            "bot_invoice_url": url,
            "mini_app_invoice_url": url,
            "web_app_invoice_url": url,
            "description": invoice.description,
            "status": invoice.status,
            "created_at": _iso(invoice.created_at),
            "allow_comments": False,
            "allow_anonymous": True,
            "payload": invoice.payload,
        }
        if invoice.expiration_date is not None:
            body["expiration_date"] = _iso(invoice.expiration_date)
        if invoice.status == "paid":
            body |= {
                "paid_at": _iso(invoice.paid_at),
                "paid_asset": invoice.paid_asset,
                "paid_amount": str(invoice.paid_amount),
                "paid_fiat_rate": "1.00",
                "paid_anonymously": False,
            }
        return body

    def paid_update(self, invoice: Invoice) -> dict[str, Any]:
        return {
            "update_id": secrets.randbelow(2**31),
            "update_type": "invoice_paid",
            "request_date": _iso(self.now()),
            "payload": self.invoice_json(invoice),
        }
