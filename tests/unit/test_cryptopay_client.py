"""The Crypto Pay client against a fake API (respx): the contract and failures."""

import hashlib
import hmac
import json
from decimal import Decimal

import httpx
import pytest
import respx

from cybervpn.application.billing.ports import InvoiceRequest
from cybervpn.domain.billing.payment import PaymentProviderUnavailableError
from cybervpn.infrastructure.cryptobot.client import CryptoPayClient, create_http_client
from cybervpn.infrastructure.cryptobot.schemas import parse_update
from cybervpn.infrastructure.cryptobot.signature import is_authentic, sign

BASE = "https://pay.example.test/api"
TOKEN = "1234:AAtest"
REQUEST = InvoiceRequest(
    amount=Decimal("4.99"),
    currency="USD",
    payload="order-1",
    description="CyberVPN",
    expires_in_seconds=3600,
)


def _client() -> CryptoPayClient:
    http = create_http_client(base_url=BASE, token=TOKEN, timeout_seconds=2)
    return CryptoPayClient(http, accepted_assets=["USDT", "TON"])


def _invoice(invoice_id: int, status: str = "active") -> dict[str, object]:
    return {
        "invoice_id": invoice_id,
        "status": status,
        "currency_type": "fiat",
        "fiat": "USD",
        "amount": "4.99",
        "payload": "order-1",
        "bot_invoice_url": f"https://t.me/CryptoBot?start={invoice_id}",
    }


@respx.mock
async def test_create_invoice_sends_a_fiat_invoice_with_a_string_amount() -> None:
    route = respx.post(f"{BASE}/createInvoice").respond(
        json={"ok": True, "result": _invoice(7)}
    )
    issued = await _client().create_invoice(REQUEST)
    assert issued.invoice_id == 7 and issued.pay_url.endswith("start=7")
    sent = route.calls.last.request
    assert sent.headers["Crypto-Pay-API-Token"] == TOKEN
    body = json.loads(sent.content)
    assert body["amount"] == "4.99" and body["currency_type"] == "fiat"
    assert body["fiat"] == "USD" and body["accepted_assets"] == "USDT,TON"
    assert body["payload"] == "order-1" and body["expires_in"] == 3600


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, json={"ok": False, "error": {"code": 401, "name": "X"}}),
        httpx.Response(500, text="oops"),
        httpx.Response(200, json={"ok": True, "result": {"unexpected": 1}}),
    ],
)
@respx.mock
async def test_refusals_and_odd_answers_mean_unavailable(
    response: httpx.Response,
) -> None:
    respx.post(f"{BASE}/createInvoice").mock(return_value=response)
    with pytest.raises(PaymentProviderUnavailableError):
        await _client().create_invoice(REQUEST)


@respx.mock
async def test_reads_are_retried_and_batched_by_one_hundred() -> None:
    calls = {"n": 0}

    def answer(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            raise httpx.ConnectError("refused")
        ids = json.loads(request.content)["invoice_ids"].split(",")
        items = [_invoice(int(i), "paid") for i in ids]
        return httpx.Response(200, json={"ok": True, "result": {"items": items}})

    respx.post(f"{BASE}/getInvoices").mock(side_effect=answer)
    found = await _client().invoices(list(range(1, 151)))
    assert [i.invoice_id for i in found] == list(range(1, 151))
    assert found[0].amount == Decimal("4.99") and found[0].currency == "USD"
    assert calls["n"] == 3  # one refused and retried, then two batches


def test_webhook_signature_is_keyed_with_the_token_digest() -> None:
    body = b'{"update_id":1}'
    key = hashlib.sha256(TOKEN.encode()).digest()
    expected = hmac.new(key, body, hashlib.sha256).hexdigest()
    assert sign(TOKEN, body) == expected
    assert is_authentic(TOKEN, body, expected.upper())
    assert not is_authentic(TOKEN, body + b" ", expected)
    assert not is_authentic(TOKEN, body, None)
    assert not is_authentic(None, body, expected)


def test_updates_parse_with_decimal_amounts_or_not_at_all() -> None:
    update = {
        "update_id": 5,
        "update_type": "invoice_paid",
        "request_date": "2026-11-22T12:00:00Z",
        "payload": _invoice(9, "paid")
        | {"paid_amount": "0.000123", "paid_asset": "BTC"},
    }
    parsed, logged = parse_update(json.dumps(update).encode())
    assert parsed is not None and logged is not None
    invoice = parsed.payload.to_domain()
    assert invoice.paid_amount == Decimal("0.000123") and invoice.amount == Decimal(
        "4.99"
    )
    assert parse_update(b"not json") == (None, None)
    assert parse_update(b'{"update_type": "invoice_paid"}') == (None, None)
