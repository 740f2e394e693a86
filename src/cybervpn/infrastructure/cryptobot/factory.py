"""Building the payment provider: Crypto Pay, or the sandbox in process."""

import secrets
from dataclasses import dataclass

import httpx

from cybervpn.config import CryptoBotSettings
from cybervpn.infrastructure.cryptobot.client import CryptoPayClient, create_http_client
from cybervpn.infrastructure.sandbox.cryptobot.app import create_sandbox_cryptopay
from cybervpn.infrastructure.sandbox.cryptobot.state import CryptoPayState

SANDBOX_BASE_URL = "http://sandbox-cryptopay.local/api"


@dataclass(slots=True)
class PaymentConnection:
    provider: CryptoPayClient
    token: str  # also the webhook signing key's source
    sandbox: CryptoPayState | None = None


def connect_payments(settings: CryptoBotSettings) -> PaymentConnection:
    """Without a token (development only: production refuses to start without
    one) the sandbox serves the same HTTP contract through httpx's ASGI transport,
    with a token made up for this process."""
    sandbox: CryptoPayState | None = None
    transport: httpx.AsyncBaseTransport | None = None
    base_url = settings.api_url
    if settings.token is None:
        token = secrets.token_hex(24)
        sandbox = CryptoPayState()
        transport = httpx.ASGITransport(
            app=create_sandbox_cryptopay(sandbox, token=token)
        )
        base_url = SANDBOX_BASE_URL
    else:
        token = settings.token.get_secret_value()
    client = create_http_client(
        base_url=base_url,
        token=token,
        timeout_seconds=settings.timeout_seconds,
        transport=transport,
    )
    return PaymentConnection(
        CryptoPayClient(client, accepted_assets=settings.accepted_assets),
        token,
        sandbox,
    )
