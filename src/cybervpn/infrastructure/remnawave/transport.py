"""Calling the panel without letting it hang or break us.

One long-lived `httpx.AsyncClient` (timeouts, pooled connections, connect retries in
the transport), bounded retries with backoff for 429/503 (honouring `Retry-After`), and
a circuit breaker: after repeated failures the panel is not called at all for a while,
so a dead panel costs our clients milliseconds, not timeouts.
"""

import time
from dataclasses import dataclass
from typing import Any

import httpx
import structlog
from purgatory import AsyncCircuitBreakerFactory
from purgatory.domain.messages.events import ContextChanged
from purgatory.domain.model import OPENED, OpenedState
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_result,
    stop_after_attempt,
    wait_exponential_jitter,
)

from cybervpn.domain.fleet.errors import PanelUnavailableError
from cybervpn.infrastructure.metrics.instruments import (
    PANEL_CIRCUIT_OPEN,
    PANEL_REQUEST_DURATION,
    PANEL_REQUESTS,
)
from cybervpn.infrastructure.request_id import send_request_id

log = structlog.get_logger("cybervpn.remnawave")

RETRYABLE_STATUSES = frozenset({429, 503})
BREAKER_NAME = "remnawave"


@dataclass(frozen=True, slots=True)
class ResiliencePolicy:
    attempts: int = 3
    backoff_initial_seconds: float = 0.2
    backoff_max_seconds: float = 2.0
    breaker_threshold: int = 5
    breaker_reset_seconds: float = 30.0


def create_http_client(
    *,
    base_url: str,
    token: str | None,
    timeout_seconds: float,
    max_connections: int,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    headers = {"Accept": "application/json", "User-Agent": "cybervpn-backend"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if base_url.startswith("http://"):
        # The panel drops plain-http connections that do not look proxied (its
        # reverse-proxy check), so a direct http URL must carry these.
        headers["X-Forwarded-For"] = "127.0.0.1"
        headers["X-Forwarded-Proto"] = "https"
    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    return httpx.AsyncClient(
        base_url=base_url,
        headers=headers,
        timeout=httpx.Timeout(timeout_seconds, connect=min(3.0, timeout_seconds)),
        transport=transport or httpx.AsyncHTTPTransport(retries=2, limits=limits),
        limits=limits,
        event_hooks={"request": [send_request_id]},
    )


class _PanelFailure(Exception):
    """A response that means the panel is unhealthy; counted by the breaker."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"panel answered {response.status_code}")
        self.response = response


class _CircuitOpen(Exception):
    """The breaker refused the call: the panel was not asked."""


def _show_breaker_state(_name: str, event_type: str, event: object) -> None:
    if event_type == "state_changed" and isinstance(event, ContextChanged):
        PANEL_CIRCUIT_OPEN.set(int(event.state == OPENED))


class PanelTransport:
    def __init__(self, client: httpx.AsyncClient, policy: ResiliencePolicy) -> None:
        self._client = client
        self._policy = policy
        self._breakers = AsyncCircuitBreakerFactory(
            default_threshold=policy.breaker_threshold,
            default_ttl=policy.breaker_reset_seconds,
        )
        self._breakers.add_listener(_show_breaker_state)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, str | int] | None = None,
    ) -> httpx.Response:
        """The panel's response for anything but an unhealthy panel.

        4xx answers are returned (the caller maps them); transport errors, 5xx, an
        exhausted 429 and a rejected token raise PanelUnavailableError.
        """
        started = time.perf_counter()
        outcome = "unreachable"
        try:
            response = await self._send(method, path, json, params)
            outcome = "ok" if response.is_success else "client_error"
            return response
        except _CircuitOpen as error:
            outcome = "circuit_open"
            raise PanelUnavailableError from error
        except _PanelFailure as error:
            outcome = "server_error"
            raise PanelUnavailableError from error
        finally:
            PANEL_REQUESTS.labels(outcome).inc()
            PANEL_REQUEST_DURATION.labels(outcome).observe(
                time.perf_counter() - started
            )

    async def _send(
        self,
        method: str,
        path: str,
        json: Any,
        params: dict[str, str | int] | None,
    ) -> httpx.Response:
        try:
            breaker = await self._breakers.get_breaker(BREAKER_NAME)
            async with breaker:
                response = await self._send_with_retries(method, path, json, params)
                if response.status_code >= 500 or response.status_code in (
                    401,
                    403,
                    429,
                ):
                    raise _PanelFailure(response)
                return response
        except OpenedState as error:
            log.warning("panel circuit open", method=method, path=path)
            raise _CircuitOpen from error
        except _PanelFailure as error:
            log.error(
                "panel failure",
                method=method,
                path=path,
                status=error.response.status_code,
            )
            raise
        except httpx.HTTPError as error:
            log.error(
                "panel unreachable",
                method=method,
                path=path,
                error=type(error).__name__,
            )
            raise PanelUnavailableError from error

    async def _send_with_retries(
        self,
        method: str,
        path: str,
        json: Any,
        params: dict[str, str | int] | None,
    ) -> httpx.Response:
        policy = self._policy
        backoff = wait_exponential_jitter(
            multiplier=policy.backoff_initial_seconds, max=policy.backoff_max_seconds
        )

        def wait(state: RetryCallState) -> float:
            # Honour the panel's Retry-After when it is short enough to wait for.
            outcome = state.outcome
            if outcome is not None and not outcome.failed:
                retry_after = outcome.result().headers.get("retry-after", "")
                if retry_after.isdigit():
                    return min(float(retry_after), policy.backoff_max_seconds)
            return backoff(state)

        retrying = AsyncRetrying(
            retry=retry_if_result(lambda r: r.status_code in RETRYABLE_STATUSES),
            stop=stop_after_attempt(policy.attempts),
            wait=wait,
            retry_error_callback=lambda state: state.outcome.result(),  # type: ignore[union-attr]
            reraise=True,
        )
        response: httpx.Response = await retrying(
            self._client.request, method, path, json=json, params=params
        )
        return response
