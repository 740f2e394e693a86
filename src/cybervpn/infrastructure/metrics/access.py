"""Who may scrape: `Authorization: Bearer <METRICS_TOKEN>`, the API's and the
worker's rule alike."""

import hmac


def scrape_allowed(authorization: str | None, token: str | None) -> bool:
    """Open without a token (development only allows that); else the exact bearer
    header, compared in constant time. Headers arrive as latin-1 text."""
    if token is None:
        return True
    given = (authorization or "").encode("latin-1", errors="replace")
    return hmac.compare_digest(given, f"Bearer {token}".encode())
