"""One panel call: send, turn a refusal into a fleet error, parse the envelope."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
import structlog
from pydantic import BaseModel, TypeAdapter, ValidationError

from cybervpn.domain.common.errors import NotFoundError
from cybervpn.domain.fleet.errors import (
    PanelConflictError,
    PanelRejectedError,
    PanelResourceNotFoundError,
    PanelUnavailableError,
)
from cybervpn.infrastructure.remnawave.read_cache import PanelReadCache
from cybervpn.infrastructure.remnawave.transport import PanelTransport

log = structlog.get_logger("cybervpn.remnawave")

# Panel error codes that mean "duplicate" or "already in that state".
CONFLICT_CODES = frozenset({"A019", "A020", "A029", "A030", "A033", "A034", "A120"})


class PanelCalls:
    """Shared by every capability adapter (they hold it, they do not inherit it)."""

    def __init__(
        self, transport: PanelTransport, cache: PanelReadCache | None = None
    ) -> None:
        self.transport = transport
        self._cache = cache

    async def call[M: BaseModel](
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        json: Any = None,
        params: dict[str, str | int] | None = None,
        not_found: type[NotFoundError] | None,
    ) -> M:
        response = await self._send(method, path, json, params, not_found)
        parsed: M = _parse(
            response, lambda body: model.model_validate(body["response"])
        )
        return parsed

    async def call_list[M](self, path: str, adapter: TypeAdapter[list[M]]) -> list[M]:
        """For the endpoints that answer a bare array."""
        response = await self._send("GET", path, None, None, None)
        parsed: list[M] = _parse(
            response, lambda body: adapter.validate_python(body["response"])
        )
        return parsed

    async def command(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        not_found: type[NotFoundError] | None,
    ) -> None:
        """A call whose answer has no body we need (201/202/204)."""
        await self._send(method, path, json, None, not_found)

    async def _send(
        self,
        method: str,
        path: str,
        json: Any,
        params: dict[str, str | int] | None,
        not_found: type[NotFoundError] | None,
    ) -> httpx.Response:
        cache = self._cache
        cacheable = cache is not None and cache.cacheable(method, path) and not params
        if cache is not None and cacheable:
            cached = await cache.get(path)
            if cached is not None:
                return httpx.Response(200, text=cached)
        response = await self.transport.send(method, path, json=json, params=params)
        if response.is_success:
            if cache is not None:
                if cacheable:
                    await cache.put(path, response.text)
                else:
                    await cache.invalidate_after(method, path)
            return response
        code = _error_code(response)
        log.info("panel refused", status=response.status_code, error_code=code)
        if response.status_code == 404:
            raise (not_found or PanelResourceNotFoundError)()
        if response.status_code == 409 or code in CONFLICT_CODES:
            raise PanelConflictError
        raise PanelRejectedError


def wire(value: object) -> object:
    """A value as the panel's JSON wants it: UTC ISO times with Z, UUIDs as text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, tuple | list):
        return [wire(item) for item in value]
    return value


def _parse(response: httpx.Response, parse: Any) -> Any:
    try:
        result = parse(response.json())
    except (ValueError, KeyError, TypeError, ValidationError) as error:
        log.error("panel answered an unexpected body", error=str(error)[:300])
        raise PanelUnavailableError from error
    return result


def _error_code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    code = body.get("errorCode") if isinstance(body, dict) else None
    return code if isinstance(code, str) else None
