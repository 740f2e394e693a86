"""The panel's webhook signature: lowercase hex HMAC-SHA256 of the raw body, keyed
by the shared secret. The timestamp is not signed (see the freshness check)."""

import hashlib
import hmac


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_authentic(secret: str | None, body: bytes, signature: str | None) -> bool:
    # Headers arrive as latin-1 text: anything outside ASCII cannot be our hex
    # digest, and compare_digest refuses non-ASCII str.
    if not secret or not signature or not signature.isascii():
        return False
    return hmac.compare_digest(sign(secret, body), signature.strip().lower())
