"""The tighter limits of login, registration and two-factor steps.

Counted per client IP (against spraying) and per account (against one account being
attacked from many addresses), each at AUTH_RATE_LIMIT_REQUESTS per window.
"""

import hashlib

from fastapi import HTTPException, Request

from cybervpn.infrastructure.ratelimit.limiter import rate
from cybervpn.presentation.http.container import Container


async def enforce_auth_limits(
    request: Request, container: Container, *, action: str, account_key: str | None
) -> None:
    settings = container.settings.rate_limit
    if not settings.enabled:
        return
    rule = rate(settings.auth_requests, settings.window)
    keys = [("ip", request.client.host if request.client else "unknown")]
    if account_key:
        keys.append(("account", hashlib.sha256(account_key.encode()).hexdigest()))
    for kind, value in keys:
        decision = await container.auth_limiter.hit(rule, "auth", action, kind, value)
        if not decision.allowed:
            raise HTTPException(
                429,
                detail="Too many requests",
                headers={"Retry-After": str(decision.retry_after)},
            )
