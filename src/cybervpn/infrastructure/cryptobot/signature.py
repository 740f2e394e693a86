"""Crypto Pay webhook signatures: HMAC-SHA256 of the raw body, keyed with the
SHA-256 digest (raw bytes) of the app token, sent as hex in
`crypto-pay-api-signature`."""

import hashlib
import hmac


def sign(token: str, body: bytes) -> str:
    key = hashlib.sha256(token.encode()).digest()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def is_authentic(token: str | None, body: bytes, signature: str | None) -> bool:
    # Headers arrive as latin-1 text: anything outside ASCII cannot be our hex
    # digest, and compare_digest refuses non-ASCII str.
    if not token or not signature or not signature.isascii():
        return False
    return hmac.compare_digest(sign(token, body), signature.strip().lower())
