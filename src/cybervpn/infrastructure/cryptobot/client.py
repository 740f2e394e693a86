"""`PaymentProvider` over the Crypto Pay API: one long-lived httpx client.

Only reads are retried (with backoff): creating an invoice twice would not charge
twice, but would leave an orphan invoice, so a failed create is reported instead
(the payment is then marked failed and the customer sees 503).
"""

from collections.abc import Sequence
from typing import Any

import httpx
import structlog
from pydantic import BaseModel, ValidationError
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from cybervpn.application.billing.ports import InvoiceRequest, IssuedInvoice
from cybervpn.domain.billing.payment import (
    PaymentProviderUnavailableError,
    ProviderInvoice,
)
from cybervpn.infrastructure.cryptobot.schemas import CryptoPayInvoice
from cybervpn.infrastructure.request_id import send_request_id

log = structlog.get_logger("cybervpn.cryptobot")
MAX_IDS_PER_CALL = 100
READ_ATTEMPTS = 3


class _InvoiceList(BaseModel):
    items: list[CryptoPayInvoice]


def create_http_client(
    *,
    base_url: str,
    token: str,
    timeout_seconds: float,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url.rstrip("/") + "/",
        headers={"Crypto-Pay-API-Token": token, "User-Agent": "cybervpn-backend"},
        timeout=httpx.Timeout(timeout_seconds, connect=min(3.0, timeout_seconds)),
        transport=transport or httpx.AsyncHTTPTransport(retries=2),
        event_hooks={"request": [send_request_id]},
    )


class CryptoPayClient:
    def __init__(
        self, client: httpx.AsyncClient, *, accepted_assets: Sequence[str]
    ) -> None:
        self._client = client
        self._accepted_assets = ",".join(accepted_assets)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def create_invoice(self, request: InvoiceRequest) -> IssuedInvoice:
        body = {
            "currency_type": "fiat",
            "fiat": request.currency,
            "amount": str(request.amount),  # a string: floats lose cents
            "accepted_assets": self._accepted_assets,
            "payload": request.payload,
            "description": request.description[:1024],
            "expires_in": request.expires_in_seconds,
            "allow_comments": False,
        }
        result = await self._call("createInvoice", body)
        invoice = _parse(CryptoPayInvoice, result)
        url = invoice.bot_invoice_url or invoice.pay_url
        if url is None:
            raise PaymentProviderUnavailableError
        return IssuedInvoice(
            invoice_id=invoice.invoice_id,
            pay_url=url,
            expires_at=invoice.expiration_date,
        )

    async def invoices(self, invoice_ids: Sequence[int]) -> Sequence[ProviderInvoice]:
        found: list[ProviderInvoice] = []
        for start in range(0, len(invoice_ids), MAX_IDS_PER_CALL):
            chunk = invoice_ids[start : start + MAX_IDS_PER_CALL]
            body = {
                "invoice_ids": ",".join(str(i) for i in chunk),
                "count": len(chunk),
            }
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(READ_ATTEMPTS),
                wait=wait_exponential_jitter(multiplier=0.2, max=2.0),
                retry=retry_if_exception_type(PaymentProviderUnavailableError),
                reraise=True,
            ):
                with attempt:
                    result = await self._call("getInvoices", body)
            page = _parse(_InvoiceList, result)
            found.extend(item.to_domain() for item in page.items)
        return found

    async def _call(self, method: str, body: dict[str, Any]) -> Any:
        try:
            response = await self._client.post(method, json=body)
        except httpx.HTTPError as error:
            log.warning(
                "crypto pay unreachable", method=method, error=type(error).__name__
            )
            raise PaymentProviderUnavailableError from error
        try:
            envelope = response.json()
        except ValueError:
            envelope = None
        if not isinstance(envelope, dict) or envelope.get("ok") is not True:
            error_name = (envelope or {}).get("error", {}) if envelope else {}
            log.error(
                "crypto pay refused",
                method=method,
                status=response.status_code,
                error=error_name.get("name") if isinstance(error_name, dict) else None,
            )
            raise PaymentProviderUnavailableError
        return envelope.get("result")


def _parse[M: BaseModel](model: type[M], result: Any) -> M:
    try:
        return model.model_validate(result)
    except ValidationError as error:
        log.error("crypto pay answered an unexpected shape", model=model.__name__)
        raise PaymentProviderUnavailableError from error
